/**
 * The compare route (contract.md "Viewer routes"): `/compare/{binA}/{idA}/{binB}/{idB}`, two requests side by side,
 * from any bins. The address is all it needs, so it can be shared and reloaded.
 */

/** Two requests, A and B, named by bin and id. */
export interface CompareRoute {
  name: 'compare';
  binA: string;
  idA: number;
  binB: string;
  idB: number;
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

const ID = /^\d{1,15}$/;

/** Reads a path's segments (`['compare', binA, idA, binB, idB]`) as a compare route; null when they are not one. */
export function parseComparePath(parts: readonly string[]): CompareRoute | null {
  if (parts.length !== 5 || parts[0] !== 'compare' || !ID.test(parts[2]) || !ID.test(parts[4])) return null;
  const binA = decodeSegment(parts[1]);
  const binB = decodeSegment(parts[3]);
  if (binA === null || binB === null) return null;
  return { name: 'compare', binA, idA: Number(parts[2]), binB, idB: Number(parts[4]) };
}

/** The path of the compare view of request `idA` of `binA` (A) with `idB` of `binB` (B). */
export function comparePath(binA: string, idA: number, binB: string, idB: number): string {
  return `/compare/${encodeURIComponent(binA)}/${idA}/${encodeURIComponent(binB)}/${idB}`;
}
