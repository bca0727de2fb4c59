import type { LiveEvent } from '../bus/port';
import { ConflictError, NotFoundError, StoreUnavailableError } from '../store';
import type { Channel, ToServer, ToWriter, WireError } from './protocol';

export type WriterChannel = Channel<ToServer, ToWriter>;

/** A message that expects an answer, without the id the link gives it. */
type Question = ToWriter extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;

/** Why nothing can be asked any longer. */
export const LOST = 'the writer process is gone';

/**
 * A server process's end of the channel to the writer: questions matched with their answers, the events and bin
 * changes handed to whoever registered for them. When the writer is gone every question pending, and every later
 * one, rejects with StoreUnavailableError: nothing was stored.
 */
export class WriterLink {
  private lastId = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  private lost = false;
  onEvents: (events: LiveEvent[]) => void = () => {};
  onBinChanged: (binId: string) => void = () => {};
  private readonly lostListeners = new Set<() => void>();

  constructor(private readonly channel: WriterChannel) {
    channel.onMessage((message) => this.receive(message));
    channel.onClose(() => {
      this.lost = true;
      for (const { reject } of this.pending.values()) reject(new StoreUnavailableError(LOST));
      this.pending.clear();
      for (const listener of this.lostListeners) listener();
    });
  }

  ask<T>(question: Question): Promise<T> {
    if (this.lost) return Promise.reject(new StoreUnavailableError(LOST));
    const id = ++this.lastId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.channel.send({ ...question, id } as ToWriter);
    });
  }

  tell(message: Extract<ToWriter, { type: 'publish' | 'unfollow' }>): void {
    if (!this.lost) this.channel.send(message);
  }

  isLost(): boolean {
    return this.lost;
  }

  /** Registers what to do when the writer is gone; returns the function that unregisters it. */
  onLost(listener: () => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** The channel also carries the cluster's other messages (metrics): only the writer's are read here. */
  private receive(message: ToServer): void {
    switch (message.type) {
      case 'events':
        return this.onEvents(message.events);
      case 'bin-changed':
        return this.onBinChanged(message.binId);
      case 'answer':
      case 'failed':
      case 'stored': {
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        this.pending.delete(message.id);
        if (message.type === 'failed') waiting.reject(fromWireError(message.error));
        else if (message.type === 'stored') waiting.resolve(message.results.map((r) => ('id' in r ? r : fromWireError(r))));
        else waiting.resolve(message.value);
      }
    }
  }
}

function fromWireError({ name, message }: WireError): Error {
  if (name === 'NotFoundError') return new NotFoundError(message);
  if (name === 'ConflictError') return new ConflictError(message);
  if (name === 'StoreUnavailableError') return new StoreUnavailableError(message);
  const err = new Error(message);
  err.name = name;
  return err;
}
