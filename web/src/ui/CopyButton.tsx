import { useEffect, useState } from 'react';
import { copyText } from '../lib/clipboard';

/**
 * A button that copies `text()` to the clipboard and says whether it worked. `text` is called only on click, so
 * that a secret is never computed into the page just to be copyable; it may fetch (a promise), and a null or a
 * rejection is a failure.
 */
export function CopyButton({
  text,
  label = 'Copy',
  testId,
  disabled,
}: {
  text: () => string | null | Promise<string | null>;
  label?: string;
  testId?: string;
  disabled?: boolean;
}) {
  const [result, setResult] = useState<'copied' | 'failed' | null>(null);

  useEffect(() => {
    if (result === null) return;
    const timer = setTimeout(() => setResult(null), 1500);
    return () => clearTimeout(timer);
  }, [result]);

  const onClick = async () => {
    const value = await Promise.resolve()
      .then(text)
      .catch(() => null);
    if (value === null) {
      setResult('failed');
      return;
    }
    setResult((await copyText(value)) ? 'copied' : 'failed');
  };

  return (
    <button type="button" className="button small" onClick={onClick} data-testid={testId} disabled={disabled}>
      {result === 'copied' ? 'Copied' : result === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
