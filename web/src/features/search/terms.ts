/**
 * The words a search (contract.md "Search") looks for in a request's text, for highlighting them in the detail: the
 * plain words and the words of "phrases"; qualifiers (`method:`, `header:`…) and excluded terms (`-word`) are left
 * out. The server decides what matches; this only marks where those words are.
 */

const WORD = /[\p{L}\p{N}]+/gu;

/** The words of `q` to highlight, lower-cased, without duplicates; none for null or a query of qualifiers only. */
export function searchWords(q: string | null): string[] {
  if (q === null) return [];
  const words = new Set<string>();
  for (const token of q.match(/-?"[^"]*"?|\S+/g) ?? []) {
    if (token.startsWith('-')) continue;
    if (!token.startsWith('"') && /^[^"]*?:/.test(token)) continue;
    for (const word of token.match(WORD) ?? []) words.add(word.toLowerCase());
  }
  return [...words];
}

/**
 * A pattern that finds each whole word starting with one of `words` (a word is a run of letters and digits, as the
 * server reads it), case-insensitive; null when there is nothing to find.
 */
export function highlightPattern(words: readonly string[]): RegExp | null {
  if (words.length === 0) return null;
  const alternatives = [...words].sort((a, b) => b.length - a.length).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})[\\p{L}\\p{N}]*`, 'giu');
}
