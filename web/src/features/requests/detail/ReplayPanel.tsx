import { useId, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import type { ReplayAnswer } from '../../../../../shared/types';
import { base64ToBytes, formatSize } from '../../../lib/bytes';
import { ErrorMessage } from '../../../ui/ErrorMessage';
import { useReplay } from '../api';
import { rememberReplayTarget, replayTargets } from './replayTargets';
import { AnswerBadge } from '../../../ui/AnswerBadge';
import { KeyValueTable } from '../../../ui/KeyValueTable';
import { Visible } from '../../../ui/Visible';

/** The answer's body as text when its bytes are UTF-8 (a truncated one may end mid-character), else null. */
function bodyText(body: ReplayAnswer['body']): { text: string | null; bytes: number } {
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(body.base64);
  } catch {
    return { text: null, bytes: 0 };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: body.truncated }), bytes: bytes.length };
  } catch {
    return { text: null, bytes: bytes.length };
  }
}

/**
 * Sends a captured request again, from the server, to a URL typed here (the bin's last few targets are offered), and
 * shows what the target answered: status, time, headers, and the body as text (never as HTML) or its size when it is
 * binary. A refused target (400), an unreachable one (502) or a timeout (504) shows the server's message.
 */
export function ReplayPanel({ binId, requestId }: { binId: string; requestId: number }) {
  const listId = useId();
  const [targets, setTargets] = useState(() => replayTargets(binId));
  const [url, setUrl] = useState(() => targets[0] ?? '');
  const replay = useReplay(binId, requestId);
  const answer = replay.data ?? null;
  const busy = replay.isPending;
  const body = useMemo(() => (answer === null ? null : bodyText(answer.body)), [answer]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const target = url.trim();
    if (target === '') return;
    replay.mutate(target, { onSuccess: () => setTargets(rememberReplayTarget(binId, target)) });
  };

  return (
    <section className="panel" data-testid="replay">
      <h3>Replay</h3>
      <p className="muted">Sends this request again from the server, as it was received, to another URL; the path after the bin and the query are appended.</p>
      <form className="secret-form replay-form" onSubmit={onSubmit}>
        <input
          type="url"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          placeholder="https://example.com/webhooks"
          aria-label="Replay to URL"
          list={listId}
          autoComplete="off"
          spellCheck={false}
          data-testid="replay-url"
        />
        <datalist id={listId}>
          {targets.map((target) => (
            <option key={target} value={target} />
          ))}
        </datalist>
        <button type="submit" className="button primary" disabled={busy || url.trim() === ''} data-testid="replay-send">
          {busy ? 'Replaying…' : 'Replay'}
        </button>
      </form>
      <ErrorMessage error={replay.error} testId="replay-error" />
      {answer && body && (
        <div className="replay-answer" data-testid="replay-answer">
          <p>
            <AnswerBadge status={answer.status} testId="replay-status" /> <span className="muted">in {Math.round(answer.ms)} ms</span>
          </p>
          {answer.headers.length > 0 && <KeyValueTable rows={answer.headers} testId="replay-headers" />}
          {answer.body.truncated && (
            <p className="notice warning" data-testid="replay-truncated">
              truncated: only the first {formatSize(body.bytes)} of the answer were kept.
            </p>
          )}
          {body.bytes === 0 ? (
            <p className="muted" data-testid="replay-body-empty">
              No body.
            </p>
          ) : body.text === null ? (
            <p className="muted" data-testid="replay-body-binary">
              {body.bytes} bytes (binary)
            </p>
          ) : (
            <pre className="body mono" data-testid="replay-body">
              <Visible text={body.text} />
            </pre>
          )}
        </div>
      )}
    </section>
  );
}
