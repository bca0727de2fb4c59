/** What the PostgreSQL bus sends through NOTIFY, and how: the notices, their encoding and the channel. */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { LiveEvent } from './port';

/**
 * What travels in a notification: a capture as its id only, a changed bin as its id only (the receivers read them
 * from the store); the other events as they are. Never a body, never a secret, and always far below PostgreSQL's
 * 8000 bytes.
 */
export type Notice =
  | { type: 'request'; binId: string; id: number }
  | { type: 'bin-changed'; binId: string }
  | Exclude<LiveEvent, { type: 'request' | 'bin' }>;

/** The notices about a bin's requests, handled in order per followed bin. */
export type RequestNotice = Extract<Notice, { type: 'request' | 'request-deleted' | 'bin-cleared' }>;

/**
 * The events with the captures of each bin folded into one, at the place of the first and with the largest id:
 * receivers read everything after their cursor anyway, so a batch of captures costs one notice per bin.
 */
export function compact(events: readonly LiveEvent[]): LiveEvent[] {
  const firstCapture = new Map<string, number>();
  const out: LiveEvent[] = [];
  for (const event of events) {
    if (event.type !== 'request') {
      out.push(event);
      continue;
    }
    const at = firstCapture.get(event.binId);
    if (at === undefined) {
      firstCapture.set(event.binId, out.length);
      out.push(event);
    } else if (event.request.id > (out[at] as Extract<LiveEvent, { type: 'request' }>).request.id) out[at] = event;
  }
  return out;
}

/** The notification for `event`: see Notice. */
export function encode(event: LiveEvent): string {
  if (event.type === 'request') return JSON.stringify({ type: 'request', binId: event.binId, id: event.request.id } satisfies Notice);
  if (event.type === 'bin') return JSON.stringify({ type: 'bin-changed', binId: event.bin.id } satisfies Notice);
  return JSON.stringify(event);
}

/** `hooklens_<schema>`, or a digest of the schema's name when that passes PostgreSQL's 63 bytes for a name. */
export async function channelOf(client: pg.Client): Promise<string> {
  const { rows: [{ schema }] } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
  if (schema === null) throw new Error('the search_path names no existing schema');
  const channel = `hooklens_${schema}`;
  return Buffer.byteLength(channel) <= 63 ? channel : `hooklens_${createHash('sha256').update(schema).digest('hex').slice(0, 40)}`;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
