import { useMemo, useState } from 'react';
import { decodeCredentials } from '../../../../../shared/auth';
import type { Credential, HeaderPair } from '../../../../../shared/types';
import { headerRowKey } from '../../../lib/secrets';
import { HeadersTable } from './HeadersTable';

/**
 * The trailer fields that followed a chunked body, shown like headers: a credential among them (the decoder reads
 * them as it reads headers) is masked until its row is revealed.
 */
export function TrailersPanel({ trailers }: { trailers: readonly HeaderPair[] }) {
  const [revealed, setRevealed] = useState<ReadonlySet<string>>(new Set());
  const credentials = useMemo(() => {
    const byName = new Map<string, Credential>();
    // Only which fields to mask is read here; the transport warnings are the headers' business.
    for (const credential of decodeCredentials({ headers: [...trailers], query: '', secure: true }).credentials) {
      const name = credential.location.name.toLowerCase();
      if (!byName.has(name)) byName.set(name, credential);
    }
    return byName;
  }, [trailers]);
  const toggleRow = (row: number) =>
    setRevealed((current) => {
      const next = new Set(current);
      const key = headerRowKey(row);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  return (
    <section className="panel" data-testid="trailers">
      <h3>Trailers ({trailers.length})</h3>
      <p className="muted">Sent after the chunked body.</p>
      <HeadersTable headers={trailers} credentialHeaders={credentials} revealed={revealed} onToggleRow={toggleRow} />
    </section>
  );
}
