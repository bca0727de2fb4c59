/** Cutting a text at a pattern's matches, for marking them (ui/Visible's `highlight`). */

/** One piece of a text: as it is, or a match to mark. */
export interface Piece {
  text: string;
  match: boolean;
}

/** Cuts `text` into pieces at the matches of `pattern` (a global RegExp from highlightPattern). */
export function splitMatches(text: string, pattern: RegExp): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  for (const found of text.matchAll(pattern)) {
    const start = found.index ?? 0;
    if (found[0] === '') continue;
    if (start > at) pieces.push({ text: text.slice(at, start), match: false });
    pieces.push({ text: found[0], match: true });
    at = start + found[0].length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), match: false });
  return pieces;
}
