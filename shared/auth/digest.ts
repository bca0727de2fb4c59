/** Digest credentials (RFC 7616): the parameters are shown, the `response` hash is the secret. */
import type { Finding } from '../types';
import { paramValue, parseAuthParams } from './auth-params';
import { REDACTED, finding } from './decoded';
import type { DecodedValue } from './decoded';

const REQUIRED = ['username', 'realm', 'nonce', 'uri', 'response'];

/** Replaces the value of parameter `name` in `text`, keeping everything else as written. */
export function replaceParam(text: string, name: string, replacement: string): string {
  const pattern = new RegExp(`(^|[,\\s])(${name}\\s*=\\s*)("(?:[^"\\\\]|\\\\.)*"?|[^,\\s]*)`, 'i');
  return text.replace(pattern, (_match, before: string, assignment: string, value: string) =>
    `${before}${assignment}${value.startsWith('"') ? `"${replacement}"` : replacement}`,
  );
}

/** RFC 7616 §3.4.4 `username*=UTF-8''J%C3%A4s%C3%B8n`: the extended form of a username; null when unreadable. */
function decodeExtendedValue(value: string): string | null {
  const match = /^utf-8'[^']*'(.*)$/i.exec(value);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

/** Decodes the parameters after "Digest ". Never throws. */
export function decodeDigest(credentials: string): DecodedValue {
  const parsed = parseAuthParams(credentials);
  const problems: Finding[] = [];
  const details: Record<string, string> = {};
  for (const param of parsed.params) {
    if (param.name !== 'response' && !(param.name in details)) details[param.name] = param.value;
  }
  const extended = paramValue(parsed, 'username*');
  const username = paramValue(parsed, 'username') ?? (extended === undefined ? undefined : decodeExtendedValue(extended) ?? undefined);
  const response = paramValue(parsed, 'response');
  if (!parsed.wellFormed) {
    problems.push(finding('digest-malformed', 'warning', 'Part of the Digest parameters is not name=value or name="value" (an unclosed quote, or a stray word); servers may reject it.'));
  }
  const missing = REQUIRED.filter((name) => paramValue(parsed, name) === undefined && !(name === 'username' && username !== undefined));
  if (missing.length) {
    problems.push(finding('digest-missing-params', 'error', `Digest credentials need ${REQUIRED.join(', ')}; missing: ${missing.join(', ')}.`));
  }
  const algorithm = paramValue(parsed, 'algorithm') ?? 'MD5';
  if (/^md5(-sess)?$/i.test(algorithm)) {
    problems.push(finding('digest-md5', 'info', `The algorithm is ${algorithm} (the default when none is named); RFC 7616 prefers SHA-256.`));
  }
  if (paramValue(parsed, 'userhash')?.toLowerCase() === 'true') details.userhash = 'true (the username is a hash, not the name)';
  const realm = paramValue(parsed, 'realm');
  const who = username === undefined ? 'Digest credentials' : `Digest credentials for ${username}`;
  return {
    kind: 'digest',
    label: realm === undefined ? who : `${who} (realm ${realm})`,
    username,
    secret: response || undefined,
    details,
    problems,
    redacted: response === undefined ? credentials : replaceParam(credentials, 'response', REDACTED),
  };
}
