import { Forwarder, type Backoff } from '../forward/forwarder';
import { liveStreamSource, relaySource, type RequestSource } from '../forward/sources';

const USAGE = 'usage: hooklens forward <capture URL> --to <target URL> [--token <token>] [--after <id>]';

const HELP = `${USAGE}

Follows a bin and sends each request it captures to the target as it was received: the same method, the sub-path
after /b/<binId> and the query added to the target's, every header in order and case (Host the target's, hop-by-hop
headers left out) and the same body bytes. One request at a time, in id order; a target that gives no answer is
retried with backoff and nothing is skipped; a dropped connection to hooklens is resumed where it stopped.

  <capture URL>    the bin's capture URL, http(s)://<host>/b/<binId>, or its relay URL,
                   http(s)://<host>/relay/<key> (which needs no token)
  --to <url>       where to send each request, e.g. http://localhost:3000/webhooks
  --token <token>  the server's access token, when it has one (or HOOKLENS_TOKEN)
  --after <id>     first send the stored requests with a greater id: to resume, the last id printed;
                   without it, only the requests captured from now on

Ctrl-C stops it.`;

/** What the command line asks for. */
export interface ForwardArgs {
  /** As given, for the first line. */
  captureUrl: string;
  /** The bin's live stream, or its relay. */
  follow: { kind: 'bin'; origin: URL; binId: string } | { kind: 'relay'; origin: URL; key: string };
  target: URL;
  token: string | null;
  after: number | undefined;
}

const VALUE_FLAGS = new Set(['--to', '--token', '--after']);

/** The arguments, `'help'`, or a sentence naming what is wrong with them. */
export function parseForwardArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ForwardArgs | 'help' | string {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    if (!VALUE_FLAGS.has(flag)) return `unknown option ${JSON.stringify(flag)}`;
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') return `${flag} needs a value`;
    flags.set(flag, value);
  }
  if (positional.length === 0) return 'the capture URL is missing';
  if (positional.length > 1) return `one capture URL only, not ${positional.map((p) => JSON.stringify(p)).join(' and ')}`;
  const [captureUrl] = positional;
  const follow = parseFollowUrl(captureUrl);
  if (typeof follow === 'string') return follow;

  const to = flags.get('--to');
  if (to === undefined) return '--to <target URL> is missing: where should the requests go?';
  let target: URL;
  try {
    target = new URL(to);
  } catch {
    return `--to ${JSON.stringify(to)} is not a URL; give one such as http://localhost:3000/webhooks`;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return `--to must be an http:// or https:// URL, not ${JSON.stringify(to)}`;
  target.hash = '';

  const afterText = flags.get('--after');
  if (afterText !== undefined && !/^\d{1,15}$/.test(afterText)) return `--after must be a request id (a non-negative integer), not ${JSON.stringify(afterText)}`;
  const token = flags.get('--token') ?? (env.HOOKLENS_TOKEN || null);
  return { captureUrl, follow, target, token, after: afterText === undefined ? undefined : Number(afterText) };
}

/** A capture URL (…/b/<binId>) or a relay URL (…/relay/<key>), or what is wrong with it. */
function parseFollowUrl(text: string): ForwardArgs['follow'] | string {
  const expected = 'a capture URL http(s)://<host>/b/<binId> or a relay URL http(s)://<host>/relay/<key>';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${JSON.stringify(text)} is not a URL; give ${expected}`;
  }
  const origin = new URL(url.origin);
  const bin = /^\/b\/([A-Za-z0-9_-]{1,64})\/?$/.exec(url.pathname);
  const relay = /^\/relay\/([A-Za-z0-9_-]+)\/?$/.exec(url.pathname);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || (!bin && !relay)) {
    return `${JSON.stringify(text)} is not ${expected}`;
  }
  return bin ? { kind: 'bin', origin, binId: bin[1] } : { kind: 'relay', origin, key: relay![1] };
}

/** Where the command writes, and how it learns it should stop; tests give their own. */
export interface ForwardIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Calls `stop` on Ctrl-C or SIGTERM; returns the function that stops listening. */
  onStopSignal: (stop: () => void) => () => void;
  backoff?: Backoff;
  attemptTimeoutMs?: number;
}

const processIo: ForwardIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  onStopSignal(stop) {
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
  },
};

/** The source `args` name. */
export function sourceOf(args: ForwardArgs): RequestSource {
  return args.follow.kind === 'bin'
    ? liveStreamSource(args.follow.origin, args.follow.binId, args.token)
    : relaySource(args.follow.origin, args.follow.key);
}

/**
 * `hooklens forward …`: argument parsing only. Resolves with the exit code once it stops: 0 on Ctrl-C or SIGTERM
 * (and --help), 1 when the bin or relay does not exist, 2 for bad arguments or a token the server needs.
 */
export async function runForwardCommand(argv: readonly string[], env: NodeJS.ProcessEnv, io: ForwardIo = processIo): Promise<number> {
  const args = parseForwardArgs(argv, env);
  if (args === 'help') {
    io.out(HELP);
    return 0;
  }
  if (typeof args === 'string') {
    io.err(`hooklens forward: ${args} (hooklens forward --help shows the usage)`);
    return 2;
  }
  const forwarder = new Forwarder({
    source: sourceOf(args), captureUrl: args.captureUrl, target: args.target, after: args.after,
    print: io.out, printError: io.err, backoff: io.backoff, attemptTimeoutMs: io.attemptTimeoutMs,
  });
  const stopListening = io.onStopSignal(() => forwarder.stop());
  try {
    const code = await forwarder.run();
    if (code === 0) {
      const last = forwarder.lastDone;
      io.out(last === undefined ? 'stopped' : `stopped after #${last}; to go on from there: --after ${last}`);
    }
    return code;
  } finally {
    stopListening();
  }
}
