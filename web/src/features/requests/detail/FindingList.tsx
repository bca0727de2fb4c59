import type { Finding } from '../../../../../shared/types';
import { Visible } from '../../../ui/Visible';

/** Findings (problems, warnings) with their severity, in plain words. */
export function FindingList({ findings, testId }: { findings: readonly Finding[]; testId?: string }) {
  if (findings.length === 0) return null;
  return (
    <ul className="findings" data-testid={testId}>
      {findings.map((finding, index) => (
        <li key={`${finding.code}-${index}`} className={`finding severity-${finding.severity}`}>
          <span className={`badge severity-${finding.severity}`}>{finding.severity}</span>
          <span className="finding-message">
            <Visible text={finding.message} />
          </span>
        </li>
      ))}
    </ul>
  );
}
