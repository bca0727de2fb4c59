/**
 * IP addresses as numbers, the classes that server-side replay refuses, and the `--replay-allow` list. Pure: no DNS,
 * no sockets (guard.ts resolves names and applies these).
 */
import { isIP } from 'node:net';

/** An address as a number: 32 bits for IPv4, 128 for IPv6. */
export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

/** What an address is, for replay: anything but `public` is refused unless --replay-allow lists it. */
export type AddressClass =
  | 'public' | 'loopback' | 'private' | 'link-local' | 'unique-local' | 'unspecified' | 'carrier-grade NAT'
  | 'multicast' | 'broadcast' | 'reserved';

export interface Classification {
  class: AddressClass;
  /** The IPv4 address that an IPv6 form carries (IPv4-mapped, -compatible, NAT64, 6to4), when it decided the class. */
  ipv4?: string;
}

/** A CIDR of --replay-allow (a single address is a /32 or /128). */
export interface Network {
  /** As written, for messages. */
  text: string;
  family: 4 | 6;
  /** The address with the bits past the prefix cleared. */
  base: bigint;
  prefix: number;
}

/** The parsed --replay-allow: host names (lower case, no trailing dot) and networks. */
export interface ReplayAllow {
  hosts: readonly string[];
  networks: readonly Network[];
}

export const NO_REPLAY_ALLOW: ReplayAllow = Object.freeze({ hosts: Object.freeze([]), networks: Object.freeze([]) });

const bitsOf = (family: 4 | 6): number => (family === 4 ? 32 : 128);

/** An IPv4 or IPv6 address in its standard text forms (dotted decimal only; an IPv6 zone is ignored); null otherwise. */
export function parseIp(text: string): IpAddress | null {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return { family: 4, value: ipv4Value(bare) };
  if (family !== 6) return null;
  const [head, tail] = bare.includes('::') ? bare.split('::') : [bare, null];
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').flatMap((g) =>
    g.includes('.') ? [Number(ipv4Value(g) >> 16n), Number(ipv4Value(g) & 0xffffn)] : [parseInt(g, 16)]));
  const before = groups(head);
  const after = tail === null ? [] : groups(tail);
  const all = [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
  return { family: 6, value: all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n) };
}

