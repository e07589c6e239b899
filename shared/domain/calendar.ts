import { type FieldIssue, ValidationError } from './errors.ts';
import { type Calendar, WEEKDAYS, type Weekday, type WorkingSpan } from './service-levels.ts';

/**
 * Business-time arithmetic on a {@link Calendar}: how much working time lies between two instants,
 * and when a given amount of working time has passed. Pure (zone offsets and compiled calendars
 * are memoized): the only outside knowledge is the IANA time-zone database that Node's Intl carries.
 *
 * Working time is every instant whose local wall-clock time in the calendar's zone falls in a
 * span of its local weekday, on a local date that is no holiday. So a 09:00–17:00 day is 8 h on a
 * DST day too; a span across the night-time shift is an hour shorter (the skipped hour is not
 * worked) or longer (the repeated hour is worked twice); and 24×7 is wall time in any zone.
 *
 * Long ranges cost little: the arithmetic walks local days, and jumps over whole weeks that hold
 * neither a holiday nor an offset change (each such week is worth exactly the nominal weekly time).
 */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Minutes in a local day: `'24:00'`. */
const END_OF_DAY = 24 * 60;

// ---- the zone: UTC offsets from the IANA database -------------------------------------------

/** One UTC year of a zone: its offset at the year's start and every offset change within it. */
interface ZoneYear {
  start: number;
  end: number;
  initial: number;
  changes: { at: number; offset: number }[];
}

/**
 * A zone's offsets, learned a UTC year at a time from Intl and kept: a year is sampled daily and
 * each change found is narrowed to its second. This relies on what holds for every zone in the
 * database today: an offset changes at most once within a few days, and a fall-back that crosses
 * midnight does so at midnight (so local dates follow one another in time).
 */
class ZoneRules {
  private readonly format: Intl.DateTimeFormat;
  private readonly years = new Map<number, ZoneYear>();
  private recent?: ZoneYear;

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  }

  /** Local time minus UTC, in ms, at an instant. */
  offsetAt(instant: number): number {
    const year = this.yearOf(instant);
    let offset = year.initial;
    for (const change of year.changes) {
      if (change.at > instant) break;
      offset = change.offset;
    }
    return offset;
  }

  /** The first offset change in `(after, until]`, if any. */
  firstChangeIn(after: number, until: number): number | undefined {
    for (let year = this.yearOf(after); year.start <= until; year = this.yearOf(year.end)) {
      const change = year.changes.find((candidate) => candidate.at > after && candidate.at <= until);
      if (change) return change.at;
    }
    return undefined;
  }

  private yearOf(instant: number): ZoneYear {
    const recent = this.recent;
    if (recent && instant >= recent.start && instant < recent.end) return recent;
    const utcYear = new Date(instant).getUTCFullYear();
    let year = this.years.get(utcYear);
    if (!year) {
      year = this.learnYear(utcYear);
      this.years.set(utcYear, year);
    }
    this.recent = year;
    return year;
  }

  private learnYear(utcYear: number): ZoneYear {
    const start = Date.UTC(utcYear, 0, 1);
    const end = Date.UTC(utcYear + 1, 0, 1);
    const initial = this.offsetFromIntl(start);
    const changes: ZoneYear['changes'] = [];
    let previous = initial;
    for (let from = start; from < end; from += DAY) {
      const to = Math.min(from + DAY, end);
      const offset = this.offsetFromIntl(to);
      if (offset === previous) continue;
      const at = this.firstSecondWithout(previous, from, to);
      // A change at the very end of the year belongs to the next year's initial offset.
      if (at < end) changes.push({ at, offset });
      previous = offset;
    }
    return { start, end, initial, changes };
  }

  /** Bisects `(from, to]` for the first second whose offset is no longer `offset`. */
  private firstSecondWithout(offset: number, from: number, to: number): number {
    let low = from;
    let high = to;
    while (high - low > SECOND) {
      const middle = low + Math.floor((high - low) / (2 * SECOND)) * SECOND;
      if (this.offsetFromIntl(middle) === offset) low = middle;
      else high = middle;
    }
    return high;
  }

  private offsetFromIntl(instant: number): number {
    // `longOffset` renders `GMT+05:30`, `GMT-04:56:02` (historic local mean time) or plain `GMT`.
    const match = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(this.format.format(instant));
    if (!match) throw new Error(`Unexpected offset rendering for ${this.timeZone}.`);
    const [, sign, hours = '0', minutes = '0', seconds = '0'] = match;
    const magnitude = ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * SECOND;
    return sign === '-' ? -magnitude : magnitude;
  }
}

