import { useEffect, useRef } from 'preact/hooks';
import { Field, fieldId, GroupError, TextField } from './form-kit.tsx';
import { defineKind, type FormProps } from './kind-spec.ts';
import { type Calendar, WEEKDAYS, type Weekday } from './types.ts';

/** Calendars: a zone, working spans per weekday and the holidays — or round the clock. */

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

interface HolidayRow {
  key: number;
  date: string;
  name: string;
}

export interface CalendarDraft {
  id: string;
  name: string;
  timeZone: string;
  alwaysOpen: boolean;
  /** Each day's spans as typed: `09:00-12:00, 13:00-17:00`; empty when closed. */
  weekly: Record<Weekday, string>;
  holidays: HolidayRow[];
}

/** `09:00 - 12:00, 13:00-17:00` → `['09:00-12:00', '13:00-17:00']`. */
const spansOf = (text: string): string[] =>
  text
    .split(/[,;]+/)
    .map((span) => span.replace(/\s+/g, ''))
    .filter(Boolean);

let rowKey = 0;
const holidayRow = (date = '', name = ''): HolidayRow => ({ key: ++rowKey, date, name });

/** `Mon–Fri 09:00-17:00`: runs of days with the same spans. */
const weeklySummary = (calendar: Calendar): string => {
  if (calendar.alwaysOpen) return '24×7';
  const spans = WEEKDAYS.map((day) => (calendar.weekly?.[day] ?? []).join(', '));
  const runs: string[] = [];
  for (let start = 0; start < WEEKDAYS.length; ) {
    let end = start;
    while (end + 1 < WEEKDAYS.length && spans[end + 1] === spans[start]) end++;
    if (spans[start]) {
      const first = DAY_NAMES[WEEKDAYS[start] as Weekday].slice(0, 3);
      const last = DAY_NAMES[WEEKDAYS[end] as Weekday].slice(0, 3);
      runs.push(`${start === end ? first : `${first}–${last}`} ${spans[start]}`);
    }
    start = end + 1;
  }
  return runs.join('; ') || 'no working hours';
};

const zones = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
})();

/** The time zones the browser knows, for the time-zone inputs' suggestions. */
export const TimeZoneOptions = ({ id }: { id: string }) => (
  <datalist id={id}>
    {zones.map((zone) => (
      <option key={zone} value={zone} />
    ))}
  </datalist>
);

