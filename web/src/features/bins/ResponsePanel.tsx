import { useState } from 'react';
import type { FormEvent } from 'react';
import type { BinResponse } from '../../../../shared/types';
import type { BinPatch } from '../../api/client';
import { base64ByteLength } from '../../lib/bytes';
import { DEFAULT_ANSWER, MAX_DELAY_MS, RESPONSE_PRESETS, formatDelay, formatHeaderLines, parseHeaderLines, presetOf } from './binResponse';
import { AnswerBadge } from '../../ui/AnswerBadge';
import { Visible } from '../../ui/Visible';
import { errorMessage } from '../../api/errors';
import { ErrorMessage } from '../../ui/ErrorMessage';

type ResponseSetting = NonNullable<BinPatch['response']>;

/** The free form's fields, as typed. */
interface Draft {
  status: string;
  headers: string;
  body: string;
  delayMs: string;
}

function draftOf(response: BinResponse | null): Draft {
  if (response === null) return { status: '200', headers: '', body: '', delayMs: '0' };
  return {
    status: String(response.status),
    headers: formatHeaderLines(response.headers),
    body: typeof response.body === 'string' ? response.body : '',
    delayMs: String(response.delayMs),
  };
}

/**
 * What the bin's capture URL answers: the current setting, presets in one click, a free form (status, headers one a
 * line, body text, delay) and a reset to the default. `onSave` rejects with the server's message (a 400 names the
 * field it refuses), which the panel shows; the setting stays as it was.
 */
export function ResponsePanel({
  response,
  onSave,
  onClose,
}: {
  response: BinResponse | null;
  onSave: (response: ResponseSetting | null) => Promise<void>;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(response));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The form follows the saved setting when it changes (a save here, or elsewhere), not on the bin's other updates
  // (every capture announces the bin with its new count): what is being typed stays.
  const settingKey = JSON.stringify(response);
  const [seededFrom, setSeededFrom] = useState(settingKey);
  if (seededFrom !== settingKey) {
    setSeededFrom(settingKey);
    setDraft(draftOf(response));
  }
  const preset = presetOf(response);

  const save = async (setting: ResponseSetting | null, done: string) => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      await onSave(setting);
      setSaved(done);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    let headers;
    try {
      headers = parseHeaderLines(draft.headers);
    } catch (failure) {
      setSaved(null);
      setError(errorMessage(failure));
      return;
    }
    // Numbers as typed (an empty status is 0): the server judges them and names the field it refuses.
    const setting: ResponseSetting = {
      status: Number(draft.status),
      headers,
      // An empty body keeps the default JSON answer, as the placeholder says.
      ...(draft.body === '' ? {} : { body: draft.body }),
      delayMs: Number(draft.delayMs),
    };
    void save(setting, 'Saved: the capture URL answers this from the next request on.');
  };

  const field = (name: keyof Draft) => (event: { target: { value: string } }) => setDraft((current) => ({ ...current, [name]: event.target.value }));

  return (
    <section className="panel settings" data-testid="response-panel">
      <header className="panel-header">
        <h3>Response</h3>
        <button type="button" className="button small" onClick={onClose}>
          Close
        </button>
      </header>
      <p className="muted">What the capture URL answers, once the request is stored. Provider endpoint checks (Slack, Zoom, Meta, Microsoft Graph, Twitch) are answered whatever is set here.</p>
      <div className="response-current" data-testid="response-current" data-default={response === null}>
        {response === null ? (
          <p>
            <strong>Default:</strong> <code>{DEFAULT_ANSWER}</code>
          </p>
        ) : (
          <>
            <p>
              <strong>Answers</strong> <AnswerBadge status={response.status} arrow={false} testId="response-current-status" />
              {preset && <span className="muted">{preset.label} preset</span>}
              {response.delayMs > 0 && <span data-testid="response-current-delay"> after {formatDelay(response.delayMs)}</span>}
            </p>
            <pre className="code-block mono" data-testid="response-current-message">
              {response.headers.length > 0 && <Visible text={formatHeaderLines(response.headers)} />}
              {response.headers.length > 0 && '\n\n'}
              {response.body === undefined ? (
                <span className="muted">{'{"ok":true,"id":…} (the default body)'}</span>
              ) : typeof response.body === 'string' ? (
                <Visible text={response.body} />
              ) : (
                <span className="muted">{`${base64ByteLength(response.body.base64)} bytes (binary)`}</span>
              )}
            </pre>
          </>
        )}
      </div>
      <div className="toolbar presets" role="group" aria-label="Presets">
        {RESPONSE_PRESETS.map((candidate) => (
          <button
            key={candidate.id}
            type="button"
            className={preset?.id === candidate.id ? 'button small selected' : 'button small'}
            title={candidate.title}
            aria-pressed={preset?.id === candidate.id}
            disabled={busy}
            onClick={() => void save(candidate.response, `Saved the ${candidate.label} preset.`)}
            data-testid={`response-preset-${candidate.id}`}
          >
            {candidate.label}
          </button>
        ))}
        <button type="button" className="button small" disabled={busy || response === null} onClick={() => void save(null, 'Reset: the capture URL answers the default again.')} data-testid="response-reset">
          Reset to default
        </button>
      </div>
      <form className="response-form" onSubmit={onSubmit} data-testid="response-form">
        <div className="response-numbers">
          <label>
            Status
            <input type="number" min={100} max={599} value={draft.status} onChange={field('status')} data-testid="response-status" />
          </label>
          <label>
            Delay (ms)
            <input type="number" min={0} max={MAX_DELAY_MS} step={100} value={draft.delayMs} onChange={field('delayMs')} data-testid="response-delay" />
          </label>
        </div>
        <label>
          Headers, one a line
          <textarea className="mono" rows={3} value={draft.headers} onChange={field('headers')} placeholder="Name: value" spellCheck={false} data-testid="response-headers" />
        </label>
        <label>
          Body
          <textarea
            className="mono"
            rows={3}
            value={draft.body}
            onChange={field('body')}
            placeholder={'Empty: the default {"ok":true,"id":…}. {id} becomes the request id.'}
            spellCheck={false}
            data-testid="response-body"
          />
        </label>
        {response !== null && typeof response.body === 'object' && (
          <p className="muted">The current body is {base64ByteLength(response.body.base64)} bytes of binary, set over the API; saving here replaces it.</p>
        )}
        <div className="toolbar">
          <button type="submit" className="button primary" disabled={busy} data-testid="response-save">
            Save
          </button>
        </div>
      </form>
      {saved && <p className="notice info">{saved}</p>}
      <ErrorMessage error={error} testId="response-error" />
    </section>
  );
}
