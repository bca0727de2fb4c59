import { once } from 'node:events';
import WebSocket from 'ws';
import type { ServerMessage } from '../../shared/types';

/** A live-stream client for tests: records every message and lets a test wait for one that matches. */
export class LiveClient {
  readonly messages: ServerMessage[] = [];
  private waiters: { match: (m: ServerMessage[]) => boolean; resolve: () => void }[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as ServerMessage);
      this.waiters = this.waiters.filter((w) => (w.match(this.messages) ? (w.resolve(), false) : true));
    });
  }

  static async connect(url: string, options?: WebSocket.ClientOptions): Promise<LiveClient> {
    const ws = new WebSocket(url, options);
    const client = new LiveClient(ws);
    await once(ws, 'open');
    return client;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /**
   * Resolves once the server has handled every message sent before: it answers messages in order,
   * so the error for a deliberately unknown bin comes after them.
   */
  async sync(): Promise<void> {
    const errors = () => this.messages.filter((m) => m.type === 'error').length;
    const count = errors();
    this.send({ type: 'subscribe', binId: '-sync-' });
    await this.until(() => errors() > count);
  }

  /** Resolves once the messages so far satisfy `match`. */
  until(match: (messages: ServerMessage[]) => boolean): Promise<void> {
    if (match(this.messages)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** Ids of the request messages received for a bin, in arrival order. */
  requestIds(binId: string): number[] {
    return this.messages.flatMap((m) => (m.type === 'request' && m.binId === binId ? [m.request.id] : []));
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = once(this.ws, 'close');
    this.ws.terminate();
    await closed;
  }
}
