/**
 * A capture URL that may break onto a second line only before the bin id, never inside it; an id too long for its
 * line scrolls. Selecting and copying it gives the URL exactly.
 */
export function CaptureUrl({ url, testId, className }: { url: string; testId: string; className?: string }) {
  const split = url.lastIndexOf('/b/') + '/b/'.length;
  if (split < '/b/'.length) return <code className={className} data-testid={testId}>{url}</code>;
  return (
    <code className={className} data-testid={testId}>
      <span className="nowrap">{url.slice(0, split)}</span>
      <wbr />
      <span className="nowrap">{url.slice(split)}</span>
    </code>
  );
}
