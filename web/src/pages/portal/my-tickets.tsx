import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, query } from '../../api/client.ts';
import type { ProblemError } from '../../api/problem.ts';
import type { TicketPage, TicketView } from '../../api/types.ts';
import { formatDateTime } from '../../ui/format.ts';
import { problemOf } from '../../ui/problem-of.ts';
import { ErrorNotice, Loading, Page } from '../../ui/status.tsx';
import { groupOf, StatusBadge, type StatusGroup } from './status-label.tsx';

/**
 * `/my`: the tickets the signed-in person asked for or watches, newest first, a page at a time
 * ("Load more"). The API lists them all in one order (`view=mine` has no status filter), so the
 * open / resolved / closed choice filters what was loaded; it is kept in the address (`?show=`).
 */

const SHOWN: { value: StatusGroup | 'all'; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'closed', label: 'Closed' },
  { value: 'all', label: 'All' },
];

const PAGE_SIZE = 25;

export default function MyTickets() {
  const { query: params, route } = useLocation();
  const show = SHOWN.find((option) => option.value === params.show)?.value ?? 'open';
  const [tickets, setTickets] = useState<TicketView[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ProblemError>();

  const load = async (after?: string) => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await api.get<TicketPage>(
        `/tickets${query({ view: 'mine', limit: PAGE_SIZE, cursor: after })}`,
      );
      setTickets((previous) => {
        const known = new Set(previous.map((ticket) => ticket.number));
        return [...(after ? previous : []), ...page.data.items.filter((ticket) => !known.has(ticket.number))];
      });
      setCursor(page.data.nextCursor);
    } catch (failure) {
      setError(problemOf(failure));
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load();
  }, []);

  const shown = show === 'all' ? tickets : tickets.filter((ticket) => groupOf(ticket.status) === show);
  const count = (value: StatusGroup | 'all') =>
    value === 'all' ? tickets.length : tickets.filter((ticket) => groupOf(ticket.status) === value).length;
  const nothingYet = !loading && !error && tickets.length === 0 && cursor === undefined;

  return (
    <Page
      title="My tickets"
      actions={
        <a class="button primary" href="/new">
          New ticket
        </a>
      }
    >
      {nothingYet ? (
        <div class="card empty-state">
          <h2>You have no tickets yet</h2>
          <p>
            Something not working? Look for an answer in the knowledge base, or open a ticket and the desk
            will get back to you.
          </p>
          <p class="actions">
            <a class="button primary" href="/new">
              New ticket
            </a>
            <a class="button" href="/kb">
              Search the knowledge base
            </a>
          </p>
        </div>
      ) : (
        <>
          <fieldset class="filter-buttons">
            <legend class="visually-hidden">Show tickets</legend>
            {SHOWN.map((option) => (
              <button
                key={option.value}
                type="button"
                aria-pressed={show === option.value}
                onClick={() => route(`/my${option.value === 'open' ? '' : `?show=${option.value}`}`, true)}
              >
                {option.label} <span class="count">({count(option.value)})</span>
              </button>
            ))}
          </fieldset>
          {shown.length > 0 ? (
            <table class="responsive my-tickets">
              <caption class="visually-hidden">
                {SHOWN.find((option) => option.value === show)?.label} tickets, newest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Ticket</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last update</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((ticket) => (
                  <tr key={ticket.number}>
                    <td data-label="Ticket">#{ticket.number}</td>
                    <td data-label="Subject">
                      <a href={`/tickets/${ticket.number}`}>{ticket.subject}</a>
                    </td>
                    <td data-label="Status">
                      <StatusBadge status={ticket.status} />
                    </td>
                    <td data-label="Last update">
                      <time dateTime={ticket.updatedAt}>{formatDateTime(ticket.updatedAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            !loading && (
              <p class="hint">
                {cursor
                  ? `None of the ${tickets.length} tickets loaded so far is ${show}; load more to see older ones.`
                  : `You have no ${show} tickets.`}
              </p>
            )
          )}
        </>
      )}
      {error && (
        <ErrorNotice error={error} retry={() => void load(tickets.length > 0 ? cursor : undefined)} />
      )}
      {loading && <Loading what="Loading your tickets" />}
      {!loading && cursor && (
        <p>
          <button type="button" onClick={() => void load(cursor)}>
            Load more
          </button>
        </p>
      )}
    </Page>
  );
}
