import { describe, expect, it } from 'vitest';
import { codePointName, describeHidden, MAX_MARKED_RUNS, splitVisible, visibleString } from '../web/src/lib/visible';
import type { VisibleSegment } from '../web/src/lib/visible';

/** The segments' text joined: what they give back. */
function joined(segments: VisibleSegment[]): string {
  return segments.map((segment) => segment.text).join('');
}

const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\u2061', '\u2062', '\u2063', '\u2064', '\ufeff', '\u180e', '\u00ad'];

describe('splitVisible', () => {
  it('marks the bidi spoof of a file name, keeping the text around it as it is', () => {
    expect(splitVisible('invoice\u202egnp.exe')).toEqual([
      { kind: 'text', text: 'invoice' },
      { kind: 'hidden', text: '\u202e', codePoints: [0x202e] },
      { kind: 'text', text: 'gnp.exe' },
    ]);
  });

  it('marks every bidi control, zero-width and invisible character of the list, each on its own between letters', () => {
    for (const char of [...BIDI, ...INVISIBLE]) {
      const segments = splitVisible(`a${char}b`);
      expect(segments, `U+${char.codePointAt(0)?.toString(16)}`).toEqual([
        { kind: 'text', text: 'a' },
        { kind: 'hidden', text: char, codePoints: [char.codePointAt(0)] },
        { kind: 'text', text: 'b' },
      ]);
    }
  });

  it('marks the other format characters: tag characters (hidden ASCII), interlinear annotations, deprecated format controls', () => {
    const smuggled = 'ok' + [...'hi'].map((char) => String.fromCodePoint(0xe0000 + char.charCodeAt(0))).join('');
    expect(splitVisible(smuggled)).toEqual([
      { kind: 'text', text: 'ok' },
      { kind: 'hidden', text: smuggled.slice(2), codePoints: [0xe0068, 0xe0069] },
    ]);
    for (const codePoint of [0xfff9, 0x206a, 0x206f, 0xe0001]) {
      expect(splitVisible(`x${String.fromCodePoint(codePoint)}`)[1]).toMatchObject({ kind: 'hidden', codePoints: [codePoint] });
    }
  });

  it('marks invisible characters that are not format characters: Hangul fillers, variation selectors that hide bytes, CGJ', () => {
    for (const codePoint of [0x3164, 0x115f, 0xffa0, 0x034f, 0xfe01, 0xe0100]) {
      expect(splitVisible(`x${String.fromCodePoint(codePoint)}y`)[1]).toMatchObject({ kind: 'hidden', codePoints: [codePoint] });
    }
  });

  it('marks control characters but leaves tab, line feed and carriage return as layout', () => {
    expect(splitVisible('a\tb\r\nc')).toEqual([{ kind: 'text', text: 'a\tb\r\nc' }]);
    expect(splitVisible('a\u0000b\u001b[31mc\u007fd\u0085')).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'hidden', text: '\u0000', codePoints: [0] },
      { kind: 'text', text: 'b' },
      { kind: 'hidden', text: '\u001b', codePoints: [0x1b] },
      { kind: 'text', text: '[31mc' },
      { kind: 'hidden', text: '\u007f', codePoints: [0x7f] },
      { kind: 'text', text: 'd' },
      { kind: 'hidden', text: '\u0085', codePoints: [0x85] },
    ]);
  });

  it('groups characters that stand side by side into one run', () => {
    expect(splitVisible('\u202e\u200b\u200bx\u2066')).toEqual([
      { kind: 'hidden', text: '\u202e\u200b\u200b', codePoints: [0x202e, 0x200b, 0x200b] },
      { kind: 'text', text: 'x' },
      { kind: 'hidden', text: '\u2066', codePoints: [0x2066] },
    ]);
  });

  it('leaves text without such characters as one segment, right-to-left scripts and emoji included', () => {
    for (const text of ['hello', 'שלום עולם', 'مرحبا', 'naïve café', '❤️', '👩‍💻', '👩🏽‍💻', '🏳️‍🌈', '1️⃣', '{"a": "b"}\n']) {
      expect(splitVisible(text), text).toEqual([{ kind: 'text', text }]);
    }
    expect(splitVisible('')).toEqual([]);
  });

  it('marks a zero width joiner that does not join two pictographs, and a presentation selector with nothing to select', () => {
    expect(splitVisible('a\u200d💻')[1]).toMatchObject({ kind: 'hidden', codePoints: [0x200d] });
    expect(splitVisible('👩\u200db')[1]).toMatchObject({ kind: 'hidden', codePoints: [0x200d] });
    expect(splitVisible('\u200d👩')[0]).toMatchObject({ kind: 'hidden', codePoints: [0x200d] });
    expect(splitVisible('\ufe0fa')[0]).toMatchObject({ kind: 'hidden', codePoints: [0xfe0f] });
    expect(splitVisible('a \ufe0f')[1]).toMatchObject({ kind: 'hidden', codePoints: [0xfe0f] });
    // A second selector after a kept one hides a bit; both after a marked character are marked with it.
    expect(splitVisible('❤\ufe0f\ufe0f')).toEqual([
      { kind: 'text', text: '❤\ufe0f' },
      { kind: 'hidden', text: '\ufe0f', codePoints: [0xfe0f] },
    ]);
  });

  it('gives the text back when its segments are joined, whatever the text', () => {
    const samples = ['invoice\u202egnp.exe', '\u2067abc\u2069', 'a\u0000\u200b\ud83d\ude00\u200d', 'x'.repeat(10) + '\ufeff', '\ud800 lone surrogate \udc00'];
    for (const text of samples) expect(joined(splitVisible(text))).toBe(text);
  });

  it('stops making runs past the limit: the rest is one text segment with the markers written in', () => {
    const text = 'a\u200b'.repeat(MAX_MARKED_RUNS + 5);
    const segments = splitVisible(text);
    expect(segments.filter((segment) => segment.kind === 'hidden')).toHaveLength(MAX_MARKED_RUNS);
    expect(segments).toHaveLength(MAX_MARKED_RUNS * 2 + 1);
    expect(segments[segments.length - 1]).toEqual({ kind: 'text', text: 'a⟨U+200B⟩'.repeat(5) });
    expect(splitVisible('\u202ea\u202eb\u202ec', 1)).toEqual([
      { kind: 'hidden', text: '\u202e', codePoints: [0x202e] },
      { kind: 'text', text: 'a⟨U+202E⟩b⟨U+202E⟩c' },
    ]);
  });

  it('scans a megabyte body in one pass, without a segment per character', () => {
    const body = JSON.stringify({ text: 'lorem ipsum '.repeat(90_000) + '\u202e' + 'dolor'.repeat(1000) });
    const segments = splitVisible(body);
    expect(segments).toHaveLength(3);
    expect(joined(segments)).toBe(body);
  });
});

