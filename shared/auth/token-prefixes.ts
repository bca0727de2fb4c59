/**
 * Known token formats, after the gitleaks default rules and trufflehog detectors (auth-reference §3).
 * Each entry has the prefix that names it and the full shape; a value that only has the prefix is still
 * named (with a note) when it sits where a credential is expected, but only a full match counts in a
 * header that is not known to carry credentials, to keep false positives out.
 */
export interface TokenFormat {
  prefix: string;
  /** What it is, for a person, e.g. "GitHub personal access token". */
  label: string;
  /** The whole value; anchored. */
  shape: RegExp;
}

const STRIPE_BODY = '[A-Za-z0-9]{10,99}';

/** Longer prefixes that share a start with shorter ones come first (xoxe.xoxb- before xoxb-). */
export const TOKEN_FORMATS: readonly TokenFormat[] = [
  { prefix: 'github_pat_', label: 'GitHub fine-grained personal access token', shape: /^github_pat_\w{82}$/ },
  { prefix: 'ghp_', label: 'GitHub personal access token', shape: /^ghp_[0-9a-zA-Z]{36}$/ },
  { prefix: 'gho_', label: 'GitHub OAuth access token', shape: /^gho_[0-9a-zA-Z]{36}$/ },
  { prefix: 'ghu_', label: 'GitHub user-to-server token', shape: /^ghu_[0-9a-zA-Z]{36}$/ },
  { prefix: 'ghs_', label: 'GitHub server-to-server token', shape: /^ghs_[0-9a-zA-Z]{36}$/ },
  { prefix: 'ghr_', label: 'GitHub refresh token', shape: /^ghr_[0-9a-zA-Z]{36}$/ },
  { prefix: 'xoxe.xoxb-', label: 'Slack bot configuration token', shape: /^xoxe\.xoxb-[0-9A-Za-z-]{10,}$/ },
  { prefix: 'xoxe.xoxp-', label: 'Slack user configuration token', shape: /^xoxe\.xoxp-[0-9A-Za-z-]{10,}$/ },
  { prefix: 'xoxb-', label: 'Slack bot token', shape: /^xoxb-[0-9A-Za-z-]{10,}$/ },
  { prefix: 'xoxp-', label: 'Slack user token', shape: /^xoxp-[0-9A-Za-z-]{10,}$/ },
  { prefix: 'xoxe-', label: 'Slack refresh token', shape: /^xoxe-[0-9A-Za-z-]{10,}$/ },
  { prefix: 'xapp-', label: 'Slack app-level token', shape: /^xapp-[0-9A-Za-z-]{10,}$/ },
  { prefix: 'sk_live_', label: 'Stripe secret key (live mode)', shape: new RegExp(`^sk_live_${STRIPE_BODY}$`) },
  { prefix: 'sk_test_', label: 'Stripe secret key (test mode)', shape: new RegExp(`^sk_test_${STRIPE_BODY}$`) },
  { prefix: 'rk_live_', label: 'Stripe restricted key (live mode)', shape: new RegExp(`^rk_live_${STRIPE_BODY}$`) },
  { prefix: 'rk_test_', label: 'Stripe restricted key (test mode)', shape: new RegExp(`^rk_test_${STRIPE_BODY}$`) },
  { prefix: 'whsec_', label: 'webhook signing secret (Stripe or Standard Webhooks)', shape: /^whsec_[A-Za-z0-9+/=]{20,}$/ },
  { prefix: 'sk-ant-api03-', label: 'Anthropic API key', shape: /^sk-ant-api03-[\w-]{20,}$/ },
  { prefix: 'sk-ant-admin01-', label: 'Anthropic admin key', shape: /^sk-ant-admin01-[\w-]{20,}$/ },
  { prefix: 'sk-proj-', label: 'OpenAI project API key', shape: /^sk-proj-[\w-]{20,}$/ },
  { prefix: 'sk-svcacct-', label: 'OpenAI service account key', shape: /^sk-svcacct-[\w-]{20,}$/ },
  { prefix: 'sk-admin-', label: 'OpenAI admin key', shape: /^sk-admin-[\w-]{20,}$/ },
  { prefix: 'AKIA', label: 'AWS access key id', shape: /^AKIA[A-Z2-7]{16}$/ },
  { prefix: 'ASIA', label: 'AWS temporary (STS) access key id', shape: /^ASIA[A-Z2-7]{16}$/ },
  { prefix: 'ABIA', label: 'AWS STS service bearer token id', shape: /^ABIA[A-Z2-7]{16}$/ },
  { prefix: 'ACCA', label: 'AWS context-specific credential id', shape: /^ACCA[A-Z2-7]{16}$/ },
  { prefix: 'AIza', label: 'Google API key', shape: /^AIza[\w-]{35}$/ },
  { prefix: 'ya29.', label: 'Google OAuth access token', shape: /^ya29\.[\w.-]{10,}$/ },
  { prefix: 'glpat-', label: 'GitLab personal access token', shape: /^glpat-[\w.-]{20,}$/ },
  { prefix: 'gldt-', label: 'GitLab deploy token', shape: /^gldt-[\w.-]{20,}$/ },
  { prefix: 'glptt-', label: 'GitLab pipeline trigger token', shape: /^glptt-[\w.-]{20,}$/ },
  { prefix: 'shpat_', label: 'Shopify access token', shape: /^shpat_[a-fA-F0-9]{32}$/ },
  { prefix: 'shpss_', label: 'Shopify shared secret', shape: /^shpss_[a-fA-F0-9]{32}$/ },
  { prefix: 'shpca_', label: 'Shopify custom app access token', shape: /^shpca_[a-fA-F0-9]{32}$/ },
  { prefix: 'shppa_', label: 'Shopify private app access token', shape: /^shppa_[a-fA-F0-9]{32}$/ },
  { prefix: 'npm_', label: 'npm access token', shape: /^npm_[A-Za-z0-9]{36}$/ },
  { prefix: 'lin_api_', label: 'Linear API key', shape: /^lin_api_[A-Za-z0-9]{40}$/ },
  { prefix: 'SG.', label: 'SendGrid API key', shape: /^SG\.[\w-]{22}\.[\w-]{43}$/ },
  { prefix: 'dop_v1_', label: 'DigitalOcean personal access token', shape: /^dop_v1_[a-f0-9]{64}$/ },
  { prefix: 'doo_v1_', label: 'DigitalOcean OAuth token', shape: /^doo_v1_[a-f0-9]{64}$/ },
  { prefix: 'dor_v1_', label: 'DigitalOcean refresh token', shape: /^dor_v1_[a-f0-9]{64}$/ },
];

