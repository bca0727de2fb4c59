/**
 * Where replay may send a request (SSRF rules): http(s) only, and the name resolved first, every address it resolves
 * to checked, and the connection then pinned to a checked address. Nothing here connects.
 */
import { lookup } from 'node:dns/promises';
import {
  allowsAddress, allowsHost, classifyAddress, describeClass, normalHost, parseIp, type ReplayAllow,
} from './address';

/** Every address a name resolves to, as text; rejects when it does not resolve. */
export type Resolver = (hostname: string) => Promise<string[]>;

/** The system's resolver (what a connection would use: /etc/hosts, then DNS), every address it gives. */
export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/** A target that passed the checks, and the one address the connection must go to. */
export interface CheckedTarget {
  url: URL;
  /** The URL's host name without IPv6 brackets: for TLS's server name and certificate check. */
  hostname: string;
  /** Checked; never looked up again, so that a second DNS answer (rebinding) cannot change it. */
  address: string;
  family: 4 | 6;
  /** Every address the name resolved to, all checked (the first is `address`): a connection may try each. */
  all: { address: string; family: 4 | 6 }[];
}

/** The target is refused; the message, for a person, says why. */
export class ReplayRefusal extends Error {
  override name = 'ReplayRefusal';
}

const ALLOW_HINT = '--replay-allow lets replay reach it';

/**
 * Parses and checks a replay target: throws ReplayRefusal for a URL that is not absolute, a scheme other than http
 * and https, a name under .localhost, a name that does not resolve, and a name or address that is (or resolves to
 * any address that is) loopback, private, link-local, unique-local, unspecified, carrier-grade NAT, multicast,
 * broadcast or reserved — unless `allow` lists the host name, or a network holding each such address. Resolves
 * before anything connects; only `resolve` is called.
 */
export async function checkTarget(rawUrl: string, allow: ReplayAllow, resolve: Resolver): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new ReplayRefusal('"url" must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ReplayRefusal(`refused: replay sends only to http and https URLs, not ${url.protocol}`);
  }
  // WHATWG URL has already turned 2130706433, 0x7f.1, 0177.0.0.1 and 127.1 into 127.0.0.1.
  const hostname = normalHost(url.hostname);
  const allowedByName = allowsHost(allow, hostname);
  if (!allowedByName && (hostname === 'localhost' || hostname.endsWith('.localhost'))) {
    throw new ReplayRefusal(`refused: ${hostname} is a loopback name; ${ALLOW_HINT}`);
  }

  const literal = parseIp(hostname) !== null;
  let addresses: string[];
  if (literal) {
    addresses = [hostname];
  } else {
    try {
      addresses = await resolve(hostname);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ReplayRefusal(`cannot resolve ${hostname}: ${code ?? (err instanceof Error ? err.message : String(err))}`);
    }
    if (addresses.length === 0) throw new ReplayRefusal(`cannot resolve ${hostname}: no address`);
  }

  const checked = addresses.map((address) => {
    const ip = parseIp(address);
    if (ip === null) throw new ReplayRefusal(`refused: ${hostname} resolves to ${JSON.stringify(address)}, which is not an IP address`);
    if (allowedByName || allowsAddress(allow, ip)) return ip;
    const { class: kind, ipv4 } = classifyAddress(ip);
    if (kind === 'public') return ip;
    const what = describeClass(kind) + (ipv4 === undefined ? '' : ` (IPv4 ${ipv4})`);
    throw new ReplayRefusal(literal
      ? `refused: ${address} is ${what}; ${ALLOW_HINT}`
      : `refused: ${hostname} resolves to ${address}, ${what}; ${ALLOW_HINT}`);
  });
  const all = addresses.map((address, i) => ({ address, family: checked[i].family }));
  return { url, hostname, address: addresses[0], family: checked[0].family, all };
}
