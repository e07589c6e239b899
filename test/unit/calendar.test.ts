import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_BUSINESS_HOURS, DEMO_CALENDARS } from '#infra/local/demo/service-levels';
import {
  addBusinessTime,
  businessTimeBetween,
  CALENDAR_24X7,
  calendar24x7,
  validateCalendar,
} from '#shared/domain/calendar';
import { ValidationError } from '#shared/domain/errors';
import { type Calendar, WEEKDAYS, type WorkingSpan } from '#shared/domain/service-levels';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Times are written as local times with their offset, e.g. `2026-03-27T15:00+01:00`. */
const t = (time: string): Date => new Date(time);
const hours = (ms: number): number => ms / HOUR;

const calendar = (
  id: string,
  timeZone: string,
  weekly: Calendar['weekly'],
  holidays: readonly string[] = [],
): Calendar => ({ id, name: id, timeZone, weekly, holidays });

const weekdays = (spans: readonly WorkingSpan[]): Calendar['weekly'] => ({
  mon: spans,
  tue: spans,
  wed: spans,
  thu: spans,
  fri: spans,
});

const everyDay = (spans: readonly WorkingSpan[]): Calendar['weekly'] =>
  Object.fromEntries(WEEKDAYS.map((day) => [day, spans]));

const officeBerlin = calendar('office-berlin', 'Europe/Berlin', weekdays([['09:00', '17:00']]));
const officeNewYork = calendar('office-new-york', 'America/New_York', weekdays([['09:00', '17:00']]));
const lunchBerlin = calendar(
  'lunch-berlin',
  'Europe/Berlin',
  weekdays([
    ['08:00', '12:00'],
    ['13:00', '17:00'],
  ]),
);
const nightShiftBerlin = calendar(
  'night-shift-berlin',
  'Europe/Berlin',
  everyDay([
    ['00:00', '06:00'],
    ['22:00', '24:00'],
  ]),
);
/** Sunday spans inside the hours that DST skips or repeats, to pin down what those mean. */
const dstHoursBerlin = calendar('dst-hours-berlin', 'Europe/Berlin', {
  ...weekdays([['09:00', '17:00']]),
  sun: [
    ['01:30', '02:15'],
    ['02:20', '02:50'],
    ['03:00', '04:00'],
  ],
});
/** Lord Howe Island shifts by half an hour. */
const weekendsLordHowe = calendar('weekends-lord-howe', 'Australia/Lord_Howe', {
  sat: [['00:00', '24:00']],
  sun: [['01:00', '03:00']],
});
const roundTheClockNewYork = calendar24x7('24x7-ny', 'Around the clock, New York', 'America/New_York');

const CALENDARS = [
  officeBerlin,
  officeNewYork,
  lunchBerlin,
  nightShiftBerlin,
  dstHoursBerlin,
  weekendsLordHowe,
  DEMO_BUSINESS_HOURS,
  roundTheClockNewYork,
];

/** The DST changes of 2026 in the zones above, where the arithmetic is most likely to slip. */
const TRANSITIONS = [
  '2026-03-08T07:00Z', // New York, spring forward
  '2026-03-29T01:00Z', // Berlin, spring forward
  '2026-04-04T15:00Z', // Lord Howe, fall back half an hour
  '2026-10-03T15:30Z', // Lord Howe, spring forward half an hour
  '2026-10-25T01:00Z', // Berlin, fall back
  '2026-11-01T06:00Z', // New York, fall back
].map((time) => Date.parse(time));

const FROM = Date.UTC(2025, 9, 1);
const UNTIL = Date.UTC(2027, 11, 31);

/** An instant in 2025–2027, often within days of a DST change. */
const anInstant = fc.oneof(
  fc.integer({ min: FROM, max: UNTIL }),
  fc
    .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -3 * DAY, max: 3 * DAY }))
    .map(([transition, offset]) => transition + offset),
);
const aMinute = anInstant.map((instant) => Math.floor(instant / MINUTE) * MINUTE);
const aCalendar = fc.constantFrom(...CALENDARS);

