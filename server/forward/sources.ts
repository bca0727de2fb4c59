/**
 * Where `hooklens forward` learns of captures: a bin's live stream (WebSocket, with the token when the server needs
 * one) or its relay URL (smee-compatible Server-Sent Events, no token). Both are a {@link RequestSource}: something
 * that announces request ids, in id order, after a given id, and says where each request's stored bytes are.
 */
import { get as httpGet, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import WebSocket from 'ws';

/** A request a source announces: its id, and what the live stream also says (the relay says only the id). */
export interface Announced {
  id: number;
  /** Body bytes received, which tells a truncated capture from a whole one. */
  size?: number;
}

/** How following a stream ended: `dropped` is worth reconnecting; `fatal` ends the command with its exit code. */
export type StreamEnd =
  | { kind: 'dropped'; reason: string }
  | { kind: 'fatal'; message: string; exitCode: 1 | 2 };

export interface FollowHandlers {
  /**
   * The stream is followed. `after`: every request with a greater id will be announced (the id the source
   * resolved "from now on" to, when it can); undefined when the source cannot tell.
   */
  onReady(after: number | undefined): void;
  /** One request, in id order. */
  onRequest(request: Announced): void;
}

/** One connection to a stream. */
export interface Following {
  /** Settles once, when the connection has ended (after close() too), saying how. */
  readonly ended: Promise<StreamEnd>;
  /** Ends the connection; `ended` then resolves with `dropped`. */
  close(): void;
}

export interface RequestSource {
  /** The server's origin, for messages. */
  readonly origin: string;
  /**
   * Follows the stream, announcing every request with an id greater than `after`; with `after` undefined, those
   * stored from now on. Never throws: every failure ends `ended`.
   */
  follow(after: number | undefined, handlers: FollowHandlers): Following;
  /** Where a request's stored bytes are (request line, header lines, blank line, body), and the headers to send. */
  raw(id: number): { url: URL; headers: Record<string, string> };
  /** What a 401 from the server means, for a person; null when the source needs no token (a 401 is then unexpected). */
  tokenProblem(serverMessage: string): string | null;
}

/** GET `url`; resolves with the response (its body unread). Rejects with the network error, or on `signal`. */
export function getResponse(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const get = url.protocol === 'https:' ? httpsGet : httpGet;
    const req = get(url, { headers, signal, agent: false }, resolve);
    req.on('error', reject);
  });
}

/** Reads a response's body whole. */
export async function readBody(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The `error` of a JSON error answer, else the status line. */
export function errorOf(res: IncomingMessage, body: Buffer): string {
  try {
    const { error } = JSON.parse(body.toString('utf8')) as { error?: unknown };
    if (typeof error === 'string') return error;
  } catch {
    // not JSON: the status says enough
  }
  return `${res.statusCode} ${res.statusMessage ?? ''}`.trim();
}

/** An error for a person: its code when it has one (ECONNREFUSED), else its message. */
export function reasonOf(err: unknown): string {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && code !== 'ABORT_ERR') return code;
  return typeof message === 'string' ? message : String(err);
}

/** A Following whose `ended` settles once, with the first end reported, and runs `cleanup` then. */
function ending(cleanup: () => void): { following: Following; end: (how: StreamEnd) => void; signal: AbortSignal } {
  const controller = new AbortController();
  let resolve!: (how: StreamEnd) => void;
  const ended = new Promise<StreamEnd>((r) => (resolve = r));
  let done = false;
  const end = (how: StreamEnd): void => {
    if (done) return;
    done = true;
    controller.abort();
    cleanup();
    resolve(how);
  };
  return { following: { ended, close: () => end({ kind: 'dropped', reason: 'closed' }) }, end, signal: controller.signal };
}

/**
 * The live stream of bin `binId` on `origin` (`/api/live`), with `token` as a Bearer token when given. Before it
 * subscribes it asks the API for the bin's newest request: that checks the bin and the token, and turns "from now
 * on" into an id, so that a connection dropped before the first capture still resumes without a gap. A server that
 * sends nothing, not even its ping, for `idleMs` (it pings every 30 s) is taken as gone.
 */
