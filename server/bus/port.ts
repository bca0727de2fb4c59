import type { ServerMessage } from '../../shared/types';
import type { RequestRecord } from '../store';

/**
 * What the services announce after a change has committed: every live message but `error`; a capture carries its
 * stored record, which the bus turns into the wire form only where someone follows the bin.
 */
export type LiveEvent =
  | Exclude<ServerMessage, { type: 'error' | 'request' }>
  | { type: 'request'; binId: string; request: RequestRecord };

/**
 * The event bus: carries what the services announce to the live streams of every process on the database, through
 * each process's Hub. In one process (SQLite) it hands events to the hub at once; on PostgreSQL they go through the
 * database (LISTEN/NOTIFY carrying ids, then a fetch).
 *
 * Per bin, `request` events reach the hub in id order with no gap and no duplicate, whichever process stored them,
 * for as long as the hub has a subscriber for the bin; a bin nobody follows costs nothing.
 */
export interface Bus {
  /**
   * True where the store's writer announces each capture, and what it pushed out, at its commit (the writer of
   * --workers, server/workers/): the services announce neither.
   */
  readonly announcesCaptures?: boolean;
  /** Announces events whose changes have committed, in this order. Never rejects: a lost announcement is logged. */
  publish(events: readonly LiveEvent[]): Promise<void>;
  /**
   * Called by a subscription once it listens on the hub: resolves with an id such that every request of the bin
   * with a greater id will reach the hub (ids up to it are read from the store). Rejects when the database fails.
   */
  follow(binId: string): Promise<number>;
  /**
   * Registers what to do when the bus loses the database and cannot vouch for what it delivers (the live streams
   * are closed so that clients resume with `after`); returns the function that unregisters it.
   */
  onInterrupted(listener: (reason: string) => void): () => void;
  /** null while the bus delivers; else why it cannot (it is reconnecting to the database), for readiness. */
  problem(): string | null;
  close(): Promise<void>;
}
