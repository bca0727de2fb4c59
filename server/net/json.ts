import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** Answers with a JSON body: for the paths that run outside Express (capture, the server's own limits). */
export function sendJson(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  // Object.assign, not a spread with added fields: V8 takes µs for that, and this runs for every capture answered.
  res.writeHead(status, Object.assign({}, headers, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) }));
  res.end(json);
}

/**
 * Writes a whole HTTP response, `{"error": message}`, on a raw socket and closes it: for what never reaches a
 * request handler (parser errors, refused WebSocket upgrades).
 */
export function endSocketWithError(socket: Duplex, status: number, message: string): void {
  const json = JSON.stringify({ error: message });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`);
}