/**
 * The definition, checked minute by minute with Intl alone: a minute is working time when its
 * local time falls in a span of its local weekday, on a local date that is no holiday.
 */
const workingMinutes = (cal: Calendar, from: number, to: number): number => {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: cal.timeZone,
    hourCycle: 'h23',
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  const toMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
  let count = 0;
  for (let minute = from; minute < to; minute += MINUTE) {
    const parts = Object.fromEntries(format.formatToParts(minute).map((part) => [part.type, part.value]));
    const weekday = (parts.weekday ?? '').toLowerCase() as (typeof WEEKDAYS)[number];
    const date = `${parts.year}-${parts.month}-${parts.day}`;
    const now = Number(parts.hour) * 60 + Number(parts.minute);
    const spans = cal.weekly[weekday] ?? [];
    if (!cal.holidays.includes(date) && spans.some(([s, e]) => toMinutes(s) <= now && now < toMinutes(e)))
      count++;
  }
  return count * MINUTE;
};

describe('Function: businessTimeBetween', () => {
  it('counts only Friday afternoon and Monday morning across a weekend', () => {
    expect(
      hours(businessTimeBetween(officeBerlin, t('2026-03-20T15:00+01:00'), t('2026-03-23T10:00+01:00'))),
    ).toBe(3);
  });

  it('is zero outside working hours, and for an empty or reversed range', () => {
    expect(businessTimeBetween(officeBerlin, t('2026-03-21T00:00+01:00'), t('2026-03-23T09:00+01:00'))).toBe(
      0,
    );
    expect(businessTimeBetween(officeBerlin, t('2026-03-23T10:00+01:00'), t('2026-03-23T10:00+01:00'))).toBe(
      0,
    );
    expect(businessTimeBetween(officeBerlin, t('2026-03-23T12:00+01:00'), t('2026-03-23T10:00+01:00'))).toBe(
      0,
    );
  });

  it('leaves out the lunch break', () => {
    expect(
      hours(businessTimeBetween(lunchBerlin, t('2026-03-23T11:00+01:00'), t('2026-03-23T14:00+01:00'))),
    ).toBe(2);
  });

  it.each([
    ['Berlin spring-forward', officeBerlin, '2026-03-23T00:00+01:00', '2026-03-30T00:00+02:00', 167],
    ['Berlin fall-back', officeBerlin, '2026-10-19T00:00+02:00', '2026-10-26T00:00+01:00', 169],
    ['New York spring-forward', officeNewYork, '2026-03-02T00:00-05:00', '2026-03-09T00:00-04:00', 167],
    ['New York fall-back', officeNewYork, '2026-10-26T00:00-04:00', '2026-11-02T00:00-05:00', 169],
  ])('gives the %s week its 40 working hours', (_week, cal, from, to, wallHours) => {
    expect(hours(t(to).getTime() - t(from).getTime())).toBe(wallHours);
    expect(hours(businessTimeBetween(cal, t(from), t(to)))).toBe(40);
  });

  it.each([
    ['Berlin', officeBerlin, '2026-03-27T16:00+01:00', '2026-03-30T10:00+02:00'],
    ['New York', officeNewYork, '2026-03-06T16:00-05:00', '2026-03-09T10:00-04:00'],
    ['Berlin', officeBerlin, '2026-10-23T16:00+02:00', '2026-10-26T10:00+01:00'],
    ['New York', officeNewYork, '2026-10-30T16:00-04:00', '2026-11-02T10:00-05:00'],
  ])('keeps 09:00–17:00 local across a %s DST weekend', (_zone, cal, from, to) => {
    expect(hours(businessTimeBetween(cal, t(from), t(to)))).toBe(2);
  });

  it('shortens a night shift by the skipped hour and lengthens it by the repeated one', () => {
    expect(
      hours(businessTimeBetween(nightShiftBerlin, t('2026-03-28T22:00+01:00'), t('2026-03-29T06:00+02:00'))),
    ).toBe(7);
    expect(
      hours(businessTimeBetween(nightShiftBerlin, t('2026-10-24T22:00+02:00'), t('2026-10-25T06:00+01:00'))),
    ).toBe(9);
  });

  it('does not work the local times a spring-forward skips, and works a repeated time twice', () => {
    const sunday = (day: string, offset: string) =>
      businessTimeBetween(dstHoursBerlin, t(`${day}T00:00${offset}`), t(`${day}T06:00${offset}`)) / MINUTE;
    // 45 + 30 + 60 minutes on an ordinary Sunday.
    expect(sunday('2026-03-22', '+01:00')).toBe(135);
    // 01:30–02:00 only (02:00–03:00 does not exist), nothing of 02:20–02:50, then 03:00–04:00.
    expect(sunday('2026-03-29', '+01:00')).toBe(90);
    // 02:00–03:00 happens twice: 01:30–02:15 gains 15 minutes, 02:20–02:50 gains 30.
    expect(sunday('2026-10-25', '+02:00')).toBe(180);
  });

  it('is wall time on a 24×7 calendar, DST days included', () => {
    expect(
      hours(
        businessTimeBetween(roundTheClockNewYork, t('2026-03-08T00:00-05:00'), t('2026-03-09T00:00-04:00')),
      ),
    ).toBe(23);
    expect(hours(businessTimeBetween(CALENDAR_24X7, t('2026-01-01T00:00Z'), t('2027-01-01T00:00Z')))).toBe(
      365 * 24,
    );
  });

  it('skips holidays: Good Friday and Easter Monday', () => {
    expect(
      hours(
        businessTimeBetween(DEMO_BUSINESS_HOURS, t('2026-04-02T09:00+02:00'), t('2026-04-07T09:00+02:00')),
      ),
    ).toBe(8);
  });

  it('sums a whole year of business hours: weekdays less the weekday holidays', () => {
    // 2026 has 261 weekdays; 7 of the calendar's holidays fall on one.
    expect(
      hours(
        businessTimeBetween(DEMO_BUSINESS_HOURS, t('2026-01-01T00:00+01:00'), t('2027-01-01T00:00+01:00')),
      ),
    ).toBe((261 - 7) * 8);
  });

  it('refuses an invalid date', () => {
    expect(() =>
      businessTimeBetween(officeBerlin, new Date('not a date'), t('2026-03-23T10:00+01:00')),
    ).toThrow(RangeError);
  });

  it('agrees, minute by minute, with the definition of working time', () => {
    fc.assert(
      fc.property(aCalendar, aMinute, fc.integer({ min: 0, max: 36 * 60 }), (cal, from, minutes) => {
        const to = from + minutes * MINUTE;
        expect(businessTimeBetween(cal, new Date(from), new Date(to))).toBe(workingMinutes(cal, from, to));
      }),
      { numRuns: 60 },
    );
  });

  it('is additive: [a, b) and [b, c) make [a, c)', () => {
    fc.assert(
      fc.property(aCalendar, anInstant, anInstant, anInstant, (cal, ...instants) => {
        const [a, b, c] = instants.sort((x, y) => x - y).map((instant) => new Date(instant)) as [
          Date,
          Date,
          Date,
        ];
        expect(businessTimeBetween(cal, a, b) + businessTimeBetween(cal, b, c)).toBe(
          businessTimeBetween(cal, a, c),
        );
      }),
    );
  });

  it('over a long range equals the sum of its days (whole weeks skipped lose nothing)', () => {
    fc.assert(
      fc.property(aCalendar, anInstant, fc.integer({ min: 1, max: 400 }), (cal, from, days) => {
        let daily = 0;
        for (let day = 0; day < days; day++) {
          daily += businessTimeBetween(cal, new Date(from + day * DAY), new Date(from + (day + 1) * DAY));
        }
        expect(businessTimeBetween(cal, new Date(from), new Date(from + days * DAY))).toBe(daily);
      }),
      { numRuns: 30 },
    );
  });

  it('grows with the range and never exceeds wall time', () => {
    fc.assert(
      fc.property(aCalendar, anInstant, fc.nat(30 * DAY), fc.nat(30 * DAY), (cal, from, shorter, extra) => {
        const near = businessTimeBetween(cal, new Date(from), new Date(from + shorter));
        const far = businessTimeBetween(cal, new Date(from), new Date(from + shorter + extra));
        expect(near).toBeGreaterThanOrEqual(0);
        expect(near).toBeLessThanOrEqual(shorter);
        expect(far).toBeGreaterThanOrEqual(near);
      }),
    );
  });

  it('is wall time on 24×7 calendars in any zone', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'),
        anInstant,
        fc.nat(400 * DAY),
        (timeZone, from, length) => {
          const cal = calendar24x7('24x7', '24x7', timeZone);
          expect(businessTimeBetween(cal, new Date(from), new Date(from + length))).toBe(length);
          expect(addBusinessTime(cal, new Date(from), length).getTime()).toBe(from + length);
        },
      ),
    );
  });
});

