/** Where a capture goes: the bin id, the sub-path after /b/{binId} ("/" when none) and the raw query. */
export interface CaptureTarget {
  binId: string;
  path: string;
  query: string;
}

/** Splits a request-target into bin id, sub-path and raw query; null when it is not under /b/. */
export function parseCaptureTarget(target: string): CaptureTarget | null {
  let pathAndQuery = target;
  if (!target.startsWith('/')) {
    // absolute-form (a proxy request): keep what follows the authority
    const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/i.exec(target);
    if (!match) return null;
    pathAndQuery = match[1] || '/';
  }
  const q = pathAndQuery.indexOf('?');
  const path = q === -1 ? pathAndQuery : pathAndQuery.slice(0, q);
  const query = q === -1 ? '' : pathAndQuery.slice(q + 1);
  // "/b" and "/b/" too, so that a capture URL without its bin id gets capture's JSON 404, not the viewer.
  const match = /^\/b(?:\/([^/]*)(\/.*)?)?$/.exec(path);
  if (!match) return null;
  return { binId: match[1] ?? '', path: match[2] ?? '/', query };
}
