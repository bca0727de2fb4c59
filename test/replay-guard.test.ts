import { describe, expect, it } from 'vitest';
import {
  allowsAddress, classifyAddress, NO_REPLAY_ALLOW, parseIp, parseReplayAllow, type AddressClass,
} from '../server/replay/address';
import { checkTarget, ReplayRefusal, type Resolver } from '../server/replay/guard';

const classOf = (text: string): AddressClass => classifyAddress(parseIp(text)!).class;

/** A resolver from a table; a name not in it does not resolve. Records every name it is asked. */
function tableResolver(table: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    if (table[hostname]) return table[hostname];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  };
  return Object.assign(resolve, { asked });
}

describe('parseIp', () => {
  it('reads IPv4 and every IPv6 spelling as the same numbers', () => {
    expect(parseIp('127.0.0.1')).toEqual({ family: 4, value: 0x7f000001n });
    expect(parseIp('::ffff:127.0.0.1')).toEqual({ family: 6, value: 0xffff7f000001n });
    expect(parseIp('::ffff:7f00:1')).toEqual(parseIp('::ffff:127.0.0.1'));
    expect(parseIp('[0:0:0:0:0:ffff:7f00:0001]')).toEqual(parseIp('::ffff:127.0.0.1'));
    expect(parseIp('fe80::1%eth0')).toEqual({ family: 6, value: (0xfe80n << 112n) | 1n });
    expect(parseIp('1::')).toEqual({ family: 6, value: 1n << 112n });
    expect(parseIp('::')).toEqual({ family: 6, value: 0n });
  });

  it('refuses what is not an address in standard form', () => {
    for (const text of ['127.1', '0x7f000001', '2130706433', '0177.0.0.1', 'localhost', '1.2.3.4.5', ':::', '']) {
      expect(parseIp(text)).toBeNull();
    }
  });
});

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'], ['::1', 'loopback'],
    ['10.0.0.5', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'], ['fe80::1', 'link-local'], ['febf::1', 'link-local'],
    ['fc00::1', 'unique-local'], ['fd12:3456::1', 'unique-local'],
    ['0.0.0.0', 'unspecified'], ['0.1.2.3', 'unspecified'], ['::', 'unspecified'],
    ['100.64.0.1', 'carrier-grade NAT'], ['100.127.255.255', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'], ['239.255.255.250', 'multicast'], ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'], ['240.0.0.1', 'reserved'], ['192.0.2.1', 'reserved'], ['198.18.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'], ['100::1', 'reserved'], ['2001::1', 'reserved'], ['fec0::1', 'private'], ['4000::1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['::ffff:a00:5', 'private'], ['::ffff:169.254.169.254', 'link-local'],
    ['::127.0.0.1', 'loopback'], ['::7f00:1', 'loopback'], ['::8.8.8.8', 'reserved'],
    ['64:ff9b::7f00:1', 'loopback'], ['64:ff9b::10.1.2.3', 'private'], ['2002:7f00:1::', 'loopback'], ['2002:a9fe:a9fe::1', 'link-local'],
    ['8.8.8.8', 'public'], ['93.184.216.34', 'public'], ['172.32.0.1', 'public'], ['100.128.0.1', 'public'], ['11.0.0.1', 'public'],
    ['2606:4700::1111', 'public'], ['::ffff:8.8.8.8', 'public'], ['64:ff9b::8.8.8.8', 'public'], ['2002:808:808::1', 'public'],
  ])('classifies %s as %s', (address, kind) => {
    expect(classOf(address)).toBe(kind);
  });

  it('names the IPv4 address an IPv6 form carries', () => {
    expect(classifyAddress(parseIp('::ffff:7f00:1')!)).toEqual({ class: 'loopback', ipv4: '127.0.0.1' });
  });
});

describe('parseReplayAllow and allowsAddress', () => {
  it('matches addresses inside a CIDR, and an IPv4 network holds the IPv4-mapped forms', () => {
    const allow = parseReplayAllow('10.0.0.0/8,fd00::/8,127.0.0.1')!;
    for (const address of ['10.0.0.5', '10.255.255.255', 'fd00::1', 'fdff::1', '127.0.0.1', '::ffff:10.1.2.3', '::ffff:7f00:1']) {
      expect(allowsAddress(allow, parseIp(address)!), address).toBe(true);
    }
    for (const address of ['11.0.0.1', 'fc00::1', '127.0.0.2', '::1', '192.168.0.1']) {
      expect(allowsAddress(allow, parseIp(address)!), address).toBe(false);
    }
  });

  it('takes 0.0.0.0/0 and ::/0 as everything', () => {
    const allow = parseReplayAllow('0.0.0.0/0,::/0')!;
    expect(allowsAddress(allow, parseIp('127.0.0.1')!)).toBe(true);
    expect(allowsAddress(allow, parseIp('fe80::1')!)).toBe(true);
  });
});

