import { serialize, deserialize } from 'node:v8';
import type { Channel, ToServer, ToWriter } from '../../server/workers/protocol';

export interface ChannelPair {
  writer: Channel<ToWriter, ToServer>;
  server: Channel<ToServer, ToWriter>;
  /** Holds back what the writer sends the server process until the returned function is called (a slow pipe). */
  holdServer(): () => void;
  /** The server process goes away. */
  close(): void;
}

/**
 * The two ends of a writer's channel to one server process, in one process: each message is copied as Node's IPC
 * copies it (V8 serialisation) and arrives in a later turn, in order.
 */
export function channelPair(): ChannelPair {
  let closed = false;
  let held: (() => void)[] | null = null;
  const toWriter: ((message: ToWriter) => void)[] = [];
  const toServer: ((message: ToServer) => void)[] = [];
  const closers: (() => void)[] = [];
  const deliver = <T>(listeners: ((message: T) => void)[], message: T, holdable: boolean): void => {
    const copy = deserialize(serialize(message)) as T;
    const arrive = (): void => void setImmediate(() => !closed && listeners.forEach((listener) => listener(copy)));
    if (holdable && held) held.push(arrive);
    else arrive();
  };
  const end = <In, Out>(listeners: ((message: In) => void)[], send: (message: Out) => void): Channel<In, Out> => ({
    send(message) {
      if (closed) throw new Error('channel closed');
      send(message);
    },
    onMessage: (listener) => void listeners.push(listener),
    onClose: (listener) => void closers.push(listener),
  });
  return {
    writer: end<ToWriter, ToServer>(toWriter, (message) => deliver(toServer, message, true)),
    server: end<ToServer, ToWriter>(toServer, (message) => deliver(toWriter, message, false)),
    holdServer() {
      held = [];
      return () => {
        const waiting = held ?? [];
        held = null;
        for (const arrive of waiting) arrive();
      };
    },
    close() {
      if (closed) return;
      closed = true;
      for (const listener of closers) listener();
    },
  };
}
