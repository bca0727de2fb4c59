import { useEffect, useState } from 'react';

/**
 * A blob: URL for `bytes` as `type`, made after render and revoked when the bytes change or the component goes;
 * null until then. Pass only types that are safe to open (see ImagePreview and MultipartParts).
 */
export function useObjectUrl(bytes: Uint8Array | null, type: string): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (bytes === null) return;
    const made = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
    // The URL is an outside resource made and revoked with the effect; there is no render-time way to own it.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setUrl(made);
    return () => {
      URL.revokeObjectURL(made);
      setUrl(null);
    };
  }, [bytes, type]);
  return url;
}
