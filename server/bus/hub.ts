import type { ServerMessage } from '../../shared/types';

/**
 * Receives a message already serialised (the hub encodes each message once, whatever the number of listeners),
 * and the message itself, to be read, not changed.
 */
export type Listener = (json: string, message: ServerMessage) => void;

/**
 * This process's fan-out to its live connections, per bin; the bus feeds it. Publishing is synchronous: when
 * `publish` returns, every listener has been called, in subscription order, so listeners see a bin's messages in
 * the order the bus hands them over.
 */
export class Hub {
  private readonly byBin = new Map<string, Set<Listener>>();
  private readonly everyone = new Set<Listener>();

  /** Delivers the bin's messages to `listener` until the returned function is called. */
  subscribe(binId: string, listener: Listener): () => void {
    let listeners = this.byBin.get(binId);
    if (!listeners) this.byBin.set(binId, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.byBin.get(binId) === listeners) this.byBin.delete(binId);
    };
  }

  /** Delivers messages about bins themselves (created, changed, deleted) until the returned function is called. */
  subscribeAll(listener: Listener): () => void {
    this.everyone.add(listener);
    return () => this.everyone.delete(listener);
  }

  /** Sends a message to the bin's subscribers. */
  publish(binId: string, message: ServerMessage): void {
    const listeners = this.byBin.get(binId);
    if (!listeners || listeners.size === 0) return;
    const json = JSON.stringify(message);
    for (const listener of [...listeners]) listener(json, message);
  }

  /** Sends a message to every connection. */
  broadcast(message: ServerMessage): void {
    if (this.everyone.size === 0) return;
    const json = JSON.stringify(message);
    for (const listener of [...this.everyone]) listener(json, message);
  }

  /** How many connections hear bin messages (every open live connection). */
  get connectionCount(): number {
    return this.everyone.size;
  }

  /** How many listeners follow a bin; for tests and diagnostics. */
  subscriberCount(binId: string): number {
    return this.byBin.get(binId)?.size ?? 0;
  }
}
