import { useMemo } from 'react';
import { codePointLabel, describeHidden, markerText, splitVisible } from '../lib/visible';

/**
 * Captured text (a bin name, a path, a header, a body…) as plain text, except the characters lib/visible marks —
 * bidi controls, zero-width and other invisible characters, control characters — which show as "⟨U+202E⟩" markers
 * instead of being applied or hidden. The text sits in an isolate with a left-to-right base direction, so that
 * right-to-left text in one field cannot reorder the page around it. Only what is shown changes: copy buttons,
 * downloads and the raw request keep the bytes as received. Never uses innerHTML.
 */
export function Visible({ text, testId }: { text: string; testId?: string }) {
  const segments = useMemo(() => splitVisible(text), [text]);
  return (
    <span className="captured" dir="ltr" data-testid={testId}>
      {segments.length === 1 && segments[0].kind === 'text'
        ? segments[0].text
        : segments.map((segment, index) => (segment.kind === 'text' ? segment.text : <Marker key={index} codePoints={segment.codePoints} />))}
    </span>
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
