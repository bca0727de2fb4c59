/**
 * Characters a sender can use to make captured text read as something it is not: bidirectional controls (U+202E
 * turns "invoice\u202Egnp.exe" into "invoiceexe.png"), zero-width and other invisible characters, and control
 * characters. The viewer shows each as a marker ("⟨U+202E⟩") instead of letting the browser apply or hide it.
 *
 * Marked: every format character (\p{Cf}: the bidi embeddings, overrides, isolates and marks, U+061C, the zero-width
 * space, joiners, word joiner, invisible operators, U+FEFF, U+180E, the soft hyphen, the tag characters used to
 * smuggle hidden ASCII, interlinear annotations, prepended concatenation marks…), every other default-ignorable code
 * point (\p{Default_Ignorable_Code_Point}: Hangul fillers, U+034F, variation selectors, unassigned ignorables), and
 * every control character but tab, line feed and carriage return (\p{Cc}).
 *
 * Not marked, so that emoji read as emoji: U+200D ZERO WIDTH JOINER between two pictographs (👩‍💻), and U+FE0E or
 * U+FE0F (text / emoji presentation) right after a visible character (❤️). Neither can reorder text, and a selector
 * after a marked character, or alone, is marked.
 */

/** Candidates (\p{Cc} written out, without tab, line feed and carriage return); `isBenign` then lets the emoji cases through. */
// eslint-disable-next-line no-control-regex
const CANDIDATE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/gu;
// eslint-disable-next-line no-control-regex
const CANDIDATE_ONE = /^[\p{Cf}\p{Default_Ignorable_Code_Point}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]$/u;
const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;
const SPACE = /^\s$/u;

/**
 * Past this many marked runs in one text, the rest is one plain-text segment with the markers written into it:
 * a body of a million "a\u200B" pairs must not become a million elements.
 */
export const MAX_MARKED_RUNS = 1000;

/** A piece of captured text: shown as it is, or characters that are shown as markers. */
export type VisibleSegment =
  | { kind: 'text'; text: string }
  /** `text` is the original characters (one or more in a row); `codePoints` the same, one number each. */
  | { kind: 'hidden'; text: string; codePoints: number[] };

const NAMES: Record<number, string> = {
  0x00ad: 'SOFT HYPHEN',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x061c: 'ARABIC LETTER MARK',
  0x115f: 'HANGUL CHOSEONG FILLER',
  0x1160: 'HANGUL JUNGSEONG FILLER',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x3164: 'HANGUL FILLER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE (byte order mark)',
  0xffa0: 'HALFWIDTH HANGUL FILLER',
  0xfff9: 'INTERLINEAR ANNOTATION ANCHOR',
  0xfffa: 'INTERLINEAR ANNOTATION SEPARATOR',
  0xfffb: 'INTERLINEAR ANNOTATION TERMINATOR',
  0x0000: 'NULL',
  0x001b: 'ESCAPE',
  0x007f: 'DELETE',
  0xe0001: 'LANGUAGE TAG',
  0xe007f: 'CANCEL TAG',
};

/** "U+202E", "U+E0041": at least four hex digits, upper case. */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The character's name where it helps ("RIGHT-TO-LEFT OVERRIDE", "TAG LATIN 'a'"), else what kind it is. */
export function codePointName(codePoint: number): string {
  const named = NAMES[codePoint];
  if (named !== undefined) return named;
  if (codePoint >= 0xe0020 && codePoint <= 0xe007e) return `TAG ${JSON.stringify(String.fromCodePoint(codePoint - 0xe0000))}`;
  if (codePoint >= 0xfe00 && codePoint <= 0xfe0f) return `VARIATION SELECTOR-${codePoint - 0xfe00 + 1}`;
  if (codePoint >= 0xe0100 && codePoint <= 0xe01ef) return `VARIATION SELECTOR-${codePoint - 0xe0100 + 17}`;
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)) return 'control character';
  const char = String.fromCodePoint(codePoint);
  return /^\p{Cf}$/u.test(char) ? 'format character' : 'invisible character';
}

/** The marker text of one character: "⟨U+202E⟩". */
export function markerText(codePoint: number): string {
  return `⟨${codePointLabel(codePoint)}⟩`;
}

