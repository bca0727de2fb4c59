import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** True when the request arrived over https, directly or (with --trust-proxy) through a proxy. */
export function isSecure(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  const proto = trustProxy ? req.headers['x-forwarded-proto'] : undefined;
  return typeof proto === 'string' && proto.split(',')[0].trim().toLowerCase() === 'https';
}

/** The client's address and port; from the first X-Forwarded-For entry only with --trust-proxy. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): { address: string; port: number | null } {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  if (first) return { address: first, port: null };
  return { address: req.socket.remoteAddress ?? '', port: req.socket.remotePort ?? null };
}