describe('Function: addBusinessTime', () => {
  it('returns the start itself when adding nothing, even outside working hours', () => {
    const saturday = t('2026-03-21T12:00+01:00');
    expect(addBusinessTime(officeBerlin, saturday, 0)).toEqual(saturday);
  });

  it('ends a full working day at its close, not at the next opening', () => {
    expect(addBusinessTime(officeBerlin, t('2026-03-23T09:00+01:00'), 8 * HOUR)).toEqual(
      t('2026-03-23T17:00+01:00'),
    );
  });

  it('starts counting at the next opening when started outside working hours', () => {
    expect(addBusinessTime(officeBerlin, t('2026-03-21T12:00+01:00'), HOUR)).toEqual(
      t('2026-03-23T10:00+01:00'),
    );
  });

  it('carries a Friday afternoon over the spring-forward weekend', () => {
    expect(addBusinessTime(officeBerlin, t('2026-03-27T15:00+01:00'), 4 * HOUR)).toEqual(
      t('2026-03-30T11:00+02:00'),
    );
  });

  it('carries a Friday afternoon over the New York fall-back weekend', () => {
    expect(addBusinessTime(officeNewYork, t('2026-10-30T16:00-04:00'), 2 * HOUR)).toEqual(
      t('2026-11-02T10:00-05:00'),
    );
  });

  it('waits out the lunch break', () => {
    expect(addBusinessTime(lunchBerlin, t('2026-03-23T11:00+01:00'), 2 * HOUR)).toEqual(
      t('2026-03-23T14:00+01:00'),
    );
  });

  it('runs a 3-business-day OLA over Easter', () => {
    // Thursday 7 h, Good Friday and Easter Monday off, Tuesday 8 h, Wednesday 8 h, Thursday 1 h.
    expect(addBusinessTime(DEMO_BUSINESS_HOURS, t('2026-04-02T10:00+02:00'), 24 * HOUR)).toEqual(
      t('2026-04-09T10:00+02:00'),
    );
  });

  it("adds a year's business hours, ending on the last working afternoon of the year", () => {
    expect(addBusinessTime(DEMO_BUSINESS_HOURS, t('2026-01-01T00:00+01:00'), (261 - 7) * 8 * HOUR)).toEqual(
      t('2026-12-31T17:00+01:00'),
    );
  });

  it('refuses a negative or non-finite amount', () => {
    expect(() => addBusinessTime(officeBerlin, t('2026-03-23T09:00+01:00'), -1)).toThrow(RangeError);
    expect(() => addBusinessTime(officeBerlin, t('2026-03-23T09:00+01:00'), Number.NaN)).toThrow(RangeError);
  });

  it('is undone by businessTimeBetween, from any start', () => {
    fc.assert(
      fc.property(aCalendar, anInstant, fc.nat(2_000 * HOUR), (cal, from, ms) => {
        const end = addBusinessTime(cal, new Date(from), ms);
        expect(businessTimeBetween(cal, new Date(from), end)).toBe(ms);
      }),
    );
  });

  it('gives the earliest such instant', () => {
    fc.assert(
      fc.property(aCalendar, anInstant, fc.integer({ min: 1, max: 500 * HOUR }), (cal, from, ms) => {
        const end = addBusinessTime(cal, new Date(from), ms).getTime();
        expect(businessTimeBetween(cal, new Date(from), new Date(end - 1))).toBeLessThan(ms);
      }),
    );
  });

  it('is monotonic in the amount added', () => {
    fc.assert(
      fc.property(aCalendar, anInstant, fc.nat(500 * HOUR), fc.nat(500 * HOUR), (cal, from, a, b) => {
        const [less, more] = a <= b ? [a, b] : [b, a];
        expect(addBusinessTime(cal, new Date(from), less).getTime()).toBeLessThanOrEqual(
          addBusinessTime(cal, new Date(from), more).getTime(),
        );
      }),
    );
  });
});

