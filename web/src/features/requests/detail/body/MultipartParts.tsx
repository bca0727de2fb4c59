import { formatSize } from '../../../../lib/bytes';
import { visibleString } from '../../../../lib/visible';
import { Visible } from '../../../../ui/Visible';
import type { Multipart, MultipartPart } from './multipart';
import { useObjectUrl } from './useObjectUrl';

/** Shown inline when a part is UTF-8 text and no longer than this; the download has all of it. */
const INLINE_TEXT = 2048;

/** A file name for the download attribute: no path separators or control characters, markers for hidden ones. */
function downloadName(part: MultipartPart, index: number): string {
  // eslint-disable-next-line no-control-regex
  const name = visibleString(part.filename ?? part.name ?? '').replace(/[\\/\x00-\x1f\x7f]/g, '_').trim();
  return name === '' || name === '.' || name === '..' ? `part-${index + 1}.bin` : name;
}

function inlineText(bytes: Uint8Array): string | null {
  if (bytes.length > INLINE_TEXT) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * A multipart body's parts: each one's field name, filename, type and size, its text when short, and a download of
 * its exact bytes. The download's blob is typed application/octet-stream, so it is saved, never shown by the browser.
 */
export function MultipartParts({ multipart }: { multipart: Multipart }) {
  return (
    <div className="multipart" data-testid="multipart">
      {!multipart.complete && (
        <p className="notice warning" data-testid="multipart-incomplete">
          The body ends before the closing boundary: the last part may be cut short.
        </p>
      )}
      {multipart.parts.length === 0 ? (
        <p className="muted">No parts found for the boundary the Content-Type names.</p>
      ) : (
        <ol className="parts">
          {multipart.parts.map((part, index) => (
            <Part key={index} part={part} index={index} />
          ))}
        </ol>
      )}
    </div>
  );
}

function Part({ part, index }: { part: MultipartPart; index: number }) {
  const url = useObjectUrl(part.body, 'application/octet-stream');
  const text = part.filename === null ? inlineText(part.body) : null;
  return (
    <li className="part" data-testid="part">
      <p className="part-line">
        <strong data-testid="part-name">{part.name === null ? <span className="muted">no name</span> : <Visible text={part.name} />}</strong>
        {part.filename !== null && (
          <span className="mono" data-testid="part-filename">
            {' '}
            <Visible text={part.filename} />
          </span>
        )}
        {part.contentType !== null && (
          <span className="muted">
            {' · '}
            <Visible text={part.contentType} />
          </span>
        )}
        <span className="muted" data-testid="part-size" data-bytes={part.body.length}>
          {' · '}
          {formatSize(part.body.length)}
        </span>{' '}
        {url !== null && (
          <a className="button tiny" href={url} download={downloadName(part, index)} data-testid="part-download">
            Download
          </a>
        )}
      </p>
      {text !== null && text !== '' && (
        <pre className="body mono part-text" data-testid="part-text">
          <Visible text={text} />
        </pre>
      )}
    </li>
  );
}