function ipv4Value(dotted: string): bigint {
  return dotted.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function ipv4Text(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

function network(text: string, prefix: number): Network {
  const ip = parseIp(text)!;
  const hostBits = BigInt(bitsOf(ip.family) - prefix);
  return { text: `${text}/${prefix}`, family: ip.family, base: (ip.value >> hostBits) << hostBits, prefix };
}

function contains(net: Network, ip: IpAddress): boolean {
  if (net.family !== ip.family) return false;
  const hostBits = BigInt(bitsOf(ip.family) - net.prefix);
  return (ip.value >> hostBits) << hostBits === net.base;
}

/** First match wins: broadcast before the reserved 240/4 that holds it. */
const IPV4_CLASSES: [Network, AddressClass][] = ([
  ['0.0.0.0', 8, 'unspecified'], // "this network": connecting to 0.0.0.0 reaches this host
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'], // cloud metadata services (169.254.169.254) live here
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'reserved'], // documentation
  ['192.88.99.0', 24, 'reserved'], // 6to4 relays
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'], // benchmarking; some networks use it inside
  ['198.51.100.0', 24, 'reserved'], // documentation
  ['203.0.113.0', 24, 'reserved'], // documentation
  ['224.0.0.0', 4, 'multicast'],
  ['255.255.255.255', 32, 'broadcast'],
  ['240.0.0.0', 4, 'reserved'],
] as const).map(([text, prefix, kind]) => [network(text, prefix), kind]);

const IPV6_CLASSES: [Network, AddressClass][] = ([
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['64:ff9b:1::', 48, 'reserved'], // NAT64 for local use
  ['100::', 64, 'reserved'], // discard-only
  ['2001::', 32, 'reserved'], // Teredo: a tunnel to an IPv4 address hidden in the bits
  ['2001:db8::', 32, 'reserved'], // documentation
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'], // site-local, deprecated
  ['ff00::', 8, 'multicast'],
] as const).map(([text, prefix, kind]) => [network(text, prefix), kind]);

/** IPv6 forms that carry an IPv4 address, and where: [prefix, shift of the IPv4 bits]. */
const IPV4_CARRIERS: [Network, bigint][] = [
  [network('::ffff:0:0', 96), 0n], // IPv4-mapped: the socket connects to the IPv4 address
  [network('::', 96), 0n], // IPv4-compatible (deprecated)
  [network('64:ff9b::', 96), 0n], // NAT64: a translator connects to the IPv4 address
  [network('2002::', 16), 80n], // 6to4
];
const GLOBAL_UNICAST = network('2000::', 3);
const IPV4_COMPATIBLE = IPV4_CARRIERS[1][0];

/** The class of an address; IPv6 forms that carry an IPv4 address take that address's class. */
export function classifyAddress(ip: IpAddress): Classification {
  if (ip.family === 4) return { class: IPV4_CLASSES.find(([net]) => contains(net, ip))?.[1] ?? 'public' };
  const listed = IPV6_CLASSES.find(([net]) => contains(net, ip));
  if (listed) return { class: listed[1] };
  const carrier = IPV4_CARRIERS.find(([net]) => contains(net, ip));
  if (carrier) {
    const ipv4 = (ip.value >> carrier[1]) & 0xffffffffn;
    const inner = classifyAddress({ family: 4, value: ipv4 });
    // A public address in the deprecated compatible form reaches nothing a person means: refuse it too.
    const kind = inner.class === 'public' && carrier[0] === IPV4_COMPATIBLE ? 'reserved' : inner.class;
    return { class: kind, ipv4: ipv4Text(ipv4) };
  }
  return { class: contains(GLOBAL_UNICAST, ip) ? 'public' : 'reserved' };
}

/** "a loopback address", "an unspecified address"… */
export function describeClass(kind: AddressClass): string {
  return `${kind === 'unspecified' ? 'an' : 'a'} ${kind} address`;
}

/** Whether --replay-allow lists a network holding the address (an IPv4 network holds its IPv4-mapped forms too). */
export function allowsAddress(allow: ReplayAllow, ip: IpAddress): boolean {
  const mapped = IPV4_CARRIERS[0][0];
  const asIpv4: IpAddress | null = ip.family === 6 && contains(mapped, ip) ? { family: 4, value: ip.value & 0xffffffffn } : null;
  return allow.networks.some((net) => contains(net, ip) || (asIpv4 !== null && contains(net, asIpv4)));
}

/** Whether --replay-allow lists the host name (as the URL has it). */
export function allowsHost(allow: ReplayAllow, hostname: string): boolean {
  return allow.hosts.includes(normalHost(hostname));
}

/** Lower case, without IPv6 brackets or a trailing dot: the form names are compared in. */
export function normalHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

const HOST_NAME = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/i;

/**
 * Parses --replay-allow: comma-separated host names, addresses and CIDRs (IPv4 and IPv6); blanks between commas are
 * skipped. Undefined when an entry is none of these (config.ts turns that into its error), including a name whose
 * last label is a number, which a URL would read as an IPv4 address in another spelling.
 */
export function parseReplayAllow(raw: string): ReplayAllow | undefined {
  const hosts: string[] = [];
  const networks: Network[] = [];
  for (const entry of raw.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const slash = entry.indexOf('/');
    const address = parseIp(slash === -1 ? entry : entry.slice(0, slash));
    if (address !== null && !entry.includes('%')) {
      const prefixText = slash === -1 ? String(bitsOf(address.family)) : entry.slice(slash + 1);
      const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1;
      if (prefix < 0 || prefix > bitsOf(address.family)) return undefined;
      const bare = (slash === -1 ? entry : entry.slice(0, slash)).replace(/^\[(.*)\]$/, '$1');
      networks.push(Object.freeze({ ...network(bare, prefix), text: entry }));
    } else if (slash === -1 && HOST_NAME.test(entry) && !/(^|\.)(\d+|0x[0-9a-f]*)\.?$/i.test(entry)) {
      hosts.push(normalHost(entry));
    } else {
      return undefined;
    }
  }
  return Object.freeze({ hosts: Object.freeze(hosts), networks: Object.freeze(networks) });
}
