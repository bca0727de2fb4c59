import { errorMessage } from '../api/errors';
import { Visible } from './Visible';

/**
 * The one way the viewer shows a failure: the server's `{error}` message for an API call (or the message of any
 * other error) as an alert, shown as text; nothing when `error` is null or undefined.
 */
export function ErrorMessage({ error, testId }: { error: unknown; testId?: string }) {
  if (error === null || error === undefined) return null;
  return (
    <p className="error" role="alert" data-testid={testId}>
      <Visible text={errorMessage(error)} />
    </p>
  );
}
