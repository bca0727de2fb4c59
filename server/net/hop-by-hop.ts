/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1): never passed on by forwarding, replay or
 * the relay, nor any `Proxy-*` header. Host and Content-Length are not here: forwarding replaces them in place.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

/** True for a hop-by-hop header name, in lower case. */
export function isHopByHop(lowerName: string): boolean {
  return HOP_BY_HOP.has(lowerName) || lowerName.startsWith('proxy-');
}
