import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, helpText, loadConfig } from '../server/config';
import packageJson from '../package.json' with { type: 'json' };

describe('loadConfig', () => {
  it('uses the contract defaults when nothing is set', () => {
    expect(loadConfig([], {})).toEqual({
      host: '127.0.0.1', port: 8080, db: './data/hooklens.db', maxBody: 10 * 1024 * 1024, maxRequests: 10000, maxStored: 2 * 1024 ** 3,
      ttlMs: 7 * 86_400_000, token: null, publicUrl: null, trustProxy: false, redactSecrets: false, resetToken: false, workers: 1,
      replayAllow: { hosts: [], networks: [] },
    });
  });

  it('takes a flag over an environment variable over the default', () => {
    expect(loadConfig([], { HOOKLENS_PORT: '9001' }).port).toBe(9001);
    expect(loadConfig([], { PORT: '9002' }).port).toBe(9002);
    expect(loadConfig([], { HOOKLENS_PORT: '9001', PORT: '9002' }).port).toBe(9001);
    expect(loadConfig(['--port', '9003'], { HOOKLENS_PORT: '9001' }).port).toBe(9003);
    expect(loadConfig(['--port=9004'], {}).port).toBe(9004);
  });

  it('reads sizes, durations, URLs and switches', () => {
    const config = loadConfig(
      ['--max-body', '512kb', '--ttl', '30m', '--public-url', 'https://abc.trycloudflare.com/', '--trust-proxy', '--redact-secrets'],
      { HOOKLENS_MAX_REQUESTS: '50', HOOKLENS_DB: ':memory:' },
    );
    expect(config).toMatchObject({
      maxBody: 512 * 1024, ttlMs: 30 * 60_000, publicUrl: 'https://abc.trycloudflare.com', trustProxy: true,
      redactSecrets: true, maxRequests: 50, db: ':memory:',
    });
    expect(loadConfig(['--ttl', '0'], {}).ttlMs).toBe(0);
    expect(loadConfig([], { HOOKLENS_TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    [['--port', '70000'], 'invalid --port "70000": expected an integer from 0 to 65535'],
    [['--port', 'abc'], 'invalid --port "abc": expected an integer from 0 to 65535'],
    [['--max-body', '10 parsecs'], 'invalid --max-body "10 parsecs": expected a positive number of bytes up to 64mb, or with kb/mb/gb (e.g. 512kb)'],
    [['--max-body', '2gb'], 'invalid --max-body "2gb": expected a positive number of bytes up to 64mb, or with kb/mb/gb (e.g. 512kb)'],
    [['--max-body', String(64 * 1024 ** 2 + 1)], `invalid --max-body "${64 * 1024 ** 2 + 1}": expected a positive number of bytes up to 64mb, or with kb/mb/gb (e.g. 512kb)`],
    [['--ttl', '7 days'], 'invalid --ttl "7 days": expected a duration such as 30m, 12h, 7d, or 0 to keep requests'],
    [['--max-requests', '0'], 'invalid --max-requests "0": expected an integer from 1 to 10000000'],
    [['--public-url', 'ftp://x'], 'invalid --public-url "ftp://x": expected an absolute http(s) URL'],
    [['--token', 'short'], 'invalid --token (hidden): expected at least 16 characters without spaces'],
    [['--db', 'mysql://u:pw@h/db'], 'invalid --db "mysql://u:***@h/db": expected a file path, :memory:, or a postgres:// (postgresql://) URL'],
    [['--db', 'file:///tmp/x.db'], 'invalid --db "file:///tmp/x.db": expected a file path, :memory:, or a postgres:// (postgresql://) URL'],
    [['--bogus'], 'unknown argument "--bogus"; run with --help for the accepted flags'],
    [['--port', '--db', 'x.db'], '--port needs a value'],
    [['--port=1x', '--port', '9000'], '--port is given twice; give it once'],
  ])('rejects %j with a message naming the flag, the value and what is accepted', (argv, message) => {
    expect(() => loadConfig(argv, {})).toThrow(new ConfigError(message));
  });

  it('takes a PostgreSQL URL from --db, HOOKLENS_DB or DATABASE_URL, in that order', () => {
    const url = 'postgres://hooklens:pw@db.internal:5432/hooklens';
    expect(loadConfig([], { DATABASE_URL: url }).db).toBe(url);
    expect(loadConfig([], { DATABASE_URL: url, HOOKLENS_DB: 'local.db' }).db).toBe('local.db');
    expect(loadConfig(['--db', 'postgresql://h/db'], { DATABASE_URL: url }).db).toBe('postgresql://h/db');
  });

  it('reads --max-stored as a size of at least 1mb, or 0 for no limit', () => {
    expect(loadConfig(['--max-stored', '500mb'], {}).maxStored).toBe(500 * 1024 ** 2);
    expect(loadConfig([], { HOOKLENS_MAX_STORED: '2tb' }).maxStored).toBe(2 * 1024 ** 4);
    expect(loadConfig(['--max-stored', '0'], {}).maxStored).toBe(0);
    expect(() => loadConfig(['--max-stored', '15mb'], {})).toThrow(/--max-stored 15728640 is less than two --max-body \(20971520 bytes\)/);
    expect(loadConfig(['--max-stored', '15mb', '--max-body', '5mb'], {}).maxStored).toBe(15 * 1024 ** 2);
    for (const bad of ['100kb', 'lots', '-1']) {
      expect(() => loadConfig(['--max-stored', bad], {})).toThrow(new ConfigError(
        `invalid --max-stored "${bad}": expected a size such as 500mb or 20gb (at least 1mb), or 0 for no limit`));
    }
  });

  it('takes the largest --max-body, 64mb', () => {
    expect(loadConfig(['--max-body', '64mb'], {}).maxBody).toBe(64 * 1024 ** 2);
    expect(loadConfig(['--max-body', String(64 * 1024 ** 2)], {}).maxBody).toBe(64 * 1024 ** 2);
  });

  it('reads the token from --token-file or HOOKLENS_TOKEN_FILE, and refuses it next to --token', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hooklens-config-'));
    const file = join(dir, 'token');
    writeFileSync(file, 'from-a-file-0123456789abcdef\n');
    try {
      expect(loadConfig(['--token-file', file], {}).token).toBe('from-a-file-0123456789abcdef');
      expect(loadConfig([], { HOOKLENS_TOKEN_FILE: file }).token).toBe('from-a-file-0123456789abcdef');
      expect(() => loadConfig(['--token-file', file, '--token', 'another-token-0123456789'], {}))
        .toThrow(new ConfigError('--token-file and --token (or HOOKLENS_TOKEN) are both given; give one'));
      expect(() => loadConfig(['--token-file', join(dir, 'missing')], {}))
        .toThrow(new ConfigError(`cannot read --token-file ${JSON.stringify(join(dir, 'missing'))}: ENOENT`));
      writeFileSync(file, 'short\n');
      expect(() => loadConfig(['--token-file', file], {})).toThrow(new ConfigError('invalid --token-file (hidden): expected at least 16 characters without spaces'));
      expect(() => loadConfig([], { HOOKLENS_TOKEN_FILE: file })).toThrow(new ConfigError('invalid HOOKLENS_TOKEN_FILE (--token-file) (hidden): expected at least 16 characters without spaces'));
      writeFileSync(file, '\n');
      expect(() => loadConfig(['--token-file', file], {})).toThrow(new ConfigError(`--token-file ${JSON.stringify(file)} is empty: expected at least 16 characters without spaces`));
      expect(helpText()).toMatch(/--token-file +HOOKLENS_TOKEN_FILE .*shows in `ps`/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the environment variable when the bad value came from it', () => {
    expect(() => loadConfig([], { HOOKLENS_TTL: 'forever' }))
      .toThrow(new ConfigError('invalid HOOKLENS_TTL (--ttl) "forever": expected a duration such as 30m, 12h, 7d, or 0 to keep requests'));
  });

  it('prints every flag and variable in --help', () => {
    for (const name of ['--host', '--port', 'PORT', '--db', '--max-body', '--max-requests', '--ttl', '--token',
      '--public-url', '--trust-proxy', 'HOOKLENS_TRUST_PROXY', '--redact-secrets']) {
      expect(helpText()).toContain(name);
    }
  });
});

describe('--replay-allow', () => {
  it('reads host names, addresses and IPv4 and IPv6 CIDRs from the flag or HOOKLENS_REPLAY_ALLOW', () => {
    const allow = loadConfig(['--replay-allow', ' Hooks.Internal., 127.0.0.1,10.0.0.0/8 ,fd00::/8,[::1],192.168.1.7/16,'], {}).replayAllow;
    expect(allow.hosts).toEqual(['hooks.internal']);
    expect(allow.networks.map((n) => [n.text, n.family, n.prefix])).toEqual([
      ['127.0.0.1', 4, 32], ['10.0.0.0/8', 4, 8], ['fd00::/8', 6, 8], ['[::1]', 6, 128], ['192.168.1.7/16', 4, 16],
    ]);
    expect(allow.networks[4].base).toBe(0xc0a80000n);
    expect(loadConfig([], { HOOKLENS_REPLAY_ALLOW: 'svc.local' }).replayAllow.hosts).toEqual(['svc.local']);
    expect(loadConfig([], { HOOKLENS_REPLAY_ALLOW: '' }).replayAllow).toEqual({ hosts: [], networks: [] });
    expect(helpText()).toMatch(/--replay-allow +HOOKLENS_REPLAY_ALLOW +none +hosts or CIDRs/);
  });

  it.each(['10.0.0.0/33', '::/129', '10.0.0.0/x', '10.0.0.0/', '127.1', '0x7f000001', 'a b', 'http://h', 'fe80::1%eth0', '10.0.0.0/8/8', 'h/8'])(
    'refuses the entry %j, naming the flag, the value and what is accepted', (entry) => {
      const accepted = 'comma-separated host names, IP addresses or CIDRs (e.g. 127.0.0.1,10.0.0.0/8,fd00::/8,hooks.internal)';
      expect(() => loadConfig(['--replay-allow', `ok.example,${entry}`], {}))
        .toThrow(new ConfigError(`invalid --replay-allow ${JSON.stringify(`ok.example,${entry}`)}: expected ${accepted}`));
    });

  it('stops the start with one line and exit code 2 on a bad entry', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/index.ts', '--replay-allow', '10.0.0.0/99'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(/^hooklens: invalid --replay-allow "10\.0\.0\.0\/99": expected comma-separated host names/);
  });
});

describe('server/index.ts start-up', () => {
  it('prints its version with --version, and exits 0', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/index.ts', '--version'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${packageJson.version}\n`);
  });

  it('stops with one line and exit code 2 on an invalid value', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/index.ts', '--port', 'eighty'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('hooklens: invalid --port "eighty": expected an integer from 0 to 65535');
  });

  it('stops with one line naming the URL without its password, exit code 2, when PostgreSQL cannot be reached', () => {
    const url = 'postgres://hooklens:sekrit-pw@127.0.0.1:1/hooklens';
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/index.ts', '--db', url, '--port', '0'], { encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^hooklens: cannot use --db postgres:\/\/hooklens:\*\*\*@127\.0\.0\.1:1\/hooklens: cannot reach PostgreSQL: /);
    expect(result.stderr + result.stdout).not.toContain('sekrit-pw');
  });

  it('says that a password with an @ must be percent-encoded, without printing it', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/index.ts', '--db', 'postgres://u:p#ss@127.0.0.1:1/db', '--port', '0'], { encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(/^hooklens: cannot use --db postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db: .*must be percent-encoded, e\.g\. %40 for @\)$/);
    expect(result.stderr).not.toContain('p#ss');
  });
});
