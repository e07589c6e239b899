import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { query } from '../../api/client.ts';
import type { ProblemError } from '../../api/problem.ts';
import { ErrorNotice, Loading, Page } from '../../ui/status.tsx';
import { ListFooter, statusLabel, TicketTable, useTicketList } from '../../ui/ticket-list.tsx';

/**
 * Finding tickets (`GET /tickets?view=all`): by number, requester, assignee, status (resolved
 * and closed too), tier, priority, tag and the date it was opened, newest first. The search is
 * the page's address, so it can be bookmarked; a number alone opens that ticket. Each supported
 * combination of fields is one index query on the API's side: it answers any other with a 400
 * naming the supported ones, shown beside the form.
 */

const STATUSES = ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed'] as const;
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
const TIERS = ['1', '2', '3', '4'] as const;
const FIELDS = [
  'number',
  'requester',
  'assignee',
  'status',
  'tier',
  'priority',
  'tag',
  'from',
  'to',
] as const;
type FieldName = (typeof FIELDS)[number];

/** A day typed in the form, as the instant the API compares with: its start, or (`to`) its end, in local time. */
const instantOf = (day: string | undefined, end: boolean): string | undefined => {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return day || undefined;
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const at = end ? new Date(year, month - 1, date, 23, 59, 59, 999) : new Date(year, month - 1, date);
  return at.toISOString();
};

/** The API's refusal beside the form: what it said and the fields it named (with the searches it serves). */
const SearchProblem = ({ problem }: { problem: ProblemError }) => (
  <div id="find-problem" class="notice notice-error" role="alert">
    <p>
      <strong>{problem.title}</strong>
      {problem.detail ? ` — ${problem.detail}` : ''}
    </p>
    {problem.errors.length > 0 && (
      <ul>
        {problem.errors.map((issue) => (
          <li key={issue.field}>
            {issue.field.replace(/^query\./, '')}: {issue.message}
          </li>
        ))}
      </ul>
    )}
    <p class="hint">Change the search to one the desk supports (named above), then search again.</p>
  </div>
);

const Field = ({
  name,
  label,
  problem,
  children,
}: {
  name: FieldName;
  label: string;
  problem?: ProblemError;
  children: (attributes: Record<string, unknown>) => ComponentChildren;
}) => {
  const message = problem?.fieldMessage(name);
  const id = `find-${name}`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children({
        id,
        name,
        'aria-invalid': message ? 'true' : undefined,
        'aria-describedby': message ? `${id}-error` : undefined,
      })}
      {message && (
        <p id={`${id}-error`} class="field-error">
          {message}
        </p>
      )}
    </div>
  );
};

export default function FindTickets() {
  const { query: search, route, url } = useLocation();
  const asked = Object.fromEntries(FIELDS.map((name) => [name, search[name]?.trim() || undefined])) as Record<
    FieldName,
    string | undefined
  >;
  const given = FIELDS.filter((name) => asked[name] !== undefined);
  const numberAlone = given.length === 1 && asked.number !== undefined && /^\d+$/.test(asked.number);

  // A bookmarked or typed `/search?number=1042` opens the ticket, as the form does.
  useEffect(() => {
    if (numberAlone) route(`/tickets/${asked.number}`, true);
  }, [numberAlone, asked.number]);

  const params =
    given.length > 0 && !numberAlone
      ? {
          view: 'all',
          ...asked,
          from: instantOf(asked.from, false),
          to: instantOf(asked.to, true),
        }
      : undefined;
  const list = useTicketList(params);
  const problem = list.error?.status === 400 ? list.error : undefined;
  const value = (name: FieldName) => asked[name] ?? '';

  const submit = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const next = Object.fromEntries(
      FIELDS.map((name) => [name, String(data.get(name) ?? '').trim() || undefined]),
    ) as Record<FieldName, string | undefined>;
    const filled = FIELDS.filter((name) => next[name] !== undefined);
    if (filled.length === 1 && next.number !== undefined) route(`/tickets/${next.number}`);
    else route(`/search${query(next)}`);
  };

  return (
    <Page title="Find tickets">
      <form
        key={url}
        class="find-form card"
        aria-label="Find tickets"
        aria-describedby={problem ? 'find-problem' : undefined}
        onSubmit={submit}
      >
        <p class="hint">
          A number alone opens that ticket. Otherwise fill in what you know; resolved and closed tickets are
          found too, newest first.
        </p>
        <div class="find-fields">
          <Field name="number" label="Ticket number" problem={problem}>
            {(attributes) => (
              <input
                {...attributes}
                inputMode="numeric"
                pattern="[0-9]{1,10}"
                title="The ticket's number, e.g. 1042"
                defaultValue={value('number')}
                autocomplete="off"
              />
            )}
          </Field>
          <Field name="requester" label="Requester (email)" problem={problem}>
            {(attributes) => (
              <input {...attributes} type="email" defaultValue={value('requester')} autocomplete="off" />
            )}
          </Field>
          <Field name="assignee" label="Assignee (email)" problem={problem}>
            {(attributes) => (
              <input {...attributes} type="email" defaultValue={value('assignee')} autocomplete="off" />
            )}
          </Field>
          <Field name="status" label="Status" problem={problem}>
            {(attributes) => (
              <select {...attributes}>
                <option value="">Any</option>
                {STATUSES.map((status) => (
                  <option key={status} value={status} selected={value('status') === status}>
                    {statusLabel(status)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="tier" label="Tier" problem={problem}>
            {(attributes) => (
              <select {...attributes}>
                <option value="">Any</option>
                {TIERS.map((tier) => (
                  <option key={tier} value={tier} selected={value('tier') === tier}>
                    Tier {tier}
                    {tier === '4' ? ' (vendor)' : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="priority" label="Priority" problem={problem}>
            {(attributes) => (
              <select {...attributes}>
                <option value="">Any</option>
                {PRIORITIES.map((priority) => (
                  <option key={priority} value={priority} selected={value('priority') === priority}>
                    {priority}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="tag" label="Tag" problem={problem}>
            {(attributes) => <input {...attributes} defaultValue={value('tag')} autocomplete="off" />}
          </Field>
          <Field name="from" label="Opened from" problem={problem}>
            {(attributes) => <input {...attributes} type="date" defaultValue={value('from')} />}
          </Field>
          <Field name="to" label="Opened until" problem={problem}>
            {(attributes) => <input {...attributes} type="date" defaultValue={value('to')} />}
          </Field>
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            Find
          </button>
          {given.length > 0 && (
            <a class="button" href="/search">
              Clear
            </a>
          )}
        </div>
        {problem && <SearchProblem problem={problem} />}
      </form>

      {params === undefined ? null : list.loading ? (
        <Loading what="Finding tickets" />
      ) : problem ? null : list.error ? (
        <ErrorNotice error={list.error} retry={() => void list.refresh()} />
      ) : (
        <section aria-labelledby="find-results">
          <h2 id="find-results">Results</h2>
          {list.rows.length === 0 ? (
            <p class="card list-empty">No tickets match.</p>
          ) : (
            <TicketTable rows={list.rows} columns="find" caption="Tickets found, newest first" />
          )}
          <ListFooter list={list} />
        </section>
      )}
    </Page>
  );
}
