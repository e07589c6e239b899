/**
 * Durations as the configuration document writes them (`45m`, `4h`, `1h30m`, `2d`; a day is 24 h),
 * apart from the document's schemas (desk.ts) so that reading a compiled configuration loads no
 * schema.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const DURATION_PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;

/** `1h30m` → 5,400,000 ms; undefined when the text is not a duration. */
export const parseDuration = (text: string): number | undefined => {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match || text.trim() === '') return undefined;
  const [, days = '0', hours = '0', minutes = '0'] = match;
  return Number(days) * DAY + Number(hours) * HOUR + Number(minutes) * MINUTE;
};

/** The canonical text of a duration: the largest units first (`90m` → `1h30m`, `48h` → `2d`). */
export const formatDuration = (ms: number): string => {
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.round((ms % HOUR) / MINUTE);
  const text = `${days ? `${days}d` : ''}${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}`;
  return text || '0m';
};
