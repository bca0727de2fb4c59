/** True when --db names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** True when the text starts like a URL (`scheme://`), whatever the scheme. */
export function looksLikeUrl(text: string): boolean {
  return SCHEME.test(text);
}
const PASSWORD_PARAM = /([?&]password=)([^&#]*)/gi;

/**
 * The URL as it may be printed: the password of its user-info and any `password=` parameter replaced by ***. A
 * password may hold `@`, `#` or `/`, and the URL may not even parse, so the user-info runs to the last `@`: a stray
 * `@` later on hides more than needed, never less. Text without a scheme is returned as it is.
 */
export function withoutPassword(url: string): string {
  const scheme = SCHEME.exec(url);
  if (!scheme) return url;
  let rest = url.slice(scheme[0].length).replace(PASSWORD_PARAM, '$1***');
  const at = rest.lastIndexOf('@');
  const colon = rest.indexOf(':');
  if (at !== -1 && colon !== -1 && colon < at) rest = `${rest.slice(0, colon)}:***${rest.slice(at)}`;
  return scheme[0] + rest;
}

/** Every form of the passwords the URL carries (as written and percent-decoded), to scrub from error messages. */
export function passwordsOf(url: string): string[] {
  const found: string[] = [];
  try {
    found.push(new URL(url).password);
  } catch {
    // Not a URL the driver could use either; the rule of withoutPassword still finds the user-info.
  }
  const rest = url.replace(SCHEME, '');
  const at = rest.lastIndexOf('@');
  const colon = rest.indexOf(':');
  if (at !== -1 && colon !== -1 && colon < at) found.push(rest.slice(colon + 1, at));
  for (const match of url.matchAll(PASSWORD_PARAM)) found.push(match[2]);
  return [...new Set(found.flatMap((p) => [p, safeDecode(p)]))].filter((p) => p !== '');
}

/** Removes the URL's passwords from `text`, wherever they appear (alone, or inside the URL). */
export function scrubber(url: string): (text: string) => string {
  // Longest first, so that a password containing another is replaced whole; very short ones would mangle any text.
  const secrets = passwordsOf(url).filter((p) => p.length >= 3).sort((a, b) => b.length - a.length);
  return (text: string): string => {
    let out = text.split(url).join(withoutPassword(url));
    for (const secret of secrets) out = out.split(secret).join('***');
    return out;
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
