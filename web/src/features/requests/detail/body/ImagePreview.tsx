import { useState } from 'react';
import { bytesToBase64, formatSize } from '../../../../lib/bytes';
import { useObjectUrl } from './useObjectUrl';

/**
 * Raster types the preview shows. SVG is not among them: it is a document that can carry script, so it is shown as
 * text (its XML view), never loaded as an image from the page's origin.
 */
const PREVIEWED = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** The raster image type a Content-Type names, or null (SVG and other types included). */
export function previewedImageType(contentType: string | null): string | null {
  if (contentType === null) return null;
  const type = contentType.split(';', 1)[0].trim().toLowerCase();
  return PREVIEWED.has(type) ? type : null;
}

/**
 * The body drawn as an image from a blob: URL. Where the page's CSP does not allow blob: images (img-src), the
 * same bytes are tried once as a data: URL; when neither draws (not really an image), says so. Mount it with a key
 * per body: what it learnt about one body's bytes is not reset.
 */
export function ImagePreview({ bytes, type }: { bytes: Uint8Array; type: string }) {
  const blobUrl = useObjectUrl(bytes, type);
  const [fallback, setFallback] = useState<'none' | 'data' | 'failed'>('none');
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const src = fallback === 'data' ? `data:${type};base64,${bytesToBase64(bytes)}` : blobUrl;
  if (fallback === 'failed') {
    return (
      <p className="notice warning" data-testid="image-failed">
        The browser cannot draw these {formatSize(bytes.length)} as {type}; see the hex view.
      </p>
    );
  }
  return (
    <figure className="image-preview" data-testid="image-preview">
      {src !== null && (
        <img
          src={src}
          alt={`The body as ${type}`}
          data-testid="image"
          onLoad={(event) => setSize({ width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight })}
          onError={() => setFallback((current) => (current === 'none' ? 'data' : 'failed'))}
        />
      )}
      <figcaption className="muted">
        {type}, {formatSize(bytes.length)}
        {size !== null && `, ${size.width} × ${size.height} px`}
      </figcaption>
    </figure>
  );
}
