/** Formatting of times for people: clock times for lists, relative phrases ("3 days ago") for JWT claims. */

const UNITS: [name: string, ms: number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** A duration in its largest whole unit, rounded: "2 hours", "1 minute", "0 seconds". Sign is ignored. */
export function formatDuration(ms: number): string {
  const size = Math.abs(ms);
  for (const [name, unitMs] of UNITS) {
    const count = Math.round(size / unitMs);
    if (count >= 1 && size >= unitMs * 0.95) return `${count} ${name}${count === 1 ? '' : 's'}`;
  }
  return '0 seconds';
}

/** "3 days ago" or "in 2 hours", relative to `now`. */
export function formatRelative(time: Date, now: Date): string {
  const delta = time.getTime() - now.getTime();
  return delta <= 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(delta)}`;
}

// Made once: toLocaleString with options builds a formatter on every call, which a scrolling list cannot afford.
const DAY = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const DAY_AND_YEAR = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const CLOCK = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A receive time for a list row, always with its date: "12 May 14:03:07", with the year when it is not `now`'s. */
export function formatListTime(time: Date, now: Date): string {
  const date = (time.getFullYear() === now.getFullYear() ? DAY : DAY_AND_YEAR).format(time);
  return `${date} ${CLOCK.format(time)}`;
}

/** The full local date and time with milliseconds, for a detail view. */
export function formatFull(time: Date): string {
  const ms = String(time.getMilliseconds()).padStart(3, '0');
  return `${time.toLocaleDateString()} ${time.toLocaleTimeString()} (.${ms}) · ${time.toISOString()}`;
}
