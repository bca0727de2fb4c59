/**
 * AWS Signature Version 4 in an Authorization header:
 * `AWS4-HMAC-SHA256 Credential=<AKID>/<YYYYMMDD>/<region>/<service>/aws4_request, SignedHeaders=<h1;h2>, Signature=<64 hex>`.
 * The scope is shown; the signature is the secret.
 */
import type { Finding } from '../types';
import { paramValue, parseAuthParams } from './auth-params';
import { REDACTED, finding } from './decoded';
import type { DecodedValue } from './decoded';
import { replaceParam } from './digest';

/** True for the SigV4 (and SigV4a) scheme names, any case. */
export function isSigV4Scheme(scheme: string): boolean {
  return /^AWS4-(HMAC-SHA256|ECDSA-P256-SHA256)$/i.test(scheme);
}

/** Decodes the parameters after "AWS4-HMAC-SHA256 ". Never throws. */
export function decodeSigV4(credentials: string): DecodedValue {
  const parsed = parseAuthParams(credentials);
  const problems: Finding[] = [];
  const details: Record<string, string> = {};
  const credential = paramValue(parsed, 'credential');
  const signedHeaders = paramValue(parsed, 'signedheaders');
  const signature = paramValue(parsed, 'signature');
  const missing = [
    credential === undefined ? 'Credential' : '',
    signedHeaders === undefined ? 'SignedHeaders' : '',
    signature === undefined ? 'Signature' : '',
  ].filter(Boolean);
  if (missing.length || !parsed.wellFormed) {
    const what = missing.length ? `missing: ${missing.join(', ')}` : 'part of it is not name=value';
    problems.push(finding('sigv4-malformed', 'error', `A SigV4 authorization needs Credential=, SignedHeaders= and Signature= separated by commas; ${what}.`));
  }
  let label = 'AWS SigV4 signature';
  if (credential !== undefined) {
    const scope = credential.split('/');
    if (scope.length === 5 && scope[4] === 'aws4_request') {
      const [accessKeyId, date, region, service] = scope;
      Object.assign(details, { accessKeyId, date: /^\d{8}$/.test(date) ? `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}` : date, region, service });
      label = `AWS SigV4 signature by ${accessKeyId} for ${service} in ${region}`;
    } else {
      details.credential = credential;
      problems.push(finding('sigv4-bad-scope', 'error', 'The Credential scope should read <access key id>/<YYYYMMDD>/<region>/<service>/aws4_request.'));
    }
  }
  if (signedHeaders !== undefined) details.signedHeaders = signedHeaders.split(';').join(', ');
  if (signature !== undefined && !/^[0-9a-f]{64}$/.test(signature)) {
    problems.push(finding('sigv4-bad-signature', 'warning', `The Signature should be 64 lower-case hex digits (HMAC-SHA256); it is ${Array.from(signature).length} characters long or has other characters.`));
  }
  return {
    kind: 'aws-sigv4',
    label,
    secret: signature || undefined,
    details,
    problems,
    redacted: signature === undefined ? credentials : replaceParam(credentials, 'signature', REDACTED),
  };
}
