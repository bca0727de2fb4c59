/**
 * Valid JSON as a tree of nodes that keep their source text: numbers as written (no rounding of big integers),
 * strings decoded from their own token, and duplicate keys as separate entries, in order.
 */

/** A JSON value: an object's entries and an array's items in order; scalars with their text as written. */
export type JsonNode =
  | { kind: 'object'; entries: [key: string, value: JsonNode][] }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'string'; value: string }
  | { kind: 'literal'; text: string };

/** Documents past either bound get the tree; smaller ones read better as pretty text. */
export const TREE_MIN_BYTES = 50 * 1024;
export const TREE_MIN_LINES = 200;

/** Parses `text`, which must already be valid JSON (check with jsonError first); throws on anything else. */
export function parseJsonTree(text: string): JsonNode {
  let at = 0;
  const skip = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at])) at++;
  };
  const string = (): string => {
    const start = at;
    at++;
    while (text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const value = (): JsonNode => {
    skip();
    const char = text[at];
    if (char === '{') {
      at++;
      const entries: [string, JsonNode][] = [];
      skip();
      if (text[at] === '}') {
        at++;
        return { kind: 'object', entries };
      }
      for (;;) {
        skip();
        const key = string();
        skip();
        at++; // ':'
        entries.push([key, value()]);
        skip();
        if (text[at++] === '}') return { kind: 'object', entries };
      }
    }
    if (char === '[') {
      at++;
      const items: JsonNode[] = [];
      skip();
      if (text[at] === ']') {
        at++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(value());
        skip();
        if (text[at++] === ']') return { kind: 'array', items };
      }
    }
    if (char === '"') return { kind: 'string', value: string() };
    const start = at;
    while (at < text.length && !' \t\n\r,]}'.includes(text[at])) at++;
    return { kind: 'literal', text: text.slice(start, at) };
  };
  return value();
}