export function liveStreamSource(origin: URL, binId: string, token: string | null, idleMs = 75_000): RequestSource {
  const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
  const bin = encodeURIComponent(binId);
  const liveUrl = new URL('/api/live', origin);
  liveUrl.protocol = origin.protocol === 'https:' ? 'wss:' : 'ws:';
  const source: RequestSource = {
    origin: origin.origin,
    raw: (id) => ({ url: new URL(`/api/bins/${bin}/requests/${id}/raw`, origin), headers }),
    tokenProblem: (serverMessage) => token === null
      ? `${origin.origin} needs an access token: pass --token <token> or set HOOKLENS_TOKEN`
      : `${origin.origin} refused the access token: ${serverMessage}`,
    follow(after, handlers) {
      let ws: WebSocket | null = null;
      let idle: NodeJS.Timeout | undefined;
      const { following, end, signal } = ending(() => {
        clearTimeout(idle);
        ws?.removeAllListeners();
        ws?.on('error', () => {});
        ws?.terminate();
      });
      const refused = (status: number, message: string): void => end(status === 401
        ? { kind: 'fatal', exitCode: 2, message: source.tokenProblem(message)! }
        : status === 404 ? { kind: 'fatal', exitCode: 1, message } : { kind: 'dropped', reason: message });
      const stillThere = (): void => {
        clearTimeout(idle);
        idle = setTimeout(() => end({ kind: 'dropped', reason: `nothing from the server for ${idleMs / 1000} s` }), idleMs);
      };

      const connect = async (): Promise<void> => {
        const check = await getResponse(new URL(`/api/bins/${bin}/requests?limit=1`, origin), headers, signal);
        const body = await readBody(check);
        if (check.statusCode !== 200) return refused(check.statusCode ?? 0, errorOf(check, body));
        const newest = (JSON.parse(body.toString('utf8')) as { requests: { id: number }[] }).requests[0]?.id ?? 0;
        const from = after ?? newest;
        if (signal.aborted) return;
        ws = new WebSocket(liveUrl, { headers, perMessageDeflate: false });
        ws.on('unexpected-response', (_req, res: IncomingMessage) => {
          void readBody(res).then((b) => refused(res.statusCode ?? 0, errorOf(res, b)), (err: unknown) => end({ kind: 'dropped', reason: reasonOf(err) }));
        });
        ws.on('open', () => {
          ws!.send(JSON.stringify({ type: 'subscribe', binId, after: from }));
          stillThere();
          handlers.onReady(from);
        });
        ws.on('ping', stillThere);
        ws.on('message', (data) => {
          stillThere();
          let message: { type?: string; binId?: string; message?: string; request?: { id: number; size: number } };
          try {
            message = JSON.parse(data.toString()) as typeof message;
          } catch {
            return; // the server sends JSON only; nothing to act on
          }
          if (message.type === 'request' && message.binId === binId && message.request) {
            handlers.onRequest({ id: message.request.id, size: message.request.size });
          } else if (message.type === 'error') {
            end({ kind: 'fatal', exitCode: 1, message: message.message ?? 'the server refused the subscription' });
          } else if (message.type === 'bin-deleted' && message.binId === binId) {
            end({ kind: 'fatal', exitCode: 1, message: `the bin ${binId} was deleted` });
          }
        });
        ws.on('error', (err) => end({ kind: 'dropped', reason: reasonOf(err) }));
        ws.on('close', (code, reason) => end({ kind: 'dropped', reason: `the server closed the live stream (${code}${reason.length ? `: ${reason.toString()}` : ''})` }));
      };
      connect().catch((err: unknown) => end({ kind: 'dropped', reason: reasonOf(err) }));
      return following;
    },
  };
  return source;
}

/** A line end of an event stream; the longest match first, so that CRLF is one. */
const LINE_END = /\r\n|\r|\n/g;

/** One Server-Sent Event, as far as the relay needs it. */
export interface SseEvent {
  type: string;
  /** The event's own `id:` field; undefined when it has none. */
  id: string | undefined;
  data: string;
}

/**
 * Parses a Server-Sent Events stream fed in pieces (text split anywhere, CRLF, LF or CR line ends) and calls
 * `onEvent` for each event, when the blank line that ends it arrives. Comments (`:` lines) are skipped.
 */