const zones = new Map<string, ZoneRules>();

const zoneRules = (timeZone: string): ZoneRules => {
  let rules = zones.get(timeZone);
  if (!rules) {
    rules = new ZoneRules(timeZone);
    zones.set(timeZone, rules);
  }
  return rules;
};

/** Local days are numbered like UTC days: day 0 is 1970-01-01, a Thursday. */
const localDayOf = (zone: ZoneRules, instant: number): number =>
  Math.floor((instant + zone.offsetAt(instant)) / DAY);

/** 0 = Monday … 6 = Sunday, the order of `WEEKDAYS`. */
const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7;

// ---- compiled calendars ---------------------------------------------------------------------

type MinuteSpan = readonly [start: number, end: number];

interface CompiledCalendar {
  zone: ZoneRules;
  /** Working spans in minutes of the local day, sorted and merged, indexed by `weekdayOf`. */
  week: MinuteSpan[][];
  /** Holiday local day numbers, ascending. */
  holidays: number[];
  holidaySet: Set<number>;
  /** Working time of a week without holidays or offset changes. */
  weekly: number;
  /** Every instant is working time: business time is wall time. */
  alwaysOn: boolean;
}

const TIME = /^(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes since local midnight of `HH:MM` (`24:00` = 1440), or undefined when malformed. */
const minutesOf = (time: string): number | undefined => {
  const match = TIME.exec(time);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) return undefined;
  return hours * 60 + minutes;
};

/** The local day number of `YYYY-MM-DD`, or undefined when it is not a real date. */
const dayOfDate = (date: string): number | undefined => {
  const match = DATE.exec(date);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = new Date(Date.UTC(year, month - 1, day));
  const real = utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day;
  return real ? utc.getTime() / DAY : undefined;
};

const isTimeZone = (timeZone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
};

const compileDay = (field: string, spans: readonly WorkingSpan[], issues: FieldIssue[]): MinuteSpan[] => {
  const parsed: MinuteSpan[] = [];
  spans.forEach(([start, end], index) => {
    const from = minutesOf(start);
    const to = minutesOf(end);
    if (from === undefined || to === undefined || from >= to || from === END_OF_DAY) {
      issues.push({
        field: `${field}[${index}]`,
        message: `'${start}'–'${end}' is not a working span: HH:MM start before HH:MM end, '24:00' only as an end.`,
      });
    } else {
      parsed.push([from, to]);
    }
  });
  parsed.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of parsed) {
    const last = merged.at(-1);
    if (last && from < last[1]) {
      issues.push({ field, message: 'Working spans overlap.' });
    } else if (last && from === last[1]) {
      // Touching spans (09:00–12:00, 12:00–17:00) are one stretch of work.
      last[1] = to;
    } else {
      merged.push([from, to]);
    }
  }
  return merged;
};

