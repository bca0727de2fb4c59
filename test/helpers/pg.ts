import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { describe, it } from 'vitest';

const VARIABLE = 'HOOKLENS_TEST_PG_URL';

/**
 * The PostgreSQL server the tests use (`HOOKLENS_TEST_PG_URL`, e.g.
 * postgres://hooklens:hooklens@127.0.0.1:5432/hooklens_test), or null when it is not set.
 */
export function pgUrl(): string | null {
  return process.env[VARIABLE] || null;
}

/**
 * `describe` for tests that need PostgreSQL. Without `HOOKLENS_TEST_PG_URL` they are skipped, with the reason in
 * the suite's name, on a developer's machine; in CI (`CI` set) the suite fails instead, so that a CI that lost its
 * database cannot pass by skipping.
 */
export function pgSuite(name: string, body: () => void): void {
  if (pgUrl() !== null) return void describe(name, body);
  if (process.env.CI) {
    return void describe(name, () => {
      it('has a PostgreSQL server to run on', () => {
        throw new Error(`${VARIABLE} is not set: CI must start PostgreSQL and set it (see .ci/run)`);
      });
    });
  }
  const reason = `set ${VARIABLE}=postgres://user:pass@host:port/db to run it`;
  console.warn(`skipping "${name}": ${reason}`);
  describe.skip(`${name} (skipped: ${reason})`, body);
}

/** `url` whose connections use `schema` (search_path) and name it as their application_name. */
export function urlWithSchema(url: string, schema: string): string {
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}&application_name=${schema}`;
}

/** The schema that a URL from urlWithSchema names. */
export function schemaOf(url: string): string {
  const options = new URL(url).searchParams.get('options') ?? '';
  const schema = /search_path=(\w+)/.exec(options)?.[1];
  if (schema === undefined) throw new Error(`no search_path in ${url}`);
  return schema;
}

/** Creates an empty schema with a unique name on the test server; resolves with a URL whose connections use it. */
export async function freshSchemaUrl(prefix = 'hl_test'): Promise<string> {
  const base = pgUrl();
  if (base === null) throw new Error(`${VARIABLE} is not set`);
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  return urlWithSchema(base, schema);
}

/** Drops the schema that `url` (from freshSchemaUrl) uses, and everything in it. */
export async function dropSchema(url: string): Promise<void> {
  await adminQuery(`DROP SCHEMA IF EXISTS ${schemaOf(url)} CASCADE`);
}

/** Runs one statement on a connection of its own, to the test server's default schema. */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]> {
  const client = new pg.Client({ connectionString: pgUrl() ?? undefined });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Closes, as a server restart would, the connections made with `url` (from freshSchemaUrl) that match the SQL
 * condition on pg_stat_activity; resolves with how many.
 */
export async function terminateConnections(url: string, where = 'true'): Promise<number> {
  const rows = await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE application_name = $1 AND pid <> pg_backend_pid() AND (${where})`, [schemaOf(url)]);
  return rows.length;
}

/** A TCP relay to the test server that can be cut (every connection dropped, new ones refused) and restored. */
export async function startRelay(): Promise<{ port: number; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const target = new URL(pgUrl()!);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        socket.destroy();
        upstream.destroy();
      });
    }
    socket.pipe(upstream).pipe(socket);
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await listen(0);
  const { port } = server.address() as { port: number };
  return {
    port,
    async close() {
      for (const s of sockets) s.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async cut() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
    restore: () => listen(port),
  };
}

/** `url` with its host and port replaced (e.g. by a relay's). */
export function withPort(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(port);
  return parsed.toString();
}
