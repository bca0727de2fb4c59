import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { get, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { FullRequestRecord, NewRequest } from '../server/store';
import { startTestServer, type TestServer } from './helpers/app';
import { sendRaw } from './helpers/raw';
import { newRequest } from './store/requests';

const validateHar = (createRequire(import.meta.url)('har-validator') as { har(doc: unknown): Promise<unknown> }).har;

/** What payloads that would run something, were a quote to break, would create: none of it may exist afterwards. */
const markers = mkdtempSync(join(tmpdir(), 'hooklens-export-'));
/** HOME for bash and curl: no ~/.curlrc, no history of the user's. */
const home = mkdtempSync(join(tmpdir(), 'hooklens-export-home-'));
afterAll(() => {
  rmSync(markers, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

const servers: TestServer[] = [];
afterEach(async () => {
  for (const t of servers.splice(0)) await t.close();
  expect(readdirSync(markers)).toEqual([]);
});

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const t = await startTestServer({ bins: ['src', 'dst'], ...options });
  servers.push(t);
  return t;
}

/** A request to bin src sent as these exact bytes (latin1 head, then the body); resolves with its stored record. */
async function capture(t: TestServer, head: string, body: Buffer = Buffer.alloc(0), status = 200): Promise<FullRequestRecord> {
  const answer = await sendRaw(t.port, Buffer.concat([Buffer.from(head, 'latin1'), body]));
  expect(answer.status).toBe(status);
  const [newest] = (await t.store.listRequests('src', { limit: 1 })).requests;
  return t.store.getRequest('src', newest.id);
}

/** Runs `command` with bash as a script does (`bash -c`), or typed into an interactive one (history expansion on). */
function bash(command: string, mode: 'script' | 'interactive' = 'script'): Promise<{ stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, HISTFILE: join(home, 'history'), LANG: 'C.UTF-8' };
  return new Promise((resolve, reject) => {
    const child = execFile('bash', mode === 'script' ? ['-c', command] : ['--norc', '--noprofile', '-i'], { env, timeout: 10_000, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => (err ? reject(Object.assign(err, { stderr })) : resolve({ stdout, stderr })));
    if (mode === 'interactive') child.stdin!.end(`${command}\nexit\n`);
    else child.stdin!.end();
  });
}

/** The command /curl answers for the request, as a client of `t` asks for it. */
async function curlOf(t: TestServer, id: number, to?: string): Promise<string> {
  const res = await fetch(`${t.url}/api/bins/src/requests/${id}/curl${to === undefined ? '' : `?to=${encodeURIComponent(to)}`}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  return res.text();
}

/** Runs the command and answers the request it stored in `binId` (the newest there). */
async function resend(t: TestServer, command: string, binId = 'src', mode: 'script' | 'interactive' = 'script'): Promise<FullRequestRecord> {
  const before = (await t.store.listRequests(binId, { limit: 1 })).requests[0]?.id ?? 0;
  await bash(command, mode);
  const [newest] = (await t.store.listRequests(binId, { limit: 1 })).requests;
  expect(newest?.id).toBeGreaterThan(before);
  return t.store.getRequest(binId, newest.id);
}

const exceptHostAndLength = (record: FullRequestRecord) =>
  record.headers.filter(([name]) => !['host', 'content-length'].includes(name.toLowerCase()));

/** The comparison the contract promises: method, target, header pairs but Host and Content-Length, body. */
function expectSame(again: FullRequestRecord, original: FullRequestRecord, target = original.url): void {
  expect(again.method).toBe(original.method);
  expect(again.url).toBe(target);
  expect(again.httpVersion).toBe(original.httpVersion);
  expect(exceptHostAndLength(again)).toEqual(exceptHostAndLength(original));
  expect(again.bodySha256).toBe(original.bodySha256);
  expect(again.body.length).toBe(original.body.length);
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('GET /api/bins/{binId}/requests/{id}/curl', () => {
  /** Every field holds bytes that would run something, or be changed, if they reached bash or curl unquoted. */
  function hostileHead(t: TestServer, body: Buffer, contentType: string): string {
    const run = (name: string) => `$(touch ${markers}/${name})`;
    const tick = (name: string) => `\`touch ${markers}/${name}\``;
    return [
      `POST /b/src/a/../b//c/$(touch\${IFS}${markers}/path)/it's/\`id\`/\\/%zz/"{x}|^<>/!x?q=%00&x='&y=$(touch\${IFS}${markers}/query)&z=!!&w=;&e= HTTP/1.1`,
      `Host: 127.0.0.1:${t.port}`,
      `X-Hostile: ${run('header')} ${tick('header2')} 'single' "double" \\ ! ; | & \t tab $HOME \${HOME} %s %% \xff\xfe latin1`,
      `X-Q'uo!te$|&*#~^\`: name`,
      `X-Ascii: ${run('ascii')} ${tick('ascii2')} $HOME !! !$ ; | & < > * ? [a] {b,c} ~`,
      'X-Dup: one',
      'x-dup: two',
      'X-Empty: ',
      `Content-Type: ${contentType}`,
      'X-Dup: three',
      `Content-Length: ${body.length}`,
      'Connection: close',
      '', '',
    ].join('\r\n');
  }

  const textBody = Buffer.from(`{"cmd":"$(touch ${markers}/text)","tick":"\`touch ${markers}/text2\`","quote":"it's",` +
    `"esc":"\\\\n \\" %s %d %% \\\\x41 \\\\u0041","bang":"!! !$ !-1","nl":"a\nb\r\nc\td","nul":"\u0000","utf8":"café €"}\n`);
  const binaryBody = Buffer.concat([Buffer.from([0x00, 0xff, 0xfe, 0x27, 0x5c, 0x0a, 0x00]), Buffer.from(`$(touch ${markers}/binary)'`), Buffer.from([0x80, 0x00])]);

  it.each([
    ['a UTF-8 text body (printf)', textBody, 'application/json', 'script'],
    ['a binary body with NUL and 0xff bytes (base64 -d)', binaryBody, 'application/octet-stream', 'script'],
    ['a text body, typed into an interactive bash (history expansion on)', textBody, 'text/plain', 'interactive'],
    ['a binary body, typed into an interactive bash', binaryBody, 'application/octet-stream', 'interactive'],
  ] as const)('sends %s again byte for byte, with hostile bytes in every field, and runs nothing else', async (_, body, type, mode) => {
    const t = await server();
    const original = await capture(t, hostileHead(t, body, type), body);
    expect(original.body.equals(body)).toBe(true);
    expect(original.headers.find(([name]) => name === 'X-Hostile')![1]).toContain('\xff\xfe');
    const command = await curlOf(t, original.id);
    // ASCII whatever the request holds: no charset on the way can change a byte.
    expect(command).toMatch(/^[\x20-\x7e\n]*$/);
    expect(command).toContain('--data-binary @-');
    const again = await resend(t, command, 'src', mode);
    expectSame(again, original);
    expect(again.body.equals(body)).toBe(true);
    expect(again.path).toBe(original.path);
    expect(again.query).toBe(original.query);
    expect(existsSync(join(markers, 'path'))).toBe(false); // and afterEach: nothing at all under markers
  });

  it('keeps the order of User-Agent and Accept when the capture has them, and sends no header of curl\'s own otherwise', async () => {
    const t = await server();
    const withThem = await capture(t, [
      'PUT /b/src/ua HTTP/1.1', 'X-First: 1', 'Accept: application/x-custom', `Host: 127.0.0.1:${t.port}`, 'User-Agent: Zendesk Webhook',
      'X-Last: 2', 'Content-Length: 2', 'Connection: close', '', 'hi',
    ].join('\r\n'));
    const again = await resend(t, await curlOf(t, withThem.id));
    expectSame(again, withThem);
    expect(again.headers.map(([name]) => name)).toEqual(['Host', 'X-First', 'Accept', 'User-Agent', 'X-Last', 'Content-Length', 'Connection']);

    const without = await capture(t, `GET /b/src/none HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nConnection: close\r\n\r\n`);
    const command = await curlOf(t, without.id);
    expect(command).toContain("-H 'User-Agent:' -H 'Accept:'");
    expect(command).not.toContain('--data-binary');
    const bare = await resend(t, command);
    expect(bare.headers).toEqual([['Host', `127.0.0.1:${t.port}`], ['Connection', 'close']]);
    expectSame(bare, without);
  });

  it('sends an empty body, a chunked one chunked, HEAD, and HTTP/1.0 as they came', async () => {
    const t = await server();
    const heads = [
      `POST /b/src/empty HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      `POST /b/src/chunked HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n3\r\n\x00\xff!\r\n0\r\n\r\n`,
      `POST /b/src/chunked-empty HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n`,
      `HEAD /b/src/head HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nX-A: 1\r\nConnection: close\r\n\r\n`,
      `DELETE /b/src/old HTTP/1.0\r\nHost: 127.0.0.1:${t.port}\r\nX-A: 1\r\n\r\n`,
      // printf's options, and escapes it would read in its format were they not escaped.
      `POST /b/src/dash HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nContent-Length: 13\r\nConnection: close\r\n\r\n-v -- %s\\c%b\n`,
    ];
    for (const head of heads) {
      const original = await capture(t, head);
      const again = await resend(t, await curlOf(t, original.id));
      expectSame(again, original);
    }
    const chunked = (await t.store.listRequests('src', { limit: 10 })).requests.find((r) => r.path === '/chunked')!;
    expect(chunked.headers).toContainEqual(['Transfer-Encoding', 'chunked']);
    expect(chunked.bodySha256).toBe(sha256(Buffer.from('hello\x00\xff!', 'latin1')));
  });

  it('sends the request to ?to= as forward addresses it: the URL\'s path, the sub-path, the URL\'s query and the captured one', async () => {
    const t = await server();
    const body = Buffer.from([0x00, 0xff, 0x41]);
    const original = await capture(t, [
      `PATCH /b/src/hook/../x?a=1&b='$(touch\${IFS}${markers}/to) HTTP/1.1`, `Host: 127.0.0.1:${t.port}`, 'X-Tab: a\tb\xff', 'X-Empty:',
      'Content-Length: 3', 'Connection: close', '', '',
    ].join('\r\n'), body);
    const command = await curlOf(t, original.id, `${t.url}/b/dst/base?k=v`);
    const again = await resend(t, command, 'dst');
    expectSame(again, original, `/b/dst/base/hook/../x?k=v&a=1&b='$(touch\${IFS}${markers}/to)`);
    expect(again.headers.find(([name]) => name.toLowerCase() === 'host')![1]).toBe(`127.0.0.1:${t.port}`);
  });

  it('puts a plain target in the URL with --path-as-is, and any other with --request-target', async () => {
    const t = await server();
    const plain = await capture(t, `GET /b/src/a/../b//c?x=%2F&y=it's HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nConnection: close\r\n\r\n`);
    const plainCommand = await curlOf(t, plain.id);
    expect(plainCommand).toContain(`$'http://127.0.0.1:${t.port}/b/src/a/../b//c?x=%2F&y=it\\x27s' --path-as-is`);
    expectSame(await resend(t, plainCommand), plain);
    const odd = await capture(t, `GET /b/src/"it's"/{x}/a\\b#frag?q= HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nConnection: close\r\n\r\n`);
    const oddCommand = await curlOf(t, odd.id);
    expect(oddCommand).toContain(`'http://127.0.0.1:${t.port}' --request-target $'/b/src/"it\\x27s"/{x}/a\\x5cb#frag?q='`);
    expectSame(await resend(t, oddCommand), odd);
  });

  it('notes a truncated body and sends what is stored, with its length', async () => {
    const t = await server({ config: { maxBody: 4 } });
    const answer = await sendRaw(t.port, `POST /b/src HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nContent-Length: 10\r\nConnection: close\r\n\r\n0123456789`);
    expect(answer.status).toBe(413);
    const { id } = JSON.parse(answer.body) as { id: number };
    const command = await curlOf(t, id);
    expect(command).toMatch(/^# the body was cut at --max-body: 4 of 10 bytes are sent\n/);
    expect(command).toContain("-H 'Content-Length: 4'");
    const again = await resend(t, command);
    expect(again.body.toString()).toBe('0123');
  });

  it('answers 400 for a "to" that is not an absolute http(s) URL or a bad id, and 404 for an unknown request or bin', async () => {
    const t = await server();
    const original = await capture(t, `GET /b/src HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nConnection: close\r\n\r\n`);
    for (const to of ['ftp://example.com/x', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', '/relative']) {
      const res = await fetch(`${t.url}/api/bins/src/requests/${original.id}/curl?to=${encodeURIComponent(to)}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/"to" must be/);
    }
    expect((await fetch(`${t.url}/api/bins/src/requests/x/curl`)).status).toBe(400);
    expect((await fetch(`${t.url}/api/bins/src/requests/${original.id + 1000}/curl`)).status).toBe(404);
    expect((await fetch(`${t.url}/api/bins/dst/requests/${original.id}/curl`)).status).toBe(404);
  });
});

interface Har {
  log: {
    version: string;
    creator: { name: string; version: string };
    comment?: string;
    entries: {
      startedDateTime: string;
      comment: string;
      request: {
        method: string; url: string; httpVersion: string; headers: { name: string; value: string }[];
        queryString: { name: string; value: string }[]; cookies: { name: string; value: string }[];
        headersSize: number; bodySize: number; postData?: { mimeType: string; text: string; encoding?: string };
      };
      response: { status: number; statusText: string };
    }[];
  };
}

async function harOf(t: TestServer, query = ''): Promise<{ har: Har; res: Response }> {
  const res = await fetch(`${t.url}/api/bins/src/har${query}`);
  expect(res.status).toBe(200);
  const har = (await res.json()) as Har;
  await validateHar(har);
  return { har, res };
}

const idOf = (entry: Har['log']['entries'][number]): number => Number(/^hooklens request (\d+)$/.exec(entry.comment)![1]);

describe('GET /api/bins/{binId}/har', () => {
  it('is a valid HAR 1.2 document of text, JSON, form, binary and empty bodies, newest first, as an attachment', async () => {
    const t = await server();
    const base = `Host: 127.0.0.1:${t.port}\r\nConnection: close`;
    const json = await capture(t, `POST /b/src/json?a=1&b=caf%C3%A9&c=x+y&flag HTTP/1.1\r\n${base}\r\nContent-Type: application/json\r\nX-Name: caf\xc3\xa9 \xff\r\nCookie: s=1; t=two\r\nContent-Length: 10\r\n\r\n{"a":"é"}`.replace('{"a":"é"}', '{"a":"\xc3\xa9"}'));
    const form = await capture(t, `POST /b/src/form HTTP/1.1\r\n${base}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\na=1&b=2`);
    const text = await capture(t, `PUT /b/src/text HTTP/1.1\r\n${base}\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nline\r\n`);
    const binary = await capture(t, `POST /b/src/bin HTTP/1.1\r\n${base}\r\nContent-Type: application/octet-stream\r\nContent-Length: 4\r\n\r\n`, Buffer.from([0, 0xff, 0xfe, 1]));
    const empty = await capture(t, `GET /b/src/a%20b/c"d/%zz/{\`|^}#x HTTP/1.1\r\n${base}\r\n\r\n`);
    await t.bins.update('src', { response: { status: 202, headers: [], delayMs: 0 } });
    const accepted = await capture(t, `DELETE /b/src/202 HTTP/1.1\r\n${base}\r\n\r\n`, Buffer.alloc(0), 202);

    const { har, res } = await harOf(t);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="src.har"');
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator.name).toBe('hooklens');
    const entries = har.log.entries;
    expect(entries.map(idOf)).toEqual([accepted, empty, binary, text, form, json].map((r) => r.id));
    const byId = new Map(entries.map((e) => [idOf(e), e]));

    const j = byId.get(json.id)!;
    expect(j.request.method).toBe('POST');
    expect(j.request.url).toBe(`${t.url}/b/src/json?a=1&b=caf%C3%A9&c=x+y&flag`);
    expect(j.request.httpVersion).toBe('HTTP/1.1');
    expect(j.request.headers).toContainEqual({ name: 'X-Name', value: 'caf\xc3\xa9 \xff' }); // not UTF-8 as a whole: as received
    expect(j.request.queryString).toEqual([{ name: 'a', value: '1' }, { name: 'b', value: 'café' }, { name: 'c', value: 'x y' }, { name: 'flag', value: '' }]);
    expect(j.request.cookies).toEqual([{ name: 's', value: '1' }, { name: 't', value: 'two' }]);
    expect(j.request.postData).toEqual({ mimeType: 'application/json', text: '{"a":"é"}' });
    expect(j.request.bodySize).toBe(json.body.length);
    expect(j.request.headersSize).toBe(json.url.length + json.headers.reduce((n, [a, b]) => n + a.length + b.length + 4, 0) + 'POST  HTTP/1.1\r\n\r\n'.length);
    expect(j.response.status).toBe(200);
    expect(j.response.statusText).toBe('OK');
    expect(j.startedDateTime).toBe(new Date(json.receivedAt).toISOString());

    expect(byId.get(form.id)!.request.postData).toEqual({ mimeType: 'application/x-www-form-urlencoded', text: 'a=1&b=2' });
    expect(byId.get(text.id)!.request.postData).toEqual({ mimeType: 'text/plain', text: 'line\r\n' });
    expect(byId.get(binary.id)!.request.postData).toEqual({ mimeType: 'application/octet-stream', text: 'AP/+AQ==', encoding: 'base64' });
    const e = byId.get(empty.id)!;
    expect(e.request.postData).toBeUndefined();
    expect(e.request.bodySize).toBe(0);
    // Characters a URI may not hold, percent-encoded; whole escapes kept.
    expect(e.request.url).toBe(`${t.url}/b/src/a%20b/c%22d/%25zz/%7B%60%7C%5E%7D%23x`);
    expect(() => new URL(e.request.url)).not.toThrow();
    expect(byId.get(accepted.id)!.response).toMatchObject({ status: 202, statusText: 'Accepted' });
  });

  it('exports the ids asked for, newest first, and names in log.comment those the bin does not hold', async () => {
    const t = await server();
    const ids: number[] = [];
    for (let n = 0; n < 5; n++) ids.push((await capture(t, `POST /b/src/${n} HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nConnection: close\r\n\r\n${n}`)).id);
    const other = (await t.store.insertRequests([newRequest('dst', 1)], 100))[0] as { id: number };
    const { har } = await harOf(t, `?ids=${ids[1]},${ids[3]},${ids[1]},${other.id},999999`);
    expect(har.log.entries.map(idOf)).toEqual([ids[3], ids[1]]);
    expect(har.log.comment).toBe(`not in the bin (never captured there, or removed since), left out: 999999, ${other.id}`);
    const all = await harOf(t, `?ids=${ids.join(',')}`);
    expect(all.har.log.entries.map(idOf)).toEqual([...ids].reverse());
    expect(all.har.log.comment).toBeUndefined();
  });

  it('answers an empty bin with a document without entries', async () => {
    const t = await server();
    const { har } = await harOf(t);
    expect(har.log.entries).toEqual([]);
  });

  it('answers 400 for bad or too many ids, and 404 for an unknown bin', async () => {
    const t = await server();
    for (const query of ['?ids=', '?ids=1,,2', '?ids=-1', '?ids=1.5', '?ids=a', `?ids=${Array.from({ length: 1001 }, (_, i) => i).join(',')}`]) {
      const res = await fetch(`${t.url}/api/bins/src/har${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/"ids"/);
    }
    expect((await fetch(`${t.url}/api/bins/src/har?ids=${Array.from({ length: 1000 }, (_, i) => i).join(',')}`)).status).toBe(200);
    const unknown = await fetch(`${t.url}/api/bins/nope/har`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'no such bin: nope' });
  });

  it('streams a 100,000-request bin: it reads the store as the reader takes the document, not before', { timeout: 60_000 }, async () => {
    const total = 100_000;
    const t = await server({ config: { maxRequests: total } });
    for (let from = 0; from < total; from += 2_000) {
      const batch: NewRequest[] = Array.from({ length: 2_000 }, (_, i) => newRequest('src', from + i, { receivedAt: 1_700_000_000_000 + from + i }));
      await t.store.insertRequests(batch, total);
    }
    // Rows the export has read with their bodies, so far.
    let read = 0;
    const getRequests = t.store.getRequests.bind(t.store);
    t.store.getRequests = async (binId, ids) => {
      const rows = await getRequests(binId, ids);
      read += rows.length;
      return rows;
    };
    let serverSide: ServerResponse | undefined;
    t.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.endsWith('/har')) serverSide = res;
    });

    const res = await new Promise<IncomingMessage>((resolve) => get(`${t.url}/api/bins/src/har`, resolve));
    const chunks: Buffer[] = [];
    let readAtFirstChunk = -1;
    await new Promise<void>((resolve) => {
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (readAtFirstChunk !== -1) return;
        readAtFirstChunk = read;
        res.pause();
        resolve();
      });
    });
    // The reader takes nothing more: the server fills what the connection buffers, then waits for it to drain.
    await vi.waitFor(() => expect(serverSide?.writableNeedDrain).toBe(true), { timeout: 10_000, interval: 5 });
    const readWhileStalled = read;
    expect(readAtFirstChunk).toBeLessThan(total / 2);
    expect(readWhileStalled).toBeLessThan(total / 2);

    res.resume();
    await new Promise((resolve) => res.once('end', resolve));
    expect(read).toBe(total);
    const har = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Har;
    expect(har.log.entries).toHaveLength(total);
    const ids = har.log.entries.map(idOf);
    expect(ids.every((id, i) => i === 0 || id < ids[i - 1])).toBe(true);
    await validateHar({ log: { ...har.log, entries: har.log.entries.slice(0, 100) } });
  });
});
