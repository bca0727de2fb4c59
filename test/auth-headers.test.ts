import { describe, expect, it } from 'vitest';
import { authLabel, decodeCredentials, isCredentialHeaderName, isCredentialQueryParam, revealSecret } from '../shared/auth';
import type { HeaderPair } from '../shared/types';

const RANDOM_SECRET = 'Zq8Lw2Nf7Rt4Vx9Bk3Hm6Jp1Sd5Gc0Ya';

function decode(headers: HeaderPair[], query = '') {
  return decodeCredentials({ headers, query, secure: true, now: 0 });
}

describe('isCredentialHeaderName', () => {
  it.each(['Authorization', 'proxy-authorization', 'Cookie', 'X-API-Key', 'api-key', 'X-Auth-Token', 'PRIVATE-TOKEN', 'X-Gitlab-Token', 'X-Shopify-Access-Token', 'X-Acme-Api-Key', 'x-amz-security-token'])(
    'is true for %s',
    (name) => expect(isCredentialHeaderName(name)).toBe(true),
  );

  it.each(['X-Zendesk-Webhook-Signature', 'Stripe-Signature', 'X-Hub-Signature-256', 'X-Hub-Signature', 'webhook-signature', 'X-Slack-Signature', 'X-Shopify-Hmac-Sha256', 'Content-Type', 'User-Agent', 'X-Zendesk-Webhook-Id'])(
    'is false for %s',
    (name) => expect(isCredentialHeaderName(name)).toBe(false),
  );
});

describe('isCredentialQueryParam', () => {
  it.each(['api_key', 'API_KEY', 'apikey', 'token', 'access_token', 'key', 'auth_token', 'client_secret', 'X-Amz-Signature'])('is true for %s', (name) =>
    expect(isCredentialQueryParam(name)).toBe(true),
  );
  it.each(['page', 'id', 'ticket_id', 'state', 'signature_version'])('is false for %s', (name) => expect(isCredentialQueryParam(name)).toBe(false));
});

describe('API-key headers', () => {
  it('reads a header named as a key, with its name as the location and no scheme', () => {
    const input = { headers: [['X-API-Key', RANDOM_SECRET]] as HeaderPair[], query: '' };
    const { credentials } = decode(input.headers);
    expect(credentials[0]).toMatchObject({ location: { in: 'header', name: 'X-API-Key' }, scheme: null, kind: 'api-key', label: 'Opaque API key (32 characters)' });
    expect(revealSecret(input, credentials[0])).toBe(RANDOM_SECRET);
    expect(authLabel(credentials)).toBe('X-API-Key · Opaque API key (32 characters)');
  });

  it('names a known token in an API-key header', () => {
    const { credentials } = decode([['PRIVATE-TOKEN', 'glpat-AbCdEfGhIjKlMnOpQrSt']]);
    expect(credentials[0]).toMatchObject({ kind: 'api-key', token: 'GitLab personal access token' });
  });

  it('reports an empty API-key header without a secret', () => {
    const { credentials } = decode([['X-Gitlab-Token', '']]);
    expect(credentials[0].problems.map((p) => p.code)).toEqual(['api-key-empty']);
    expect(credentials[0].secret).toBeUndefined();
  });

  it('finds a credential by value in a header of any name (a Zendesk api_key webhook)', () => {
    const { credentials } = decode([
      ['X-Custom-Auth', `sk_live_${'a1B2c3D4e5'.repeat(2)}`],
      ['X-Partner', RANDOM_SECRET],
    ]);
    expect(credentials.map((c) => c.label)).toEqual(['Stripe secret key (live mode)', 'Possible secret (32 characters)']);
  });
});

