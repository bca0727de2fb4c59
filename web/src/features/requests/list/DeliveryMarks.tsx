import type { RequestSummaryView } from '../../../api/model';
import { deliveryNoun, handshakeName } from '../../../lib/labels';

/**
 * What a list row says beyond the request itself: a provider's endpoint check that capture answered, and a retry
 * ("attempt 2") of a delivery id seen before in this bin. Nothing for a first attempt.
 */
export function DeliveryMarks({ request }: { request: Pick<RequestSummaryView, 'handshake' | 'delivery'> }) {
  const { handshake, delivery } = request;
  return (
    <>
      {handshake !== undefined && (
        <span className="badge mark" data-testid="request-handshake" title="A provider's endpoint check: hooklens answered it, whatever the bin's response">
          {handshakeName(handshake)}
        </span>
      )}
      {delivery !== undefined && delivery.attempt > 1 && (
        <span
          className="badge mark retry"
          data-testid="request-attempt"
          title={`attempt ${delivery.attempt} of ${delivery.provider} ${deliveryNoun(delivery.provider)} ${delivery.id}`}
        >
          attempt {delivery.attempt}
        </span>
      )}
    </>
  );
}