const CalendarForm = ({ form, draft, set, isNew, problem }: FormProps<CalendarDraft>) => {
  const added = useRef(false);
  const lastDate = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (added.current) lastDate.current?.focus();
    added.current = false;
  }, [draft.holidays.length]);
  const setDay = (day: Weekday, text: string) => set({ ...draft, weekly: { ...draft.weekly, [day]: text } });
  const setHoliday = (index: number, patch: Partial<HolidayRow>) =>
    set({
      ...draft,
      holidays: draft.holidays.map((row, i) => (i === index ? { ...row, ...patch } : row)),
    });
  return (
    <>
      {isNew && (
        <TextField
          form={form}
          path="id"
          label="Id"
          hint="Lower-case letters, digits and dashes; policies, tiers and vendors name the calendar by it."
          problem={problem}
          value={draft.id}
          onValue={(value) => set({ ...draft, id: value })}
        />
      )}
      <TextField
        form={form}
        path="name"
        label="Name"
        problem={problem}
        value={draft.name}
        onValue={(value) => set({ ...draft, name: value })}
      />
      <Field
        form={form}
        path="timeZone"
        label="Time zone"
        hint="An IANA time zone, such as Europe/Berlin: the working hours and holidays are its local time."
        problem={problem}
      >
        {(props) => (
          <input
            {...props}
            list={`${form}-zones`}
            autocomplete="off"
            value={draft.timeZone}
            onInput={(e) => set({ ...draft, timeZone: e.currentTarget.value })}
          />
        )}
      </Field>
      <TimeZoneOptions id={`${form}-zones`} />
      <div class="field check">
        <input
          id={fieldId(form, 'alwaysOpen')}
          type="checkbox"
          checked={draft.alwaysOpen}
          onChange={(e) => set({ ...draft, alwaysOpen: e.currentTarget.checked })}
        />
        <label for={fieldId(form, 'alwaysOpen')}>Open around the clock (24×7)</label>
        <p class="hint">Every hour counts as working time: no weekly hours, no holidays.</p>
      </div>
      {!draft.alwaysOpen && (
        <>
          <fieldset class="weekly">
            <legend>Weekly working hours</legend>
            <p class="hint" id={`${form}-weekly-hint`}>
              Spans in the calendar's time zone, 24-hour clock, such as <code>09:00-17:00</code>; several
              separated by commas (<code>08:00-12:00, 13:00-17:00</code>); <code>24:00</code> ends a day.
              Leave a day empty when the desk is closed.
            </p>
            <GroupError form={form} path="weekly" problem={problem} />
            <div class="weekly-days">
              {WEEKDAYS.map((day) => (
                <Field
                  key={day}
                  form={form}
                  path={`weekly.${day}`}
                  label={DAY_NAMES[day]}
                  problem={problem}
                  nested={(rest) => `span ${Number(rest.replace(/\D/g, '')) + 1}`}
                >
                  {(props) => (
                    <input
                      {...props}
                      aria-describedby={[`${form}-weekly-hint`, props['aria-describedby']]
                        .filter(Boolean)
                        .join(' ')}
                      placeholder="closed"
                      value={draft.weekly[day]}
                      onInput={(e) => setDay(day, e.currentTarget.value)}
                    />
                  )}
                </Field>
              ))}
            </div>
            <button
              type="button"
              onClick={() =>
                set({
                  ...draft,
                  weekly: {
                    ...draft.weekly,
                    tue: draft.weekly.mon,
                    wed: draft.weekly.mon,
                    thu: draft.weekly.mon,
                    fri: draft.weekly.mon,
                  },
                })
              }
            >
              Copy Monday to Tuesday–Friday
            </button>
          </fieldset>
          <fieldset class="holidays" id={`${form}-holidays`}>
            <legend>Holidays</legend>
            <p class="hint">
              Days the desk is closed all day, in the calendar's time zone. List the coming year's before the
              listed ones run out: a day that is not listed counts as a working day.
            </p>
            <GroupError form={form} path="holidays" problem={problem} />
            {draft.holidays.length === 0 && <p>No holidays listed.</p>}
            {draft.holidays.length > 0 && (
              <table class="responsive row-table holidays-table">
                <caption class="visually-hidden">The holidays of the calendar</caption>
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    <th scope="col">Name</th>
                    <th scope="col">
                      <span class="visually-hidden">Remove</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {draft.holidays.map((row, index) => (
                    <tr key={row.key} class="holiday-row">
                      <td data-label="Date">
                        <Field
                          form={form}
                          path={`holidays[${index}].date`}
                          label={<span class="visually-hidden">Date of holiday {index + 1}</span>}
                          problem={problem}
                        >
                          {(props) => (
                            <input
                              {...props}
                              ref={index === draft.holidays.length - 1 ? lastDate : undefined}
                              type="date"
                              value={row.date}
                              onInput={(e) => setHoliday(index, { date: e.currentTarget.value })}
                            />
                          )}
                        </Field>
                      </td>
                      <td data-label="Name">
                        <Field
                          form={form}
                          path={`holidays[${index}].name`}
                          label={<span class="visually-hidden">Name of holiday {index + 1}</span>}
                          problem={problem}
                        >
                          {(props) => (
                            <input
                              {...props}
                              value={row.name}
                              onInput={(e) => setHoliday(index, { name: e.currentTarget.value })}
                            />
                          )}
                        </Field>
                      </td>
                      <td class="row-action">
                        <button
                          type="button"
                          aria-label={`Remove holiday ${index + 1}${row.name ? ` (${row.name})` : ''}`}
                          onClick={() =>
                            set({ ...draft, holidays: draft.holidays.filter((_, i) => i !== index) })
                          }
                        >
                          Remove
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <div class="actions">
              <button
                type="button"
                onClick={() => {
                  added.current = true;
                  set({ ...draft, holidays: [...draft.holidays, holidayRow()] });
                }}
              >
                Add a holiday
              </button>
              <button
                type="button"
                onClick={() =>
                  set({
                    ...draft,
                    holidays: [...draft.holidays].sort((a, b) => a.date.localeCompare(b.date)),
                  })
                }
              >
                Sort by date
              </button>
            </div>
          </fieldset>
        </>
      )}
    </>
  );
};

export const CALENDARS = defineKind<Calendar, CalendarDraft>({
  kind: 'calendars',
  title: 'Calendars',
  one: 'calendar',
  intro:
    'Working hours and holidays: SLA and OLA targets and vendor contracts count business time on a calendar. A change reaches running tickets at their next wake.',
  labels: { id: 'Id', name: 'Name', timeZone: 'Time zone', weekly: 'Weekly hours', holidays: 'Holidays' },
  toDraft: (calendar) => ({
    id: calendar?.id ?? '',
    name: calendar?.name ?? '',
    timeZone: calendar?.timeZone ?? 'Europe/Berlin',
    alwaysOpen: calendar?.alwaysOpen ?? false,
    weekly: Object.fromEntries(
      WEEKDAYS.map((day) => [
        day,
        calendar
          ? (calendar.weekly?.[day] ?? []).join(', ')
          : ['sat', 'sun'].includes(day)
            ? ''
            : '09:00-17:00',
      ]),
    ) as Record<Weekday, string>,
    holidays: (calendar?.holidays ?? []).map((holiday) => holidayRow(holiday.date, holiday.name)),
  }),
  fromDraft: (draft) => {
    const base = { id: draft.id.trim(), name: draft.name.trim(), timeZone: draft.timeZone.trim() };
    if (draft.alwaysOpen) return { ...base, alwaysOpen: true, holidays: [] };
    const weekly = Object.fromEntries(
      WEEKDAYS.flatMap((day) => {
        const spans = spansOf(draft.weekly[day]);
        return spans.length > 0 ? [[day, spans]] : [];
      }),
    );
    return {
      ...base,
      weekly,
      holidays: draft.holidays.map((row) => ({ date: row.date, name: row.name.trim() })),
    };
  },
  idOf: (calendar) => calendar.id,
  draftId: (draft) => draft.id.trim(),
  idField: 'id',
  nameOf: (calendar) => calendar.name,
  columns: [
    { label: 'Time zone', cell: (calendar) => calendar.timeZone },
    { label: 'Hours', cell: weeklySummary },
    {
      label: 'Holidays',
      cell: (calendar) => {
        if (calendar.alwaysOpen) return '—';
        const last = calendar.holidays
          .map((holiday) => holiday.date)
          .sort()
          .at(-1);
        return last ? `${calendar.holidays.length}, until ${last}` : 'none';
      },
    },
  ],
  Form: CalendarForm,
  canDelete: true,
});
