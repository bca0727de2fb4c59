/**
 * Two bodies compared: identical bytes by their SHA-256; JSON structurally (the paths of what changed, was added or
 * removed, values as written: numbers are not rounded and duplicate keys stay apart); other text line by line with
 * jsdiff (Myers' algorithm, given a time limit); anything else (bytes that are not UTF-8) by size and hash.
 */
import { diffLines } from 'diff';
import type { CapturedBody } from '../../../../shared/types';
import { jsonError } from '../../lib/json';
import { parseJsonTree } from '../requests/detail/body/jsonTree';
import type { JsonNode } from '../requests/detail/body/jsonTree';

/** One difference between two JSON documents, at a path such as `$.ticket.status` or `$.items[2]`. */
export interface JsonChange {
  path: string;
  change: 'changed' | 'added' | 'removed';
  /** The value as written (strings quoted, long ones cut), or a summary of an object or array. */
  before?: string;
  after?: string;
}

/** A line of a line diff, or a run of unchanged lines left out. */
export type DiffLine = { kind: 'same' | 'added' | 'removed'; text: string } | { kind: 'skipped'; count: number };

export type BodyComparison =
  | { kind: 'identical' }
  | { kind: 'json'; changes: JsonChange[]; more: boolean }
  | { kind: 'lines'; lines: DiffLine[]; added: number; removed: number; more: boolean }
  /** Too different to diff within the time limit. */
  | { kind: 'too-large' }
  | { kind: 'binary' };

/** Past this many JSON changes or diff lines, the rest is counted, not listed. */
export const MAX_CHANGES = 500;
export const MAX_LINES = 2000;
/** Unchanged lines kept around each change. */
const CONTEXT = 3;
/** jsdiff gives up after this long (ms) on bodies too different to diff quickly. */
const DIFF_TIMEOUT_MS = 1500;
const MAX_VALUE_CHARS = 120;

function cut(text: string): string {
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}

function summary(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return `{…} (${node.entries.length} ${node.entries.length === 1 ? 'key' : 'keys'})`;
    case 'array':
      return `[…] (${node.items.length} ${node.items.length === 1 ? 'item' : 'items'})`;
    case 'string':
      return cut(JSON.stringify(node.value));
    case 'literal':
      return cut(node.text);
  }
}

function keyPath(path: string, key: string, occurrence: number): string {
  const step = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  // A duplicate key's later occurrences: "$.a#2".
  return occurrence === 1 ? `${path}${step}` : `${path}${step}#${occurrence}`;
}

function sameScalar(a: JsonNode, b: JsonNode): boolean {
  if (a.kind === 'string' && b.kind === 'string') return a.value === b.value;
  if (a.kind === 'literal' && b.kind === 'literal') return a.text === b.text;
  return false;
}

/** The differences between two parsed documents, depth first in A's order then B's additions; at most `limit`. */
export function diffJson(a: JsonNode, b: JsonNode, limit = MAX_CHANGES + 1): JsonChange[] {
  const out: JsonChange[] = [];
  const walk = (left: JsonNode, right: JsonNode, path: string) => {
    if (out.length >= limit) return;
    if (left.kind === 'object' && right.kind === 'object') {
      const counts = new Map<string, number>();
      const numbered = (entries: [string, JsonNode][]) =>
        entries.map(([key, value]) => {
          const occurrence = (counts.get(key) ?? 0) + 1;
          counts.set(key, occurrence);
          return { key, occurrence, value, id: `${occurrence}:${key}` };
        });
      const leftEntries = numbered(left.entries);
      counts.clear();
      const rightEntries = numbered(right.entries);
      const rightById = new Map(rightEntries.map((entry) => [entry.id, entry]));
      const leftIds = new Set(leftEntries.map((entry) => entry.id));
      for (const entry of leftEntries) {
        const partner = rightById.get(entry.id);
        const at = keyPath(path, entry.key, entry.occurrence);
        if (partner === undefined) out.push({ path: at, change: 'removed', before: summary(entry.value) });
        else walk(entry.value, partner.value, at);
        if (out.length >= limit) return;
      }
      for (const entry of rightEntries) {
        if (leftIds.has(entry.id)) continue;
        out.push({ path: keyPath(path, entry.key, entry.occurrence), change: 'added', after: summary(entry.value) });
        if (out.length >= limit) return;
      }
    } else if (left.kind === 'array' && right.kind === 'array') {
      const length = Math.max(left.items.length, right.items.length);
      for (let index = 0; index < length && out.length < limit; index++) {
        const at = `${path}[${index}]`;
        const l = left.items[index];
        const r = right.items[index];
        if (r === undefined) out.push({ path: at, change: 'removed', before: summary(l) });
        else if (l === undefined) out.push({ path: at, change: 'added', after: summary(r) });
        else walk(l, r, at);
      }
    } else if (!sameScalar(left, right)) {
      out.push({ path, change: 'changed', before: summary(left), after: summary(right) });
    }
  };
  walk(a, b, '$');
  return out;
}

/** jsdiff's parts as lines, long unchanged runs cut to CONTEXT lines each side; at most MAX_LINES lines. */
function toLines(parts: { value: string; added: boolean; removed: boolean }[]): Omit<Extract<BodyComparison, { kind: 'lines' }>, 'kind'> {
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  let more = false;
  const push = (line: DiffLine) => {
    if (lines.length < MAX_LINES) lines.push(line);
    else more = true;
  };
  parts.forEach((part, index) => {
    const text = part.value.endsWith('\n') ? part.value.slice(0, -1) : part.value;
    const split = text.split('\n');
    if (part.added || part.removed) {
      for (const line of split) push({ kind: part.added ? 'added' : 'removed', text: line });
      if (part.added) added += split.length;
      else removed += split.length;
      return;
    }
    const head = index === 0 ? 0 : CONTEXT;
    const tail = index === parts.length - 1 ? 0 : CONTEXT;
    if (split.length <= head + tail + 1) {
      for (const line of split) push({ kind: 'same', text: line });
      return;
    }
    for (const line of split.slice(0, head)) push({ kind: 'same', text: line });
    push({ kind: 'skipped', count: split.length - head - tail });
    for (const line of split.slice(split.length - tail)) push({ kind: 'same', text: line });
  });
  return { lines, added, removed, more };
}

/** How B's body differs from A's (see the module comment). Never throws. */
export function compareBodies(a: CapturedBody, b: CapturedBody): BodyComparison {
  if (a.sha256 === b.sha256) return { kind: 'identical' };
  if (a.text === null || b.text === null) return { kind: 'binary' };
  if (a.text.trim() !== '' && b.text.trim() !== '' && jsonError(a.text) === null && jsonError(b.text) === null) {
    const changes = diffJson(parseJsonTree(a.text), parseJsonTree(b.text));
    // No change listed: the same values written differently (spacing, escapes, key order).
    return { kind: 'json', changes: changes.slice(0, MAX_CHANGES), more: changes.length > MAX_CHANGES };
  }
  const parts = diffLines(a.text, b.text, { timeout: DIFF_TIMEOUT_MS });
  if (parts === undefined) return { kind: 'too-large' };
  return { kind: 'lines', ...toLines(parts) };
}
