import { useMemo, useState } from 'react';
import type { CapturedBody, HeaderPair } from '../../../../../shared/types';
import { base64ToBytes, formatSize, hexDump } from '../../../lib/bytes';
import { charsetOf, decodeCharset, saysJson } from '../../../lib/contentType';
import { jsonError, prettyJson } from '../../../lib/json';
import { Visible } from '../../../ui/Visible';
import { contentCoding } from './body/decompress';
import { DecompressedView } from './body/DecompressedView';
import type { Decompressed } from './body/decompress';
import { FormTable } from './body/FormTable';
import { ImagePreview, previewedImageType } from './body/ImagePreview';
import { JsonTree } from './body/JsonTree';
import { parseJsonTree, TREE_MIN_BYTES, TREE_MIN_LINES } from './body/jsonTree';
import { multipartBoundary, parseMultipart } from './body/multipart';
import { MultipartParts } from './body/MultipartParts';
import { prettyXml, saysXml } from './body/xml';

type BodyMode = 'tree' | 'pretty' | 'form' | 'parts' | 'xml' | 'image' | 'decompressed' | 'text' | 'decoded' | 'hex';

/** Hex dumps past this many bytes would stall the page; the download link has the rest. */
const HEX_LIMIT = 64 * 1024;

const EMPTY = new Uint8Array(0);

function decodeBytes(base64: string): Uint8Array {
  try {
    return base64ToBytes(base64);
  } catch {
    return EMPTY;
  }
}

