import type { Source } from '../../../../../shared/types';
import { providerName } from '../../../lib/labels';
import { Visible } from '../../../ui/Visible';

/** Who the request says it comes from, in one line: "Zendesk · account 123456 · webhook … · test delivery". */
export function SourceLine({ source }: { source: Source }) {
  const parts = [providerName(source.provider)];
  if (source.accountId) parts.push(`account ${source.accountId}`);
  if (source.webhookId) parts.push(`webhook ${source.webhookId}`);
  if (source.invocationId) parts.push(`invocation ${source.invocationId}`);
  for (const [name, value] of Object.entries(source.details ?? {})) parts.push(`${name} ${value}`);
  if (source.testDelivery) parts.push('test delivery');
  return (
    <p className="source" data-testid="source">
      <Visible text={parts.join(' · ')} />
    </p>
  );
}
