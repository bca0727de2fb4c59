/**
 * The URLs a person replayed a bin's requests to, newest first, kept in this browser's localStorage (one list per
 * bin) so that the Replay field offers them again. Storage that is full, disabled or holds something else is treated
 * as empty: remembering is a convenience, never an error.
 */

/** How many targets are remembered per bin. */
export const MAX_REPLAY_TARGETS = 5;

function storageKey(binId: string): string {
  return `hooklens.replay-targets.${binId}`;
}

/** The remembered targets of a bin, newest first; [] when none or unreadable. */
export function replayTargets(binId: string): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey(binId)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((url): url is string => typeof url === 'string').slice(0, MAX_REPLAY_TARGETS) : [];
  } catch {
    return [];
  }
}

/** Puts `url` first in the bin's targets (once), keeps the newest few, and answers the list as it now is. */
export function rememberReplayTarget(binId: string, url: string): string[] {
  const targets = [url, ...replayTargets(binId).filter((known) => known !== url)].slice(0, MAX_REPLAY_TARGETS);
  try {
    localStorage.setItem(storageKey(binId), JSON.stringify(targets));
  } catch {
    // Full or disabled storage: the list lasts as long as the page.
  }
  return targets;
}
