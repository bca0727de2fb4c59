/**
 * The only entry: config → store (chosen by --db) → bus → services → app → listen, and the signals. Nothing else
 * reads process.env. `hooklens migrate …` copies a SQLite database into PostgreSQL instead, and `hooklens forward …`
 * sends a bin's captures to another URL (server/cli/).
 */
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { VERSION } from './app';
import { batchedLog } from './capture/log-line';
import { runForwardCommand } from './cli/forward-command';
import { runMigrateCommand } from './cli/migrate-command';
import { ConfigError, helpText, loadConfig, type Config } from './config';
import { createCore, type Core, type CoreOptions } from './core';
import { startRetention } from './services/retention';
import { createHooklensServer } from './server';
import { startWorkers } from './workers/cluster';
import { isPostgresUrl, openStore, scrubber, withoutPassword, type BinRecord, type Store } from './store';

/** The host to print in URLs: a wildcard host names this machine's first external IPv4 address (or localhost). */
function reachableHost(host: string): string {
  if (host !== '0.0.0.0' && host !== '::' && host !== '[::]') return host.includes(':') ? `[${host}]` : host;
  const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
  return external?.address ?? 'localhost';
}

/**
 * Opens the store and the core, and makes sure there is a bin to show; a database that cannot be opened or reached
 * is a ConfigError naming it (a PostgreSQL URL without its password).
 */
async function openCore(config: Readonly<Config>, options: CoreOptions = {}): Promise<{ core: Core; firstBin: BinRecord }> {
  const scrub = scrubber(config.db);
  const reasonOf = (err: unknown): string => scrub(err instanceof Error ? err.message : String(err));
  let store: Store;
  try {
    store = await openStore(config.db, { redactSecrets: config.redactSecrets, publicUrl: config.publicUrl });
  } catch (err) {
    const reason = reasonOf(err);
    if (isPostgresUrl(config.db)) throw new ConfigError(`cannot use --db ${withoutPassword(config.db)}: ${reason}${postgresHint(reason)}`);
    const hint = /locked/.test(reason) ? ' (another hooklens is using it: each needs its own --db, or share a PostgreSQL database)' : '';
    throw new ConfigError(`cannot open --db ${JSON.stringify(config.db)}: ${reason}${hint}`);
  }
  let core: Core | null = null;
  try {
    core = await createCore(config, store, options);
    return { core, firstBin: await core.bins.ensureOne() };
  } catch (err) {
    await (core ? core.close() : store.close()).catch(() => {});
    throw new ConfigError(`cannot start on --db ${withoutPassword(config.db)}: ${reasonOf(err)}`);
  }
}

/** What to do about the usual mistakes in a PostgreSQL URL, when the driver's words don't say. */
function postgresHint(reason: string): string {
  if (/Invalid URL/i.test(reason)) return ' (characters such as @ : / # ? % in the user name or password must be percent-encoded, e.g. %40 for @)';
  if (/client password must be a string/i.test(reason)) return ' (the server asks for a password and the URL has none)';
  return '';
}

async function start(config: Readonly<Config>): Promise<void> {
  if (config.workers > 1) return startWorkers(config, { openCore, serve, printBanner });
  const { core, firstBin } = await openCore(config);
  serve(config, core, (port) => printBanner(config, port, firstBin, core));
}

/**
 * Serves the core on the configured host and port until SIGINT or SIGTERM, then stops gracefully (in-flight captures
 * finish) and exits. `onListening` is told the port. A port that cannot be had ends the process.
 */
function serve(config: Readonly<Config>, core: Core, onListening: (port: number) => void): void {
  // One line per capture for the person watching the terminal; credential query values are redacted there.
  const { server, stop: stopServer } = createHooklensServer({
    config, ...core, log: batchedLog((text) => process.stdout.write(text)),
  });
  const stopRetention = startRetention(core.store, core.requests, config.ttlMs, Date.now);

  server.on('error', (err: NodeJS.ErrnoException) => {
    const reason = err.code === 'EADDRINUSE' ? 'the port is in use; pick another with --port (0 picks a free one)'
      : err.code === 'EACCES' ? 'permission denied' : err.message;
    console.error(`hooklens: cannot listen on ${config.host}:${config.port}: ${reason}`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => onListening((server.address() as AddressInfo).port));

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`hooklens: ${signal}: finishing in-flight captures, then stopping`);
    const retentionStopped = stopRetention();
    stopServer(() => {
      retentionStopped.then(() => core.close()).then(
        () => {
          console.log('hooklens: stopped');
          process.exit(0);
        },
        (err: unknown) => {
          console.error('hooklens: closing the database failed:', err instanceof Error ? err.message : err);
          process.exit(1);
        },
      );
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The start-up banner: where it listens, the viewer and first capture URL, and what access needs. */
function printBanner(config: Readonly<Config>, port: number, firstBin: BinRecord, core: Pick<Core, 'access' | 'store'>): void {
  const { access } = core;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const local = `http://${host}:${port}`;
  // 0.0.0.0 is where it listens, not an address anyone can open: show one of this machine's.
  const base = config.publicUrl ?? `http://${reachableHost(config.host)}:${port}`;
  console.log(`hooklens listening on ${local}`);
  console.log(`  viewer   ${base}/`);
  console.log(`  capture  ${base}/b/${firstBin.id}`);
  if (config.workers > 1) {
    const writer = core.store.engine === 'sqlite' ? ', and this one writes the database' : '';
    console.log(`  workers  ${config.workers} server processes share the port${writer}`);
  }
  if (core.store.engine === 'postgres') console.log(`  database ${withoutPassword(config.db)} (shared: other instances on it act as one server)`);
  if (access.generatedToken) {
    console.log('');
    console.log('  This server can be reached from other machines, so the viewer, API and live stream need a token.');
    console.log(`  access token  ${access.generatedToken}`);
    console.log('  It is shown only this once (only its hash is stored); keep it somewhere safe.');
    console.log('  Start with --reset-token to get a new one. Capture URLs need no token.');
  } else if (access.required && config.token === null) {
    const where = core.store.engine === 'postgres' ? 'when it was generated (at an earlier start, or by another instance on this database)' : 'at an earlier start';
    console.log(`  The viewer and API need the token printed ${where}; only its hash is kept.`);
    console.log('  Lost it? Start with --reset-token to get a new one.');
  } else if (!access.required) {
    console.log('  no access token: the viewer and API answer only on localhost');
    if (config.resetToken) console.log('  --reset-token: nothing to reset, this server needs no token (loopback, no --public-url)');
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'migrate') return void (process.exitCode = await runMigrateCommand(argv.slice(1)));
  if (argv[0] === 'forward') return void (process.exitCode = await runForwardCommand(argv.slice(1), process.env));
  if (argv.includes('--help') || argv.includes('-h')) return void console.log(helpText());
  if (argv.includes('--version')) return void console.log(VERSION);
  try {
    await start(loadConfig(argv, process.env));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`hooklens: ${err.message}`);
    process.exit(2);
  }
}

void main(process.argv.slice(2));
