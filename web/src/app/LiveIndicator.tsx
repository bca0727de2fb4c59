import { useLiveStatus } from './useLiveStatus';

const TEXT = { connecting: 'connecting', live: 'live', reconnecting: 'reconnecting' } as const;

/** Whether new requests arrive live: "live", or "connecting"/"reconnecting" while the stream is down. */
export function LiveIndicator() {
  const status = useLiveStatus();
  return (
    <span className={`live-indicator live-${status}`} data-testid="live-status" data-status={status} role="status">
      <span className="live-dot" aria-hidden="true" />
      {TEXT[status]}
    </span>
  );
}