describe('checkTarget', () => {
  it('refuses schemes other than http and https, and what is not a URL, without resolving', async () => {
    const resolve = tableResolver({});
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'gopher://example.com/', 'javascript:alert(1)', 'ws://example.com/']) {
      await expect(checkTarget(url, NO_REPLAY_ALLOW, resolve)).rejects.toThrow(/^refused: replay sends only to http and https URLs, not [a-z]+:$/);
    }
    await expect(checkTarget('example.com/x', NO_REPLAY_ALLOW, resolve)).rejects.toThrow('"url" must be an absolute http or https URL');
    expect(resolve.asked).toEqual([]);
  });

  it('refuses a name when any address it resolves to is not public, and names that address and its class', async () => {
    const resolve = tableResolver({ 'mixed.example': ['93.184.216.34', '10.0.0.5'], 'meta.example': ['::ffff:169.254.169.254'] });
    await expect(checkTarget('https://mixed.example/', NO_REPLAY_ALLOW, resolve)).rejects.toThrow(new ReplayRefusal(
      'refused: mixed.example resolves to 10.0.0.5, a private address; --replay-allow lets replay reach it'));
    await expect(checkTarget('http://meta.example/', NO_REPLAY_ALLOW, resolve)).rejects.toThrow(
      'refused: meta.example resolves to ::ffff:169.254.169.254, a link-local address (IPv4 169.254.169.254); --replay-allow lets replay reach it');
  });

  it('refuses a name that does not resolve', async () => {
    await expect(checkTarget('http://nowhere.invalid/', NO_REPLAY_ALLOW, tableResolver({}))).rejects.toThrow('cannot resolve nowhere.invalid: ENOTFOUND');
    await expect(checkTarget('http://empty.example/', NO_REPLAY_ALLOW, tableResolver({ 'empty.example': [] }))).rejects.toThrow(ReplayRefusal);
  });

  it('refuses localhost and names under .localhost whatever they resolve to', async () => {
    const resolve = tableResolver({ 'api.localhost': ['93.184.216.34'] });
    for (const url of ['http://localhost/', 'http://LOCALHOST./', 'http://api.localhost:8080/']) {
      await expect(checkTarget(url, NO_REPLAY_ALLOW, resolve)).rejects.toThrow(/^refused: (api\.)?localhost is a loopback name; --replay-allow lets replay reach it$/);
    }
    expect(resolve.asked).toEqual([]);
  });

  it('lets a listed host name through whatever it resolves to, and a listed network its addresses', async () => {
    const resolve = tableResolver({ 'hooks.internal': ['10.0.0.5', '10.0.0.6'], 'other.internal': ['10.0.0.7'], localhost: ['127.0.0.1'] });
    const allow = parseReplayAllow('hooks.internal,localhost,127.0.0.0/8,fd00::/8')!;
    expect(await checkTarget('http://Hooks.Internal:9000/x', allow, resolve)).toMatchObject({ hostname: 'hooks.internal', address: '10.0.0.5', family: 4 });
    expect(await checkTarget('http://localhost/', allow, resolve)).toMatchObject({ address: '127.0.0.1' });
    expect(await checkTarget('http://127.1/', allow, resolve)).toMatchObject({ hostname: '127.0.0.1', address: '127.0.0.1' });
    expect(await checkTarget('http://[fd00::5]/', allow, resolve)).toMatchObject({ hostname: 'fd00::5', address: 'fd00::5', family: 6 });
    await expect(checkTarget('http://other.internal/', allow, resolve)).rejects.toThrow('refused: other.internal resolves to 10.0.0.7, a private address');
    expect(resolve.asked).toEqual(['hooks.internal', 'localhost', 'other.internal']);
  });

  it('answers a public target with the first address it resolves to', async () => {
    const resolve = tableResolver({ 'example.com': ['2606:2800:220:1:248:1893:25c8:1946', '93.184.216.34'] });
    expect(await checkTarget('https://example.com/hook?a=1', NO_REPLAY_ALLOW, resolve))
      .toMatchObject({ hostname: 'example.com', address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 });
    expect(await checkTarget('http://8.8.8.8/', NO_REPLAY_ALLOW, resolve)).toMatchObject({ address: '8.8.8.8' });
  });
});