function saysForm(contentType: string | null): boolean {
  return contentType !== null && contentType.split(';', 1)[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

function lineCount(text: string): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at !== -1 && lines <= TREE_MIN_LINES; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

/**
 * A request body, in every view that fits it; the first is shown: a collapsible tree for large JSON and pretty JSON
 * (the raw text one click away); a table for a form; the parts of a multipart body, each downloadable; pretty XML
 * (SVG included: shown as text, never drawn); a preview of a PNG, JPEG, GIF or WebP image; a gzip, deflate or br
 * body decoded beside the bytes received; text when it is UTF-8 or, when it is not, decoded with the charset its
 * Content-Type names; and a hex dump always. Captured text is only ever shown as text. Says when the body was
 * truncated at capture, and why a body labelled JSON has no pretty view.
 */
export function BodyView({ body, size, contentType, headers, fromServer, highlight }: {
  body: CapturedBody;
  size: number;
  contentType: string | null;
  headers: readonly HeaderPair[];
  /** The server's decoding of the body's Content-Encoding, for what the browser cannot decode (br). */
  fromServer?: () => Promise<Decompressed>;
  /** A search's pattern: what it finds in the text views is marked. */
  highlight?: RegExp | null;
}) {
  const bytes = useMemo(() => decodeBytes(body.base64), [body.base64]);
  const pretty = useMemo(() => (body.text === null ? null : prettyJson(body.text)), [body.text]);
  const tree = useMemo(() => {
    if (body.text === null || pretty === null) return null;
    return body.text.length > TREE_MIN_BYTES || lineCount(pretty) > TREE_MIN_LINES ? parseJsonTree(body.text) : null;
  }, [body.text, pretty]);
  const notJson = useMemo(() => {
    if (!saysJson(contentType) || pretty !== null) return null;
    return body.text === null ? 'the body is not UTF-8' : jsonError(body.text);
  }, [contentType, pretty, body.text]);
  const charset = body.text === null ? charsetOf(contentType) : null;
  const decoded = useMemo(() => (charset === null ? null : decodeCharset(bytes, charset)), [charset, bytes]);
  const form = body.text !== null && saysForm(contentType) ? body.text : null;
  const boundary = multipartBoundary(contentType);
  const multipart = useMemo(() => (boundary === null ? null : parseMultipart(bytes, boundary)), [boundary, bytes]);
  const xml = useMemo(() => (body.text !== null && saysXml(contentType) ? prettyXml(body.text) : null), [body.text, contentType]);
  const image = previewedImageType(contentType);
  const coding = contentCoding(headers);

  const modes = useMemo<BodyMode[]>(() => {
    const found: BodyMode[] = [];
    if (coding !== null && bytes.length > 0) found.push('decompressed');
    if (tree !== null) found.push('tree');
    if (pretty !== null) found.push('pretty');
    if (form !== null) found.push('form');
    if (multipart !== null) found.push('parts');
    if (xml !== null) found.push('xml');
    if (image !== null && bytes.length > 0) found.push('image');
    if (body.text !== null) found.push('text');
    if (decoded !== null) found.push('decoded');
    found.push('hex');
    return found;
  }, [coding, bytes, tree, pretty, form, multipart, xml, image, body.text, decoded]);
  const [mode, setMode] = useState<BodyMode>(modes[0]);
  const shown = modes.includes(mode) ? mode : modes[0];

  if (size === 0 && body.base64 === '') return <p className="muted" data-testid="body-empty">No body.</p>;

  const tabLabel = (candidate: BodyMode): string => {
    switch (candidate) {
      case 'tree':
        return 'JSON tree';
      case 'pretty':
        return 'Pretty JSON';
      case 'form':
        return 'Form';
      case 'parts':
        return `Parts (${multipart?.parts.length ?? 0})`;
      case 'xml':
        return 'Pretty XML';
      case 'image':
        return 'Image';
      case 'decompressed':
        return `Decoded ${coding ?? ''}`;
      case 'text':
        return 'Raw text';
      case 'decoded':
        return `Text, decoded as ${charset}`;
      case 'hex':
        return 'Hex';
    }
  };

  return (
    <div className="body-view">
      {body.truncated && (
        <p className="notice warning" data-testid="body-truncated">
          The body was larger than the server's limit and was truncated at capture: {formatSize(size)} announced or received, only the first bytes were
          stored.
        </p>
      )}
      {notJson !== null && (
        <p className="muted" data-testid="body-not-json">
          not valid JSON: <Visible text={notJson} />
        </p>
      )}
      <div className="tabs" role="tablist">
        {modes.map((candidate) => (
          <button
            key={candidate}
            type="button"
            role="tab"
            aria-selected={candidate === shown}
            className={candidate === shown ? 'tab selected' : 'tab'}
            onClick={() => setMode(candidate)}
            data-testid={`body-tab-${candidate}`}
          >
            {tabLabel(candidate)}
          </button>
        ))}
      </div>
      <div data-testid="body-content" data-mode={shown} className="body-content">
        {shown === 'tree' && tree !== null && <JsonTree root={tree} />}
        {shown === 'form' && form !== null && <FormTable text={form} />}
        {shown === 'parts' && multipart !== null && <MultipartParts multipart={multipart} />}
        {shown === 'image' && image !== null && <ImagePreview bytes={bytes} type={image} />}
        {shown === 'decompressed' && coding !== null && <DecompressedView bytes={bytes} coding={coding} fromServer={fromServer} />}
        {shown === 'xml' && xml !== null && 'error' in xml && (
          <p className="notice warning" data-testid="xml-error">
            Not well-formed XML: <Visible text={xml.error} />
          </p>
        )}
        {(shown === 'pretty' || shown === 'text' || shown === 'decoded' || shown === 'hex' || (shown === 'xml' && xml !== null && 'xml' in xml)) && (
          <pre className="body mono">
            {/* The hex dump is ASCII of its own making; every text view is the sender's. */}
            {shown === 'hex' ? (
              hexDump(bytes, HEX_LIMIT)
            ) : (
              <Visible
                text={(shown === 'pretty' ? pretty : shown === 'text' ? body.text : shown === 'decoded' ? decoded : xml !== null && 'xml' in xml ? xml.xml : '') ?? ''}
                highlight={highlight}
              />
            )}
          </pre>
        )}
      </div>
      {shown === 'hex' && bytes.length > HEX_LIMIT && <p className="muted">Showing the first {formatSize(HEX_LIMIT)}; download the body for all of it.</p>}
    </div>
  );
}
