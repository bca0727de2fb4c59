/**
 * Where an exported request goes: the origin to connect to and the request-target to put on the request line.
 * Pure: no I/O. Shared by the cURL command and the HAR document.
 */
import { outgoingRequest, type CapturedMessage } from '../replay/outgoing';

export interface Destination {
  /** scheme://host[:port] */
  origin: string;
  /** The request-target, byte for byte (one character a byte): origin-form, or absolute-form as captured. */
  target: string;
}

/** Thrown for a destination URL that cannot be one; the message says why, for a person. */
export class DestinationError extends Error {
  override name = 'DestinationError';
}

/**
 * The capture URL the request came to, as a client reaches it through `captureBase` (--public-url, or the caller's
 * own scheme and Host): the request-target exactly as received, behind the base's path when it has one (a proxy
 * that serves hooklens under a prefix removes it before hooklens sees the target). An absolute-form target is kept
 * as it is when the base has no path, else its path and query go behind the base's.
 */
export function captureDestination(captureBase: string, receivedTarget: string): Destination {
  const base = new URL(captureBase);
  const prefix = base.pathname.replace(/\/+$/, '');
  if (prefix === '') return { origin: base.origin, target: receivedTarget };
  return { origin: base.origin, target: prefix + originForm(receivedTarget) };
}

/**
 * The request sent to another URL, as `hooklens forward` addresses it (see outgoingRequest): the URL's path, then
 * the captured sub-path unless it is "/", then the URL's query and the captured one. Throws DestinationError for
 * anything but an absolute http(s) URL.
 */
export function forwardDestination(record: CapturedMessage, to: string): Destination {
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw new DestinationError('"to" must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DestinationError(`"to" must be an http or https URL, not ${url.protocol.slice(0, -1)}`);
  }
  return { origin: url.origin, target: outgoingRequest(record, url).path };
}

/** The path and query of a request-target: an absolute-form one without its scheme and authority. */
export function originForm(target: string): string {
  if (target.startsWith('/')) return target;
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/i.exec(target);
  return match ? match[1] || '/' : `/${target}`;
}
