import { statusClass } from '../lib/labels';

/** The status capture (or a replay target) answered, as a badge coloured by its class: "→ 401". */
export function AnswerBadge({ status, testId, arrow = true }: { status: number; testId?: string; arrow?: boolean }) {
  const statusGroup = statusClass(status);
  return (
    <span className={`badge answer answer-${statusGroup}`} data-testid={testId} data-status={status} title={`Answered ${status}`}>
      {arrow ? `→ ${status}` : String(status)}
    </span>
  );
}
