/**
 * The only entry: config → store → hub → app → listen, and the signals. Nothing else reads process.env.
 */
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { Access } from './access';
import { ConfigError, helpText, loadConfig, type Config } from './config';
import { randomBinId } from './http/bins';
import { Hub } from './live/hub';
import { startRetention } from './retention';
import { createHooklensServer } from './server';
import { createStore } from './store';

/** The host to print in URLs: a wildcard host names this machine's first external IPv4 address (or localhost). */
function reachableHost(host: string): string {
  if (host !== '0.0.0.0' && host !== '::' && host !== '[::]') return host.includes(':') ? `[${host}]` : host;
  const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
  return external?.address ?? 'localhost';
}

function start(config: Readonly<Config>): void {
  let store;
  try {
    store = createStore(config.db);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const hint = /locked/.test(reason) ? ' (another hooklens is using it: each needs its own --db)' : '';
    throw new ConfigError(`cannot open --db ${JSON.stringify(config.db)}: ${reason}${hint}`);
  }
  const hub = new Hub();
  const access = new Access(config, store);
  if (store.listBins().length === 0) store.createBin(randomBinId(), 'My first bin', Date.now());

  // One line per capture for the person watching the terminal; credential query values are redacted there.
  const { server, stop: stopServer } = createHooklensServer({ config, store, hub, access, log: (line) => console.log(line) });
  const stopRetention = startRetention(store, hub, config.ttlMs, Date.now);

  server.on('error', (err: NodeJS.ErrnoException) => {
    const reason = err.code === 'EADDRINUSE' ? 'the port is in use; pick another with --port (0 picks a free one)'
      : err.code === 'EACCES' ? 'permission denied' : err.message;
    console.error(`hooklens: cannot listen on ${config.host}:${config.port}: ${reason}`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const { port } = server.address() as AddressInfo;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const local = `http://${host}:${port}`;
    // 0.0.0.0 is where it listens, not an address anyone can open: show one of this machine's.
    const base = config.publicUrl ?? `http://${reachableHost(config.host)}:${port}`;
    const bin = store.listBins()[0];
    console.log(`hooklens listening on ${local}`);
    console.log(`  viewer   ${base}/`);
    console.log(`  capture  ${base}/b/${bin.id}`);
    if (access.generatedToken) {
      console.log('');
      console.log('  This server can be reached from other machines, so the viewer, API and live stream need a token.');
      console.log(`  access token  ${access.generatedToken}`);
      console.log('  It is shown only this once (only its hash is stored); keep it somewhere safe.');
      console.log('  Start with --reset-token to get a new one. Capture URLs need no token.');
    } else if (access.required && config.token === null) {
      console.log('  The viewer and API need the token printed at an earlier start (only its hash is kept).');
      console.log('  Lost it? Start with --reset-token to get a new one.');
    } else if (!access.required) {
      console.log('  no access token: the viewer and API answer only on localhost');
      if (config.resetToken) console.log('  --reset-token: nothing to reset, this server needs no token (loopback, no --public-url)');
    }
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`hooklens: ${signal}: finishing in-flight captures, then stopping`);
    stopRetention();
    stopServer(() => {
      store.close();
      console.log('hooklens: stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(helpText());
} else {
  try {
    start(loadConfig(argv, process.env));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`hooklens: ${err.message}`);
    process.exit(2);
  }
}
