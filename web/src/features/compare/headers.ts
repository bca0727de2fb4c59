/**
 * Two requests' headers aligned by name: the n-th header of a name in one request is paired with the n-th of the
 * same name (compared case-insensitively) in the other, so that duplicates stay apart. Pairs out of their relative
 * order are "moved": the longest run of pairs in the same order (jsdiff's diffArrays, an LCS) stays in place and the
 * rest moved, so that one header added at the top does not mark every header below it as moved.
 */
import { diffArrays } from 'diff';
import type { HeaderPair } from '../../../../shared/types';

/** How a header of A compares with its partner in B. */
export type HeaderChange = 'same' | 'changed' | 'added' | 'removed' | 'moved';

/** One aligned row: `a` and `b` are indices into each request's headers (null on the side it is missing from). */
export interface AlignedHeader {
  change: HeaderChange;
  /** Lower-cased name. */
  key: string;
  /** 1 for the first header of this name, 2 for the second, … */
  occurrence: number;
  a: number | null;
  b: number | null;
  /** For `changed`: the pair is out of its relative order as well. */
  moved: boolean;
}

function keysOf(headers: readonly HeaderPair[]): string[] {
  const seen = new Map<string, number>();
  return headers.map(([name]) => {
    const lower = name.toLowerCase();
    const occurrence = (seen.get(lower) ?? 0) + 1;
    seen.set(lower, occurrence);
    return `${occurrence}:${lower}`;
  });
}

/**
 * The rows, in B's order with A's removed headers where they stood. A pair is `changed` when its value (or its name's
 * case) differs, `moved` when it is the same but out of order, `same` otherwise.
 */
export function alignHeaders(a: readonly HeaderPair[], b: readonly HeaderPair[]): AlignedHeader[] {
  const keysA = keysOf(a);
  const keysB = keysOf(b);
  const indexA = new Map(keysA.map((key, index) => [key, index]));
  const indexB = new Map(keysB.map((key, index) => [key, index]));
  const rows: AlignedHeader[] = [];
  const row = (key: string, change: HeaderChange, inA: number | null, inB: number | null, moved = false) => {
    const colon = key.indexOf(':');
    rows.push({ change, key: key.slice(colon + 1), occurrence: Number(key.slice(0, colon)), a: inA, b: inB, moved });
  };
  const differs = (inA: number, inB: number) => a[inA][0] !== b[inB][0] || a[inA][1] !== b[inB][1];

  for (const part of diffArrays(keysA, keysB)) {
    for (const key of part.value) {
      const inA = indexA.get(key) ?? null;
      const inB = indexB.get(key) ?? null;
      if (!part.added && !part.removed && inA !== null && inB !== null) {
        row(key, differs(inA, inB) ? 'changed' : 'same', inA, inB);
      } else if (part.removed) {
        // In both but out of order: shown once, where B has it.
        if (inB === null) row(key, 'removed', inA, null);
      } else if (inA === null) {
        row(key, 'added', null, inB);
      } else if (inB !== null) {
        if (differs(inA, inB)) row(key, 'changed', inA, inB, true);
        else row(key, 'moved', inA, inB);
      }
    }
  }
  return rows;
}