const compile = (calendar: Calendar): CompiledCalendar => {
  const issues: FieldIssue[] = [];
  if (typeof calendar.timeZone !== 'string' || !isTimeZone(calendar.timeZone)) {
    issues.push({ field: 'calendar.timeZone', message: `'${calendar.timeZone}' is not an IANA time zone.` });
  }
  for (const key of Object.keys(calendar.weekly)) {
    if (!(WEEKDAYS as readonly string[]).includes(key)) {
      issues.push({
        field: `calendar.weekly.${key}`,
        message: `Not a weekday; use one of ${WEEKDAYS.join(', ')}.`,
      });
    }
  }
  const week = WEEKDAYS.map((weekday: Weekday) =>
    compileDay(`calendar.weekly.${weekday}`, calendar.weekly[weekday] ?? [], issues),
  );
  const weekly = week.flat().reduce((sum, [from, to]) => sum + (to - from) * MINUTE, 0);
  if (weekly === 0 && issues.length === 0) {
    issues.push({ field: 'calendar.weekly', message: 'A calendar needs some working time in its week.' });
  }
  const holidays: number[] = [];
  calendar.holidays.forEach((date, index) => {
    const day = dayOfDate(date);
    if (day === undefined) {
      issues.push({ field: `calendar.holidays[${index}]`, message: `'${date}' is not a YYYY-MM-DD date.` });
    } else {
      holidays.push(day);
    }
  });
  if (issues.length > 0) {
    throw new ValidationError(
      issues,
      `Invalid calendar '${calendar.id}': ${issues.map((issue) => `${issue.field}: ${issue.message}`).join(' ')}`,
    );
  }
  const holidaySet = new Set(holidays);
  return {
    zone: zoneRules(calendar.timeZone),
    week,
    holidays: [...holidaySet].sort((a, b) => a - b),
    holidaySet,
    weekly,
    alwaysOn:
      holidaySet.size === 0 &&
      week.every((spans) => spans.length === 1 && spans[0]?.[0] === 0 && spans[0][1] === END_OF_DAY),
  };
};

/** Calendars are values: compiled once per object, so they must not be mutated once used. */
const compiled = new WeakMap<Calendar, CompiledCalendar>();

const compiledOf = (calendar: Calendar): CompiledCalendar => {
  let result = compiled.get(calendar);
  if (!result) {
    result = compile(calendar);
    compiled.set(calendar, result);
  }
  return result;
};

/**
 * The working intervals `[start, end)` of a local day, as instants in time order: every instant
 * whose local time falls in one of the day's spans. Without an offset change that is each span
 * shifted by the offset; on a change day each span is cut at the change, the part before it
 * shifted by the old offset and the part after by the new one, so a spring-forward gap is not
 * worked and a fall-back hour that repeats is worked twice.
 */
const intervalsOf = (calendar: CompiledCalendar, day: number): [number, number][] => {
  if (calendar.holidaySet.has(day)) return [];
  const { zone } = calendar;
  const wall = day * DAY;
  // Offsets stay within ±16 h, so this window holds every instant whose local date is `day`.
  const change = zone.firstChangeIn(wall - 16 * HOUR, wall + DAY + 16 * HOUR);
  const intervals: [number, number][] = [];
  const add = (start: number, end: number) => {
    if (end > start) intervals.push([start, end]);
  };
  for (const [from, to] of calendar.week[weekdayOf(day)] ?? []) {
    const start = wall + from * MINUTE;
    const end = wall + to * MINUTE;
    if (change === undefined) {
      const offset = zone.offsetAt(wall);
      add(start - offset, end - offset);
    } else {
      const before = zone.offsetAt(change - 1);
      const after = zone.offsetAt(change);
      add(start - before, Math.min(end - before, change));
      add(Math.max(start - after, change), end - after);
    }
  }
  return intervals.sort((a, b) => a[0] - b[0]);
};

/**
 * How many whole weeks from local day `day` on (at most `limit`) are regular: no holiday and no
 * offset change within them, so each holds exactly the nominal weekly working time. Any seven
 * consecutive days hold each weekday once, so the weeks need not start on a Monday.
 */
const regularWeeksFrom = (calendar: CompiledCalendar, day: number, limit: number): number => {
  if (limit < 1) return 0;
  let weeks = limit;
  const holiday = calendar.holidays.find((candidate) => candidate >= day);
  if (holiday !== undefined) weeks = Math.min(weeks, Math.floor((holiday - day) / 7));
  if (weeks < 1) return 0;
  // Local days map to instants within a day of their UTC namesakes; two days of margin are plenty.
  const change = calendar.zone.firstChangeIn((day - 2) * DAY, (day + 7 * weeks + 2) * DAY);
  if (change !== undefined) weeks = Math.min(weeks, Math.floor((Math.floor(change / DAY) - 2 - day) / 7));
  return Math.max(0, weeks);
};

