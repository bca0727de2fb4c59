import { useMemo } from 'react';
import type { CapturedBody } from '../../../../shared/types';
import { base64ByteLength, formatSize } from '../../lib/bytes';
import { Visible } from '../../ui/Visible';
import { compareBodies } from './body';
import type { DiffLine, JsonChange } from './body';

function hashes(a: CapturedBody, b: CapturedBody) {
  return (
    <p className="muted" data-testid="compare-body-hashes">
      A: {formatSize(base64ByteLength(a.base64))}, SHA-256 {a.sha256}
      <br />
      B: {formatSize(base64ByteLength(b.base64))}, SHA-256 {b.sha256}
    </p>
  );
}

const CHANGE_SIGN: Record<JsonChange['change'], string> = { changed: '~', added: '+', removed: '−' };

function JsonChanges({ changes, more }: { changes: readonly JsonChange[]; more: boolean }) {
  if (changes.length === 0) return <p data-testid="compare-body-verdict">The same JSON, written differently (spacing, escapes or key order).</p>;
  return (
    <>
      <p data-testid="compare-body-verdict">
        JSON: {changes.length}
        {more ? '+' : ''} {changes.length === 1 ? 'change' : 'changes'}
      </p>
      <ul className="compare-json mono" data-testid="compare-json">
        {changes.map((change, index) => (
          <li key={index} className={change.change} data-testid="compare-json-change" data-change={change.change}>
            <span className="compare-sign">{CHANGE_SIGN[change.change]}</span> <Visible text={change.path} testId="compare-json-path" />
            {': '}
            {change.change === 'changed' && (
              <>
                <Visible text={change.before ?? ''} /> → <Visible text={change.after ?? ''} />
              </>
            )}
            {change.change === 'added' && (
              <>
                added <Visible text={change.after ?? ''} />
              </>
            )}
            {change.change === 'removed' && (
              <>
                removed (was <Visible text={change.before ?? ''} />)
              </>
            )}
          </li>
        ))}
      </ul>
      {more && <p className="muted">More changes are not listed.</p>}
    </>
  );
}

const LINE_SIGN = { same: ' ', added: '+', removed: '−' } as const;

function LineDiff({ lines, added, removed, more }: { lines: readonly DiffLine[]; added: number; removed: number; more: boolean }) {
  return (
    <>
      <p data-testid="compare-body-verdict">
        Text: {added} {added === 1 ? 'line' : 'lines'} added, {removed} removed
      </p>
      <div className="compare-lines mono" data-testid="compare-lines">
        {lines.map((line, index) =>
          line.kind === 'skipped' ? (
            <div key={index} className="skipped muted">
              … {line.count} unchanged {line.count === 1 ? 'line' : 'lines'} …
            </div>
          ) : (
            <div key={index} className={line.kind} data-change={line.kind}>
              <span className="compare-sign">{LINE_SIGN[line.kind]}</span> <Visible text={line.text} />
            </div>
          ),
        )}
      </div>
      {more && <p className="muted">The diff goes on; it is cut here.</p>}
    </>
  );
}

/** The bodies: identical, JSON by path, text by lines, or bytes by size and hash. */
export function BodyCompare({ a, b }: { a: CapturedBody; b: CapturedBody }) {
  const result = useMemo(() => compareBodies(a, b), [a, b]);
  return (
    <>
      <h3>Body</h3>
      {(a.truncated || b.truncated) && <p className="muted">Only the stored bytes are compared: {a.truncated && b.truncated ? 'both were' : a.truncated ? 'A was' : 'B was'} cut at capture.</p>}
      {result.kind === 'identical' && <p data-testid="compare-body-verdict">The same bytes.</p>}
      {result.kind === 'json' && <JsonChanges changes={result.changes} more={result.more} />}
      {result.kind === 'lines' && <LineDiff lines={result.lines} added={result.added} removed={result.removed} more={result.more} />}
      {result.kind === 'too-large' && <p data-testid="compare-body-verdict">Different text, too different to compare line by line quickly.</p>}
      {result.kind === 'binary' && <p data-testid="compare-body-verdict">Different bytes (not both text).</p>}
      {hashes(a, b)}
    </>
  );
}
