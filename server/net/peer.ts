import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** True when the request arrived over https, directly or (with --trust-proxy) through a proxy. */
export function isSecure(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  // The last entry is the one the trusted proxy added; entries before it are the client's words.
  const proto = trustProxy ? req.headers['x-forwarded-proto'] : undefined;
  return typeof proto === 'string' && proto.split(',').at(-1)!.trim().toLowerCase() === 'https';
}

/**
 * The base of capture URLs as the client of `req` reaches this server: `--public-url` when set, else the scheme and
 * Host of its own request.
 */
export function captureBaseFor(config: { publicUrl: string | null; trustProxy: boolean }, req: IncomingMessage): string {
  return config.publicUrl ?? `${isSecure(req, config.trustProxy) ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
}

/**
 * The client's address and port. With --trust-proxy, the last X-Forwarded-For entry: the one the trusted proxy
 * added. Entries before it are whatever the client wrote, so they can name any address.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): { address: string; port: number | null } {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').at(-1)?.trim();
  if (last) return { address: last, port: null };
  return { address: req.socket.remoteAddress ?? '', port: req.socket.remotePort ?? null };
}