const instantOf = (date: Date, name: string): number => {
  const instant = date.getTime();
  if (Number.isNaN(instant)) throw new RangeError(`${name} is not a valid date.`);
  return instant;
};

// ---- the API --------------------------------------------------------------------------------

/** Checks a calendar: IANA zone, well-formed non-overlapping spans, real holiday dates, some work. */
export const validateCalendar = (calendar: Calendar): void => {
  compile(calendar);
};

/** Milliseconds of working time in `[from, to)`; 0 when `to` is not after `from`. */
export const businessTimeBetween = (calendar: Calendar, from: Date, to: Date): number => {
  const compiledCalendar = compiledOf(calendar);
  const start = instantOf(from, 'from');
  const end = instantOf(to, 'to');
  if (end <= start) return 0;
  if (compiledCalendar.alwaysOn) return end - start;
  const { zone } = compiledCalendar;
  const firstDay = localDayOf(zone, start);
  const lastDay = localDayOf(zone, end);
  let total = 0;
  for (let day = firstDay; day <= lastDay; day++) {
    // Days after the first start after `from`; whole weeks before `to`'s day end before `to`.
    const weeks =
      day > firstDay ? regularWeeksFrom(compiledCalendar, day, Math.floor((lastDay - day) / 7)) : 0;
    if (weeks > 0) {
      total += weeks * compiledCalendar.weekly;
      day += 7 * weeks - 1;
      continue;
    }
    for (const [intervalStart, intervalEnd] of intervalsOf(compiledCalendar, day)) {
      total += Math.max(0, Math.min(intervalEnd, end) - Math.max(intervalStart, start));
    }
  }
  return total;
};

/**
 * The earliest instant by which `ms` of working time has passed since `start`. Adding 0 returns
 * `start` itself, even outside working hours; otherwise the result lies in working time or at the
 * end of a working span (8 h from Monday 09:00 is Monday 17:00, not Tuesday 09:00).
 */
export const addBusinessTime = (calendar: Calendar, start: Date, ms: number): Date => {
  const compiledCalendar = compiledOf(calendar);
  const from = instantOf(start, 'start');
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Cannot add ${ms} ms of business time.`);
  if (ms === 0 || compiledCalendar.alwaysOn) return new Date(from + ms);
  const firstDay = localDayOf(compiledCalendar.zone, from);
  let remaining = ms;
  // Validation guarantees weekly working time, and holidays are finite: the loop ends.
  for (let day = firstDay; ; day++) {
    // Skip whole weeks only while more than their time remains, so the end lies beyond them.
    const limit = Math.ceil(remaining / compiledCalendar.weekly) - 1;
    const weeks = day > firstDay ? regularWeeksFrom(compiledCalendar, day, limit) : 0;
    if (weeks > 0) {
      remaining -= weeks * compiledCalendar.weekly;
      day += 7 * weeks - 1;
      continue;
    }
    for (const [intervalStart, intervalEnd] of intervalsOf(compiledCalendar, day)) {
      const begin = Math.max(intervalStart, from);
      if (intervalEnd <= begin) continue;
      if (remaining <= intervalEnd - begin) return new Date(begin + remaining);
      remaining -= intervalEnd - begin;
    }
  }
};

/** Whether an instant is working time: a business-time clock that runs is counting then. */
export const isWorkingTime = (calendar: Calendar, at: Date): boolean =>
  businessTimeBetween(calendar, at, new Date(at.getTime() + 1)) > 0;

const ALL_DAY: readonly WorkingSpan[] = [['00:00', '24:00']];

/** A round-the-clock calendar: business time is wall time, whatever the zone. */
export const calendar24x7 = (id = '24x7', name = 'Around the clock', timeZone = 'UTC'): Calendar => ({
  id,
  name,
  timeZone,
  weekly: Object.fromEntries(WEEKDAYS.map((weekday) => [weekday, ALL_DAY])),
  holidays: [],
});

export const CALENDAR_24X7: Calendar = calendar24x7();
