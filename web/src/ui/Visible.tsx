import { useMemo } from 'react';
import { splitMatches } from '../lib/highlight';
import { codePointLabel, describeHidden, markerText, splitVisible } from '../lib/visible';

/**
 * Captured text (a bin name, a path, a header, a body…) as plain text, except the characters lib/visible marks —
 * bidi controls, zero-width and other invisible characters, control characters — which show as "⟨U+202E⟩" markers
 * instead of being applied or hidden. The text sits in an isolate with a left-to-right base direction, so that
 * right-to-left text in one field cannot reorder the page around it. Only what is shown changes: copy buttons,
 * downloads and the raw request keep the bytes as received. With `highlight` (a search's pattern,
 * features/search/terms.ts), what it finds is wrapped in <mark> elements. Never uses innerHTML.
 */
export function Visible({ text, testId, highlight }: { text: string; testId?: string; highlight?: RegExp | null }) {
  const segments = useMemo(() => splitVisible(text), [text]);
  const plain = (value: string, key: number) => (highlight ? <Marked key={key} text={value} pattern={highlight} /> : value);
  return (
    <span className="captured" dir="ltr" data-testid={testId}>
      {segments.length === 1 && segments[0].kind === 'text'
        ? plain(segments[0].text, 0)
        : segments.map((segment, index) => (segment.kind === 'text' ? plain(segment.text, index) : <Marker key={index} codePoints={segment.codePoints} />))}
    </span>
  );
}

/** Text with the matches of `pattern` marked, as elements. */
function Marked({ text, pattern }: { text: string; pattern: RegExp }) {
  const pieces = useMemo(() => splitMatches(text, pattern), [text, pattern]);
  return (
    <>
      {pieces.map((piece, index) =>
        piece.match ? (
          <mark key={index} className="search-mark" data-testid="search-mark">
            {piece.text}
          </mark>
        ) : (
          piece.text
        ),
      )}
    </>
  );
}

/** One run of marked characters, side by side: one element however many there are. */
function Marker({ codePoints }: { codePoints: readonly number[] }) {
  const description = describeHidden(codePoints);
  return (
    <span className="char-marker" role="img" aria-label={description} title={description} data-testid="char-marker" data-code-points={codePoints.map(codePointLabel).join(' ')}>
      {codePoints.map(markerText).join('')}
    </span>
  );
}