describe('headers that are not credentials', () => {
  const zendeskAndFriends: HeaderPair[] = [
    ['x-zendesk-account-id', '123456'],
    ['x-zendesk-webhook-id', '01F1KRFQ6BG29CNWFR60NK5FNY'],
    ['x-zendesk-webhook-invocation-id', '8350205582'],
    ['x-zendesk-webhook-signature', 'EiqWE3SXTPQpPulBV6OSuuGziIishZNc1VwNZYqZrHU='],
    ['x-zendesk-webhook-signature-timestamp', '2021-03-25T05:09:27Z'],
    ['User-Agent', 'Zendesk Webhook'],
    ['Content-Type', 'application/json; charset=utf-8'],
    ['Date', 'Tue, 25 Mar 2021 05:09:27 GMT'],
    ['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['X-Hub-Signature-256', 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'],
    ['Stripe-Signature', 't=1614265330,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd'],
    ['webhook-signature', 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='],
    ['webhook-id', 'msg_p5jXN8AQM9LWM0D4loKWxJek'],
    ['X-Twilio-Signature', 'RSOYDt4T1cUTdK1PDd93/VVr8B8='],
    ['X-GitHub-Delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958'],
    ['X-Request-Id', 'Abc123Def456Ghi789Jkl012Mno345Pqr678'],
    ['X-Amz-Content-Sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['ETag', '"33a64df551425fcc55e4d42a148795d9f25f89d4"'],
    ['X-Correlation', '8f14e45fceea167a5a36dedd4bea2543'],
    ['Accept-Language', 'en-US,en;q=0.9'],
  ];

  it('finds nothing in signatures, ids, dates, user-agents, content types and trace headers', () => {
    expect(decode(zendeskAndFriends)).toEqual({ credentials: [], warnings: [] });
  });
});

describe('credentials in the query string', () => {
  it('reports each one with a warning, by name or by shape', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    const { credentials, warnings } = decode([], `page=2&api_key=abc%2B123xyz&x=${jwt}&token=`);
    expect(credentials.map((c) => [c.location, c.kind])).toEqual([
      [{ in: 'query', name: 'api_key' }, 'api-key'],
      [{ in: 'query', name: 'x' }, 'jwt'],
    ]);
    expect(warnings.map((w) => w.code)).toEqual(['credential-in-query', 'credential-in-query']);
    expect(revealSecret({ headers: [], query: 'page=2&api_key=abc%2B123xyz' }, credentials[0])).toBe('abc+123xyz');
  });
});

describe('cookies', () => {
  it('reports session cookies and JWT values, not others', () => {
    const { credentials } = decode([['Cookie', 'theme=dark; sessionid=abc123def456ghi; id_jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln']]);
    expect(credentials.map((c) => [c.kind, c.details?.cookie])).toEqual([
      ['api-key', 'sessionid'],
      ['jwt', 'id_jwt'],
    ]);
  });
});

describe('Digest and AWS SigV4', () => {
  it('puts the RFC 7616 parameters in details and masks the response', () => {
    const value =
      'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="8ca523f5e9506fed4657c9700eebdbec", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
    const input = { headers: [['Authorization', value]] as HeaderPair[], query: '' };
    const credential = decode(input.headers).credentials[0];
    expect(credential).toMatchObject({ scheme: 'Digest', kind: 'digest', username: 'Mufasa', label: 'Digest credentials for Mufasa (realm http-auth@example.org)' });
    expect(credential.details).toMatchObject({ realm: 'http-auth@example.org', uri: '/dir/index.html', qop: 'auth', nc: '00000001', algorithm: 'MD5' });
    expect(credential.details).not.toHaveProperty('response');
    expect(credential.problems.map((p) => p.code)).toEqual(['digest-md5']);
    expect(revealSecret(input, credential)).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  it('names missing Digest parameters', () => {
    const credential = decode([['Authorization', 'Digest username="a", algorithm=SHA-256']]).credentials[0];
    expect(credential.problems[0]).toMatchObject({ code: 'digest-missing-params', message: expect.stringContaining('realm, nonce, uri, response') });
  });

  it('puts the SigV4 scope in details and masks the signature', () => {
    const signature = 'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024';
    const value = `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-date, Signature=${signature}`;
    const credential = decode([['Authorization', value]]).credentials[0];
    expect(credential).toMatchObject({
      scheme: 'AWS4-HMAC-SHA256',
      kind: 'aws-sigv4',
      details: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', date: '2013-05-24', region: 'us-east-1', service: 's3', signedHeaders: 'host, range, x-amz-date' },
      problems: [],
    });
    expect(JSON.stringify(credential)).not.toContain(signature);
  });

  it('names a SigV4 header without its parts', () => {
    expect(decode([['Authorization', 'AWS4-HMAC-SHA256 Credential=AKID/2013/x']]).credentials[0].problems.map((p) => p.code)).toEqual(['sigv4-malformed', 'sigv4-bad-scope']);
  });
});

describe('authLabel', () => {
  it('is null when there is no credential', () => {
    expect(authLabel([])).toBeNull();
  });

  it('prefers Authorization to other places, whatever their order', () => {
    const { credentials } = decode([
      ['X-API-Key', RANDOM_SECRET],
      ['Authorization', 'Basic amRvZUBleGFtcGxlLmNvbS90b2tlbjo2d2lJQldiR2tCTW8xbVJETXVWd2t3MUVQc05rZVVqOTVQSXoyYWt2'],
    ], 'token=abc123');
    expect(authLabel(credentials)).toBe('Basic · Zendesk API token for jdoe@example.com');
  });

  it('is one line of plain text whatever control characters a sender put in the username', () => {
    const basic = `Basic ${Buffer.from('ev\u0000il\n\u001b[31m@example.com:pw').toString('base64')}`;
    expect(authLabel(decode([['Authorization', basic]]).credentials)).toBe('Basic · Basic credentials for ev\ufffdil\ufffd\ufffd[31m@example.com');
  });

  it('names a query credential by its parameter', () => {
    expect(authLabel(decode([], 'access_token=abc123').credentials)).toBe('?access_token · Opaque credential (6 characters)');
  });

  it('warns when a request has two Authorization headers', () => {
    const { warnings } = decode([['Authorization', 'Bearer a1'], ['authorization', 'Bearer b2']]);
    expect(warnings.map((w) => w.code)).toEqual(['auth-duplicate-header']);
  });
});

describe('an Authorization value seen again', () => {
  const basic = `Basic ${Buffer.from('jdoe@example.com/token:6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv').toString('base64')}`;

  it('decodes the same each time, each result its own: changing one changes no later one', () => {
    const first = decode([['Authorization', basic]]);
    const expected = structuredClone(first);
    first.credentials[0].problems.push({ code: 'added-by-a-caller', severity: 'info', message: 'x' });
    first.credentials[0].label = 'changed';
    const again = decode([['Authorization', basic]]);
    expect(again).toEqual(expected);
    expect(again.credentials[0]).toMatchObject({ kind: 'zendesk-api-token', username: 'jdoe@example.com' });
  });

  it('is placed where it was found this time, and revealed from this request', () => {
    decode([['Authorization', basic]]);
    const input = { headers: [['X-Other', 'x'], ['Proxy-Authorization', basic]] as HeaderPair[], query: '' };
    const { credentials } = decode(input.headers);
    expect(credentials[0].location).toEqual({ in: 'header', name: 'Proxy-Authorization' });
    expect(revealSecret(input, credentials[0])).toBe('6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv');
  });

  it('is warned about over plain http, and not over https, whichever came first', () => {
    const codes = (secure: boolean) => decodeCredentials({ headers: [['Authorization', basic]], query: '', secure, now: 0 }).warnings.map((w) => w.code);
    expect(codes(true)).not.toContain('basic-over-http');
    expect(codes(false)).toContain('basic-over-http');
    expect(codes(true)).not.toContain('basic-over-http');
  });
});