export class SseParser {
  /** The line so far, in the pieces it came in. */
  private pieces: string[] = [];
  private afterCR = false;
  private event: { type: string; id: string | undefined; data: string[] } = { type: '', id: undefined, data: [] };

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  push(text: string): void {
    let from = 0;
    // A CR that ended the last piece ended its line: an LF right after it belongs to it.
    if (this.afterCR && text.startsWith('\n')) from = 1;
    this.afterCR = false;
    for (;;) {
      // Only the new piece is searched; a long line's earlier pieces wait in a list, joined once it ends.
      LINE_END.lastIndex = from;
      const found = LINE_END.exec(text);
      if (found === null) {
        if (from < text.length) this.pieces.push(text.slice(from));
        return;
      }
      this.pieces.push(text.slice(from, found.index));
      const line = this.pieces.join('');
      this.pieces = [];
      from = found.index + found[0].length;
      this.afterCR = found[0] === '\r' && from === text.length;
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      const { type, id, data } = this.event;
      this.event = { type: '', id: undefined, data: [] };
      if (data.length > 0 || id !== undefined || type !== '') this.onEvent({ type: type || 'message', id, data: data.join('\n') });
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
    if (field === 'event') this.event.type = value;
    else if (field === 'id') this.event.id = value;
    else if (field === 'data') this.event.data.push(value);
  }
}

/**
 * The relay URL `{origin}/relay/{key}`: smee-compatible Server-Sent Events, one `message` per capture with the
 * request id as the event id; it resumes from `?after=<id>` (and `Last-Event-ID`). It needs no token. Its first
 * event, `ready`, carries the id the stream starts after: "from now on" becomes that id, so a connection dropped
 * before the first capture resumes without a gap.
 */
export function relaySource(origin: URL, key: string): RequestSource {
  const relay = `/relay/${encodeURIComponent(key)}`;
  return {
    origin: origin.origin,
    raw: (id) => ({ url: new URL(`${relay}/requests/${id}/raw`, origin), headers: {} }),
    tokenProblem: () => null,
    follow(after, handlers) {
      let res: IncomingMessage | null = null;
      const { following, end, signal } = ending(() => res?.destroy());
      const connect = async (): Promise<void> => {
        const url = new URL(relay, origin);
        const headers: Record<string, string> = { Accept: 'text/event-stream' };
        if (after !== undefined) {
          url.searchParams.set('after', String(after));
          headers['Last-Event-ID'] = String(after);
        }
        res = await getResponse(url, headers, signal);
        // No ping is promised: TCP keep-alive notices a peer that vanished.
        res.socket.setKeepAlive(true, 30_000);
        if (res.statusCode !== 200) {
          const body = await readBody(res);
          return end(res.statusCode === 404
            ? { kind: 'fatal', exitCode: 1, message: `no such relay URL: ${shownUrl(`${url.origin}${relay}`)} (${errorOf(res, body)}); the bin's relay key may have been rotated` }
            : { kind: 'dropped', reason: `the relay answered ${errorOf(res, body)}` });
        }
        if (!isEventStream(res.headers)) return end({ kind: 'dropped', reason: `the relay answered ${res.headers['content-type'] ?? 'no content type'}, not an event stream` });
        const idOf = (id: string | undefined): number | undefined => (id !== undefined && /^\d{1,15}$/.test(id) ? Number(id) : undefined);
        const parser = new SseParser((event) => {
          if (event.type === 'ready') return handlers.onReady(after ?? idOf(event.id));
          const id = idOf(event.id);
          if (event.type === 'message' && id !== undefined) handlers.onRequest({ id });
        });
        res.setEncoding('utf8');
        res.on('data', (text: string) => parser.push(text));
        res.on('end', () => end({ kind: 'dropped', reason: 'the relay stream ended' }));
        res.on('error', (err) => end({ kind: 'dropped', reason: reasonOf(err) }));
        res.on('close', () => end({ kind: 'dropped', reason: 'the relay stream closed' }));
      };
      connect().catch((err: unknown) => end({ kind: 'dropped', reason: reasonOf(err) }));
      return following;
    },
  };
}

function isEventStream(headers: IncomingHttpHeaders): boolean {
  return /^text\/event-stream\b/i.test(headers['content-type'] ?? '');
}

/**
 * A URL as the terminal shows it: without a password in the user-info (it is never sent anyway), and a relay key cut
 * to its first 4 characters (it is the credential of its bin, and terminals are recorded and shared).
 */
export function shownUrl(href: string): string {
  const url = new URL(href);
  if (url.password !== '') url.password = '***';
  return url.href.replace(/\/relay\/([^/?#]{4})[^/?#]*/, '/relay/$1…');
}
