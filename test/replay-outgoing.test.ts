import { describe, expect, it } from 'vitest';
import { outgoingRequest, type CapturedMessage } from '../server/replay/outgoing';

function message(overrides: Partial<CapturedMessage> = {}): CapturedMessage {
  return { method: 'POST', path: '/', query: '', headers: [], body: Buffer.from('{"a":1}'), truncated: false, ...overrides };
}

describe('outgoingRequest: the path and query', () => {
  it.each([
    ['http://h/base', '/', '/base'],
    ['http://h/base', '/hook', '/base/hook'],
    ['http://h/base/', '/hook', '/base/hook'],
    ['http://h/base/', '/', '/base/'],
    ['http://h', '/', '/'],
    ['http://h/', '/hook/x', '/hook/x'],
    ['http://h/a/b', '/c/', '/a/b/c/'],
  ])('joins %s and the captured %s as %s', (target, path, expected) => {
    const out = outgoingRequest(message({ path }), new URL(target));
    expect(out.path).toBe(expected);
    expect(out.url.pathname).toBe(expected);
  });

  it.each([
    ['http://h/x', '', '/x'],
    ['http://h/x', 'a=1&b=2', '/x?a=1&b=2'],
    ['http://h/x?k=v', '', '/x?k=v'],
    ['http://h/x?k=v', 'a=1', '/x?k=v&a=1'],
    ['http://h/x?', 'a=1', '/x?a=1'],
  ])('appends the captured query to the target\'s own (%s + %j → %s)', (target, query, expected) => {
    expect(outgoingRequest(message({ query }), new URL(target)).path).toBe(expected);
  });

  it('keeps the captured path and query byte for byte on the request line, and never reads "//name" as a host', () => {
    const out = outgoingRequest(message({ path: '//evil.example/../%2e%2e/a b', query: 'q=<"x">&&' }), new URL('http://h:8080/#frag'));
    expect(out.path).toBe('//evil.example/../%2e%2e/a b?q=<"x">&&');
    expect(out.url.host).toBe('h:8080');
    expect(out.url.hash).toBe('');
  });
});

describe('outgoingRequest: the headers', () => {
  it('keeps order, case and duplicates; drops hop-by-hop ones; Host and Content-Length replaced in place', () => {
    const headers: [string, string][] = [
      ['host', 'capture.example:8080'], ['X-B', '1'], ['connection', 'keep-alive'], ['x-b', '2'], ['Keep-Alive', 'timeout=5'],
      ['Transfer-Encoding', 'chunked'], ['Upgrade', 'h2c'], ['Proxy-Authorization', 'Basic x'], ['PROXY-Connection', 'x'],
      ['TE', 'trailers'], ['Trailer', 'X-Sum'], ['CONTENT-LENGTH', '999'], ['Content-Length', '7'], ['X-A', 'é'],
    ];
    const out = outgoingRequest(message({ headers }), new URL('https://target.example:8443/in'));
    expect(out.headers).toEqual([
      'host', 'target.example:8443', 'X-B', '1', 'x-b', '2', 'CONTENT-LENGTH', '7', 'X-A', 'é',
    ]);
  });

  it('adds Host first and Content-Length last when the capture had neither (an empty body too)', () => {
    const out = outgoingRequest(message({ headers: [['X-One', '1']], body: Buffer.alloc(0) }), new URL('http://[::1]:9000/'));
    expect(out.headers).toEqual(['Host', '[::1]:9000', 'X-One', '1', 'Content-Length', '0']);
  });

  it('leaves the default port out of Host', () => {
    expect(outgoingRequest(message(), new URL('https://t.example:443/')).headers.slice(0, 2)).toEqual(['Host', 't.example']);
  });

  it('passes header values through as the latin1 strings they are stored as', () => {
    const value = Buffer.from('naïve ☃', 'utf8').toString('latin1');
    const out = outgoingRequest(message({ headers: [['X-Name', value]] }), new URL('http://h/'));
    expect(Buffer.from(out.headers[3], 'latin1').toString('utf8')).toBe('naïve ☃');
  });
});

describe('outgoingRequest: the method and body', () => {
  it('sends the same method and the stored bytes, a truncated body as stored', () => {
    const body = Buffer.from([0, 255, 1, 254]);
    const out = outgoingRequest(message({ method: 'PATCH', body, truncated: true, headers: [['Content-Length', '100000']] }), new URL('http://h/'));
    expect(out.method).toBe('PATCH');
    expect(out.body.equals(body)).toBe(true);
    expect(out.headers).toEqual(['Host', 'h', 'Content-Length', '4']);
  });
});