/** OpenAI's keys before project keys: "sk-" and 48 characters with "T3BlbkFJ" (base64 of "OpenAI") inside. */
const OPENAI_LEGACY: TokenFormat = {
  prefix: 'sk-',
  label: 'OpenAI API key',
  shape: /^sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}$/,
};

/** The anchored shapes without their anchors, to find tokens inside a longer text (a path, a query value). */
const SHAPE_SOURCES = [OPENAI_LEGACY, ...TOKEN_FORMATS].map((format) => format.shape.source.replace(/^\^/, '').replace(/\$$/, ''));

/**
 * Prefixes that end in "_", "-" or "." and have four characters or more ("ghp_", "glpat-", "sk_live_", "ya29."):
 * distinctive enough that one followed by eight token characters is taken for a token even where it does not
 * have its format's exact length. "AKIA", "AIza" and "SG." alone are too common in ordinary words to count.
 */
const DISTINCTIVE_PREFIXES = TOKEN_FORMATS.map((format) => format.prefix).filter((prefix) => prefix.length >= 4 && /[-_.]$/.test(prefix));

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A JWS or JWE (three or five base64url segments after "eyJ") or a known token, not preceded by a letter or digit
 * (a JWT not by "_" or "-" either, so that a long run of "eyJ_" cannot make the search quadratic). Every
 * alternative starts with a literal prefix and fails within a bounded number of characters, so one pass is linear.
 */
const EMBEDDED_TOKEN = new RegExp(
  '(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*)?' +
    `|(?<![A-Za-z0-9])(?:${SHAPE_SOURCES.join('|')}|(?:${DISTINCTIVE_PREFIXES.map(escapeRegExp).join('|')})[A-Za-z0-9_-]{8,})`,
  'g',
);

const TOKEN_CHARACTER = /[A-Za-z0-9_-]/;

/** Where a token sits in a text: [start, end). */
export interface TokenSpan {
  start: number;
  end: number;
}

/**
 * Every JWT and known token inside `text` (a path segment, a query value), in order, each running on over the
 * letters, digits, "_" and "-" that follow it, so that a token longer than its format is covered whole. Linear in
 * the length of the text. Never throws.
 */
export function findTokenSpans(text: string): TokenSpan[] {
  const spans: TokenSpan[] = [];
  const value = String(text);
  // One shared expression: the search is synchronous, so nothing else can move its lastIndex meanwhile.
  EMBEDDED_TOKEN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = EMBEDDED_TOKEN.exec(value)) !== null) {
    let end = match.index + match[0].length;
    while (end < value.length && TOKEN_CHARACTER.test(value[end])) end++;
    spans.push({ start: match.index, end });
    EMBEDDED_TOKEN.lastIndex = end;
  }
  return spans;
}

/** A format that a value matched, fully or by prefix only. */
export interface TokenMatch {
  format: TokenFormat;
  /** False when only the prefix matched: right name, unexpected length or characters. */
  exact: boolean;
}

/**
 * The known format `value` has. With `prefixOnly`, a value that merely starts with a known prefix and has
 * at least 8 more characters also matches (exact false). Null when nothing matches.
 */
export function identifyToken(value: string, prefixOnly: boolean): TokenMatch | null {
  if (OPENAI_LEGACY.shape.test(value)) return { format: OPENAI_LEGACY, exact: true };
  for (const format of TOKEN_FORMATS) {
    if (format.shape.test(value)) return { format, exact: true };
  }
  if (!prefixOnly) return null;
  // Longest prefix first, so that "sk-ant-api03-" is not taken for "sk-".
  const byPrefix = TOKEN_FORMATS.filter((f) => value.startsWith(f.prefix) && value.length >= f.prefix.length + 8);
  byPrefix.sort((a, b) => b.prefix.length - a.prefix.length);
  return byPrefix[0] ? { format: byPrefix[0], exact: false } : null;
}