describe('visibleString', () => {
  it('writes a marker in place of each marked character, for attributes and options', () => {
    expect(visibleString('invoice\u202egnp.exe')).toBe('invoice⟨U+202E⟩gnp.exe');
    expect(visibleString('a\u200b\u{e0041}b')).toBe('a⟨U+200B⟩⟨U+E0041⟩b');
    expect(visibleString('👩‍💻 ok')).toBe('👩‍💻 ok');
  });
});

describe('describeHidden', () => {
  it('names each character and says it was shown instead of applied', () => {
    expect(describeHidden([0x202e])).toBe('RIGHT-TO-LEFT OVERRIDE (U+202E), shown instead of applied');
    expect(describeHidden([0x200b, 0xe0041])).toBe('ZERO WIDTH SPACE (U+200B), TAG "A" (U+E0041), shown instead of applied');
    expect(describeHidden(Array.from({ length: 10 }, () => 0x200b))).toMatch(/\(U\+200B\), and 2 more, shown instead of applied$/);
  });

  it('falls back to the kind of character for those without a name here', () => {
    expect(codePointName(0x0001)).toBe('control character');
    expect(codePointName(0x206a)).toBe('format character');
    expect(codePointName(0xe0fff)).toBe('invisible character');
    expect(codePointName(0xfe0f)).toBe('VARIATION SELECTOR-16');
  });
});
