import { useState } from 'react';

/**
 * A destructive action in two clicks: the first arms it ("Really delete?"), the second runs it. No window.confirm,
 * which would block the page and its live updates.
 */
export function ConfirmButton({ label, confirmLabel, onConfirm, testId }: { label: string; confirmLabel: string; onConfirm: () => void; testId?: string }) {
  const [armed, setArmed] = useState(false);
  if (!armed) {
    return (
      <button type="button" className="button small danger-outline" onClick={() => setArmed(true)} data-testid={testId}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      <button
        type="button"
        className="button small danger"
        onClick={() => {
          setArmed(false);
          onConfirm();
        }}
        data-testid={testId ? `${testId}-confirm` : undefined}
      >
        {confirmLabel}
      </button>
      <button type="button" className="button small" onClick={() => setArmed(false)}>
        Cancel
      </button>
    </span>
  );
}
