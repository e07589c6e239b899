/** How the console writes times and durations: the desk's people read these all day. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `2d 4h`, `3h 05m`, `12m`, `45s`: a duration at the precision that matters at its size. */
export const formatDuration = (ms: number): string => {
  const abs = Math.abs(ms);
  if (abs >= DAY) return `${Math.floor(abs / DAY)}d ${Math.floor((abs % DAY) / HOUR)}h`;
  if (abs >= HOUR)
    return `${Math.floor(abs / HOUR)}h ${String(Math.floor((abs % HOUR) / MINUTE)).padStart(2, '0')}m`;
  if (abs >= MINUTE) return `${Math.floor(abs / MINUTE)}m`;
  return `${Math.floor(abs / 1000)}s`;
};

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatDateTime = (iso: string | undefined): string =>
  iso ? dateTime.format(new Date(iso)) : '—';

/** `5m ago`, `in 2h 10m`, relative to the desk's clock. */
export const formatRelative = (iso: string, now: number): string => {
  const delta = Date.parse(iso) - now;
  return delta >= 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`;
};
