import pg from 'pg';
import { StoreUnavailableError } from '../port';

/** int8 (ids, ms times, sizes) as JS numbers: every value the store keeps is below 2^53. */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Connection settings shared by the store and the bus. `url` may carry `?options=-c search_path=...`; the schema is
 * whatever it says (every statement uses unqualified names).
 */
export function connectionConfig(url: string): pg.ClientConfig {
  return {
    connectionString: url,
    types: TYPES,
    // While the database is down a call fails after this long rather than hanging.
    connectionTimeoutMillis: 5_000,
    // Notices a server that vanished without closing the connection (after 10 s of silence, not the OS's 2 hours),
    // and gives up on a query the server never answers, so that a capture gets its 503 instead of hanging.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    query_timeout: 12_000,
    // Guards: no statement holds a bin's lock (and so its captures) for ever, nor does a process paused mid-transaction.
    // (10 s: a webhook sender waits about that long for its answer; a 503 then beats a hang.)
    statement_timeout: 10_000,
    idle_in_transaction_session_timeout: 60_000,
    fallback_application_name: 'hooklens',
  };
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  '57P01', '57P02', '57P03', // admin_shutdown, crash_shutdown, cannot_connect_now
  '57014', // query_canceled: statement_timeout, the server is overloaded
  '55P03', // lock_not_available
  '25P03', // idle_in_transaction_session_timeout
]);
const UNAVAILABLE_MESSAGE = /connection terminated|timeout exceeded when trying to connect|connection error|not queryable|client was closed|cannot use a pool after calling end|the server closed the connection|read ECONNRESET/i;

/** True when `err` says the database cannot be reached or dropped the connection (as opposed to a refused statement). */
export function isConnectionFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || /^(08|53)/.test(code))) return true;
  return UNAVAILABLE_MESSAGE.test(err.message);
}

/** The error a caller sees: a connection failure becomes StoreUnavailableError; any message loses the password. */
export function toStoreError(err: unknown, scrub: (text: string) => string): Error {
  if (!(err instanceof Error)) return new Error(scrub(String(err)));
  if (err instanceof StoreUnavailableError) return err;
  if (isConnectionFailure(err)) return new StoreUnavailableError(`the database is unavailable: ${scrub(err.message)}`);
  if (scrub(err.message) !== err.message) err.message = scrub(err.message);
  return err;
}
