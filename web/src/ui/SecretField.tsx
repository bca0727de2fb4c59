import type { MaskedSecret } from '../../../shared/types';
import { compactMask } from '../lib/secrets';
import { CopyButton } from './CopyButton';
import { Visible } from './Visible';

/**
 * A credential's secret: masked by default, revealed by its own toggle, copied by a separate button. `clear` is
 * the clear value (null when it was redacted at capture); it is only put on the page while revealed.
 */
export function SecretField({
  secret,
  clear,
  revealed,
  onToggleReveal,
}: {
  secret: MaskedSecret;
  clear: () => string | null;
  revealed: boolean;
  onToggleReveal: () => void;
}) {
  // One call per render (clearSecret remembers it per credential); the value is only put on the page when revealed.
  const clearValue = clear();
  const value = revealed ? clearValue : null;
  const available = clearValue !== null;
  return (
    <span className="secret" data-testid="secret">
      <code className={revealed && value !== null ? 'secret-value revealed' : 'secret-value masked'} data-testid="secret-value">
        <Visible text={revealed && value !== null ? value : compactMask(secret.masked)} />
      </code>
      <span className="muted"> ({secret.length} characters)</span>
      {available ? (
        <span className="secret-actions">
          <button type="button" className="button small" onClick={onToggleReveal} data-testid="reveal-secret" aria-pressed={revealed}>
            {revealed ? 'Hide' : 'Reveal'}
          </button>
          <CopyButton text={clear} label="Copy" testId="copy-secret" />
        </span>
      ) : (
        <span className="notice-inline" data-testid="secret-redacted">
          The secret was redacted at capture; only its mask and fingerprint were kept.
        </span>
      )}
    </span>
  );
}