/** What a marked run is, for its tooltip and screen readers: "RIGHT-TO-LEFT OVERRIDE (U+202E), shown instead of applied". */
export function describeHidden(codePoints: readonly number[]): string {
  const listed = codePoints.slice(0, 8).map((codePoint) => `${codePointName(codePoint)} (${codePointLabel(codePoint)})`);
  const more = codePoints.length > listed.length ? `, and ${codePoints.length - listed.length} more` : '';
  return `${listed.join(', ')}${more}, shown instead of applied`;
}

/** The code point that ends just before `index`, and where it starts; null at the start. */
function codePointBefore(text: string, index: number): { codePoint: number; start: number } | null {
  if (index <= 0) return null;
  const low = text.charCodeAt(index - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && index >= 2 && isHighSurrogate(text.charCodeAt(index - 2)) ? index - 2 : index - 1;
  return { codePoint: text.codePointAt(start) ?? low, start };
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isPictograph(codePoint: number | undefined): boolean {
  return codePoint !== undefined && PICTOGRAPH.test(String.fromCodePoint(codePoint));
}

/** The two emoji cases that are left as they are (see the module comment). */
function isBenign(text: string, index: number, char: string): boolean {
  if (char === '\u200d') {
    let before = codePointBefore(text, index);
    // 👩🏽‍💻 and 🏳️‍🌈: a skin tone or emoji presentation selector may sit between the pictograph and the joiner.
    if (before !== null && (before.codePoint === 0xfe0f || (before.codePoint >= 0x1f3fb && before.codePoint <= 0x1f3ff))) before = codePointBefore(text, before.start);
    return before !== null && isPictograph(before.codePoint) && isPictograph(text.codePointAt(index + 1));
  }
  if (char === '\ufe0e' || char === '\ufe0f') {
    const before = codePointBefore(text, index);
    if (before === null) return false;
    const previous = String.fromCodePoint(before.codePoint);
    return !CANDIDATE_ONE.test(previous) && !SPACE.test(previous);
  }
  return false;
}

/** True when the candidate `char` at `index` is shown as a marker. */
function isMarked(text: string, index: number, char: string): boolean {
  return !isBenign(text, index, char);
}

/**
 * Splits captured text into runs of plain text and runs of characters to show as markers, in order; joining the
 * segments' `text` gives `text` back (unless `maxRuns` was reached). One regex scan, and nothing allocated per plain character, so megabyte bodies
 * stay cheap. Past `maxRuns` marked runs, the rest is one plain segment with the markers written into it
 * (`visibleString`). Never throws.
 */
export function splitVisible(text: string, maxRuns = MAX_MARKED_RUNS): VisibleSegment[] {
  const segments: VisibleSegment[] = [];
  let plainFrom = 0;
  let runs = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const index = match.index;
    const char = match[0];
    if (!isMarked(text, index, char)) continue;
    const codePoint = char.codePointAt(0) ?? 0;
    const last = segments[segments.length - 1];
    if (plainFrom === index && last?.kind === 'hidden') {
      // Adjacent to the run before it: one element for "\u202E\u200B\u200B", not three.
      last.text += char;
      last.codePoints.push(codePoint);
    } else {
      if (runs === maxRuns) {
        segments.push({ kind: 'text', text: text.slice(plainFrom, index) + visibleString(text.slice(index)) });
        return segments;
      }
      if (plainFrom < index) segments.push({ kind: 'text', text: text.slice(plainFrom, index) });
      segments.push({ kind: 'hidden', text: char, codePoints: [codePoint] });
      runs += 1;
    }
    plainFrom = index + char.length;
  }
  if (plainFrom < text.length) segments.push({ kind: 'text', text: text.slice(plainFrom) });
  return segments;
}

/**
 * `text` with each character that `splitVisible` marks replaced by its marker text ("invoice⟨U+202E⟩gnp.exe"):
 * for places that take only a string, such as a `title` attribute or an <option>.
 */
export function visibleString(text: string): string {
  return text.replace(CANDIDATE, (char: string, index: number) => (isMarked(text, index, char) ? markerText(char.codePointAt(0) ?? 0) : char));
}