describe('Function: validateCalendar', () => {
  it('accepts the demo calendars and the 24×7 calendar', () => {
    for (const cal of [...DEMO_CALENDARS, CALENDAR_24X7, ...CALENDARS])
      expect(() => validateCalendar(cal)).not.toThrow();
  });

  it('treats touching spans as one stretch of work', () => {
    const split = calendar(
      'split',
      'Europe/Berlin',
      weekdays([
        ['09:00', '12:00'],
        ['12:00', '17:00'],
      ]),
    );
    expect(businessTimeBetween(split, t('2026-03-23T00:00+01:00'), t('2026-03-24T00:00+01:00'))).toBe(
      8 * HOUR,
    );
  });

  it.each([
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'calendar.timeZone'],
    ['a malformed time', { weekly: { mon: [['9:00', '17:00']] } }, 'calendar.weekly.mon[0]'],
    [
      'a span that ends before it starts',
      { weekly: { tue: [['17:00', '09:00']] } },
      'calendar.weekly.tue[0]',
    ],
    ['24:00 as a start', { weekly: { wed: [['24:00', '24:00']] } }, 'calendar.weekly.wed[0]'],
    ['a time past 24:00', { weekly: { thu: [['09:00', '24:30']] } }, 'calendar.weekly.thu[0]'],
    [
      'overlapping spans',
      {
        weekly: {
          fri: [
            ['09:00', '13:00'],
            ['12:00', '17:00'],
          ],
        },
      },
      'calendar.weekly.fri',
    ],
    [
      'an unknown weekday',
      { weekly: { mon: [['09:00', '17:00']], funday: [['09:00', '17:00']] } },
      'calendar.weekly.funday',
    ],
    ['a week without working time', { weekly: {} }, 'calendar.weekly'],
    ['a holiday that is no date', { holidays: ['2026-02-30'] }, 'calendar.holidays[0]'],
  ])('refuses %s, naming the field', (_case, change, field) => {
    const invalid = { ...officeBerlin, id: 'broken', ...change } as Calendar;
    try {
      validateCalendar(invalid);
      expect.unreachable('the calendar should have been refused');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.field)).toContain(field);
      expect((error as ValidationError).message).toMatch(/^Invalid calendar 'broken': /);
    }
  });

  it('refuses a calendar used in arithmetic the same way', () => {
    const invalid = { ...officeBerlin, timeZone: 'Nowhere/Special' };
    expect(() =>
      businessTimeBetween(invalid, t('2026-03-23T09:00+01:00'), t('2026-03-23T10:00+01:00')),
    ).toThrow(ValidationError);
  });
});
