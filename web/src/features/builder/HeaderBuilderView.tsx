import { useState } from 'react';
import type { BinView } from '../../api/model';
import { CopyButton } from '../../ui/CopyButton';
import { authorizationValue, basicUser, curlLine, inputProblem, pythonSnippet } from './headerBuilder';
import type { BuilderMode } from './headerBuilder';
import { visibleString } from '../../lib/visible';
import { SendAndCompare } from './SendAndCompare';

const MODES: [BuilderMode, string][] = [
  ['api-token', 'Email + API token'],
  ['password', 'Email + password'],
  ['bearer', 'Bearer (OAuth) token'],
];

/**
 * Builds the Authorization header Zendesk's API expects from an email and an API token (or password, or a bearer
 * token), with the curl line and the Python `requests.Session` snippet that send it to a bin's capture URL; then
 * sends it as a test request into the bin (stored by the server, never sent over the network) and compares it with a
 * capture. An empty token is refused: no header is shown for it.
 */
export function HeaderBuilderView({ bins }: { bins: readonly BinView[] }) {
  const [mode, setMode] = useState<BuilderMode>('api-token');
  const [email, setEmail] = useState('');
  const [secret, setSecret] = useState('');
  const [binId, setBinId] = useState<string | null>(null);
  // An API token is not a password nor a bearer token: a secret typed for one mode is cleared when it changes.
  const selectMode = (next: BuilderMode) => {
    setMode(next);
    setSecret('');
  };
  const bin = bins.find((candidate) => candidate.id === binId) ?? bins[0];
  const url = bin?.captureUrl ?? `${location.origin}/b/<binId>`;
  const input = { mode, email, secret };
  const problem = inputProblem(input);
  const header = `Authorization: ${authorizationValue(input)}`;
  const curl = curlLine(input, url);
  const python = pythonSnippet(input, url);

  return (
    <section className="column builder" data-testid="header-builder">
      <h2>Header builder</h2>
      <p className="muted">Build the exact header you send to Zendesk's API, then send it to a bin as a test request and compare it with what was captured. Only "Send test request" sends what you typed, to this hooklens server, which stores it in the bin.</p>
      <form className="builder-form" onSubmit={(event) => event.preventDefault()}>
        <fieldset className="modes">
          <legend>Credentials</legend>
          {MODES.map(([value, label]) => (
            <label key={value}>
              <input type="radio" name="mode" value={value} checked={mode === value} onChange={() => selectMode(value)} data-testid={`builder-mode-${value}`} /> {label}
            </label>
          ))}
        </fieldset>
        {mode !== 'bearer' && (
          <label>
            Email
            <input type="email" placeholder="you@example.com" value={email} onChange={(event) => setEmail(event.target.value)} data-testid="builder-email" />
          </label>
        )}
        <label>
          {mode === 'api-token' ? 'API token' : mode === 'password' ? 'Password' : 'Access token'}
          <input type="password" autoComplete="off" value={secret} onChange={(event) => setSecret(event.target.value)} data-testid="builder-secret" />
        </label>
        <label>
          Send to bin
          <select value={bin?.id ?? ''} onChange={(event) => setBinId(event.target.value)} data-testid="builder-bin">
            {bins.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {visibleString(candidate.name || candidate.id)}
              </option>
            ))}
          </select>
        </label>
      </form>
      {problem !== null ? (
        <p className="error" role="alert" data-testid="builder-refused">
          {problem}
        </p>
      ) : (
        <>
          {mode !== 'bearer' && (
            <p className="muted">
              Basic user-id: <code>{basicUser(input)}</code>
              {mode === 'api-token' && ' (the "/token" suffix is what tells Zendesk the password is an API token)'}
            </p>
          )}
          <Output title="Authorization header" text={header} testId="builder-header" />
          <Output title="curl" text={curl} testId="builder-curl" />
          <Output title="Python (requests)" text={python} testId="builder-python" />
        </>
      )}
      <SendAndCompare input={input} binId={bin?.id ?? null} refused={problem} />
    </section>
  );
}

function Output({ title, text, testId }: { title: string; text: string; testId: string }) {
  return (
    <div className="builder-output">
      <header className="panel-header">
        <h3>{title}</h3>
        <CopyButton text={() => text} testId={`${testId}-copy`} />
      </header>
      <pre className="mono code-block" data-testid={testId}>
        {text}
      </pre>
    </div>
  );
}
