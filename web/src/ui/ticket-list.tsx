import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../api/client.ts';
import { ProblemError } from '../api/problem.ts';
import type { SlaSummary, TicketPage, TicketView } from '../api/types.ts';
import { formatDateTime } from './format.ts';
import { SlaBadge } from './sla-badge.tsx';

/**
 * The desk's ticket lists (the queues, "assigned to me", finding tickets): pages of
 * `GET /tickets` read 50 at a time, "Load more" by `nextCursor`, and a quiet live refresh that
 * reads as many rows again as are loaded, so rows loaded by "Load more" stay.
 */

/** A ticket as a desk list gives it: the desk's view carries its next SLA target. */
export type ListedTicket = TicketView & { sla?: SlaSummary };
export type ListParams = Record<string, string | undefined>;

const PAGE_SIZE = 50;
/** A refresh reads at most this many pages again (5 000 rows): enough for anyone's "Load more". */
const MAX_REFRESH_PAGES = 50;

/**
 * Filters a list's API refused (`view|name`): the list then asks without them and applies them to
 * the rows it loaded. Remembered for the page's life, so a refused filter costs one request once.
 */
const refused = new Set<string>();

const byNumber = (rows: ListedTicket[]): ListedTicket[] => {
  const seen = new Set<number>();
  return rows.filter((row) => !seen.has(row.number) && seen.add(row.number));
};

/** The filters of `params` the API named as refused, when that is all it refused. */
const refusedFilters = (error: unknown, params: ListParams, filterHere: readonly string[]): string[] => {
  if (!(error instanceof ProblemError) || error.status !== 400 || error.errors.length === 0) return [];
  const names = error.errors.map((issue) => /^query\.([^.]+)$/.exec(issue.field)?.[1]);
  return names.every((name) => name !== undefined && filterHere.includes(name) && params[name] !== undefined)
    ? (names as string[])
    : [];
};

const asProblem = (error: unknown): ProblemError =>
  error instanceof ProblemError ? error : new ProblemError(0, 'Something went wrong', String(error));

export interface TicketList {
  rows: ListedTicket[];
  /** The first page is being read. */
  loading: boolean;
  /** The first page could not be read. */
  error?: ProblemError;
  /** The last live refresh failed (the rows shown are from before). */
  refreshError?: ProblemError;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore(): Promise<void>;
  refresh(): Promise<void>;
  /** Filters applied to the loaded rows because the API did not take them. */
  filteredHere: string[];
}

interface ListState {
  /** The query these rows answer: until the first page of a new one is read, nothing is shown. */
  key?: string;
  rows: ListedTicket[];
  nextCursor?: string;
  loading: boolean;
  loadingMore: boolean;
  error?: ProblemError;
  refreshError?: ProblemError;
  filteredHere: string[];
}

export const useTicketList = (
  params: ListParams | undefined,
  options: { refreshMs?: number; filterHere?: readonly string[] } = {},
): TicketList => {
  const key = params ? query(params) : undefined;
  const [state, setState] = useState<ListState>({
    rows: [],
    loading: false,
    loadingMore: false,
    filteredHere: [],
  });
  const generation = useRef(0);
  const busy = useRef(false);
  const latest = useRef(state);
  latest.current = state;
  const filterHere = options.filterHere ?? [];

  const serverParams = (all: ListParams): ListParams =>
    Object.fromEntries(Object.entries(all).filter(([name]) => !refused.has(`${all.view}|${name}`)));

  /** Reads one page, asking again without any filter the API refuses. */
  const readPage = async (all: ListParams, cursor?: string): Promise<TicketPage> => {
    for (;;) {
      try {
        return (
          await api.get<TicketPage>(`/tickets${query({ ...serverParams(all), limit: PAGE_SIZE, cursor })}`)
        ).data;
      } catch (error) {
        const names = refusedFilters(error, serverParams(all), filterHere);
        if (names.length === 0) throw error;
        for (const name of names) refused.add(`${all.view}|${name}`);
      }
    }
  };

  const hereFilters = (all: ListParams): string[] =>
    Object.keys(all).filter((name) => all[name] !== undefined && refused.has(`${all.view}|${name}`));

  const applyHere = (rows: ListedTicket[], all: ListParams): ListedTicket[] => {
    const names = hereFilters(all);
    return names.length === 0
      ? rows
      : rows.filter((row) => names.every((name) => (row as Record<string, unknown>)[name] === all[name]));
  };

  useEffect(() => {
    const mine = ++generation.current;
    if (!params) {
      setState({ key, rows: [], loading: false, loadingMore: false, filteredHere: [] });
      return;
    }
    setState({ key, rows: [], loading: true, loadingMore: false, filteredHere: [] });
    busy.current = true;
    readPage(params)
      .then((page) => {
        if (generation.current !== mine) return;
        setState({
          key,
          rows: byNumber(page.items),
          nextCursor: page.nextCursor,
          loading: false,
          loadingMore: false,
          filteredHere: hereFilters(params),
        });
      })
      .catch((error: unknown) => {
        if (generation.current !== mine) return;
        setState({
          key,
          rows: [],
          loading: false,
          loadingMore: false,
          error: asProblem(error),
          filteredHere: [],
        });
      })
      .finally(() => {
        if (generation.current === mine) busy.current = false;
      });
  }, [key]);

  const refresh = useCallback(async () => {
    if (!params || busy.current) return;
    const mine = generation.current;
    busy.current = true;
    try {
      const wanted = Math.max(PAGE_SIZE, latest.current.rows.length);
      let rows: ListedTicket[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await readPage(params, cursor);
        rows = rows.concat(page.items);
        cursor = page.nextCursor;
        pages++;
      } while (cursor && rows.length < wanted && pages < MAX_REFRESH_PAGES);
      if (generation.current !== mine) return;
      setState((previous) => ({
        ...previous,
        rows: byNumber(rows),
        nextCursor: cursor,
        error: undefined,
        refreshError: undefined,
        filteredHere: hereFilters(params),
      }));
    } catch (error) {
      if (generation.current === mine)
        setState((previous) => ({ ...previous, refreshError: asProblem(error) }));
    } finally {
      if (generation.current === mine) busy.current = false;
    }
  }, [key]);

  const loadMore = useCallback(async () => {
    const cursor = latest.current.nextCursor;
    if (!params || !cursor || busy.current) return;
    const mine = generation.current;
    busy.current = true;
    setState((previous) => ({ ...previous, loadingMore: true }));
    try {
      const page = await readPage(params, cursor);
      if (generation.current !== mine) return;
      setState((previous) => ({
        ...previous,
        rows: byNumber(previous.rows.concat(page.items)),
        nextCursor: page.nextCursor,
        loadingMore: false,
        refreshError: undefined,
      }));
    } catch (error) {
      if (generation.current === mine)
        setState((previous) => ({ ...previous, loadingMore: false, refreshError: asProblem(error) }));
    } finally {
      if (generation.current === mine) busy.current = false;
    }
  }, [key]);

  useEffect(() => {
    if (!options.refreshMs) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, options.refreshMs);
    return () => clearInterval(timer);
  }, [refresh, options.refreshMs]);

  if (state.key !== key) {
    // The query changed and its first page is not read yet: the old rows are not its answer.
    return {
      rows: [],
      loading: params !== undefined,
      hasMore: false,
      loadingMore: false,
      loadMore,
      refresh,
      filteredHere: [],
    };
  }
  return {
    rows: params ? applyHere(state.rows, params) : [],
    loading: state.loading,
    error: state.error,
    refreshError: state.refreshError,
    hasMore: state.nextCursor !== undefined,
    loadingMore: state.loadingMore,
    loadMore,
    refresh,
    filteredHere: state.filteredHere,
  };
};

const STATUS_LABEL: Record<string, string> = { on_hold: 'on hold' };
export const statusLabel = (status: string): string => STATUS_LABEL[status] ?? status;

const desk = (row: ListedTicket) => (row.view === 'desk' ? row : undefined);

export type TicketColumns = 'queue' | 'find';

/**
 * A list of tickets as a table: on narrow screens each row a card whose cells are labelled by
 * their column. The subject links to the ticket; the selected row (keyboard) is marked by more
 * than its colour (an edge and `aria-current`), and its link has focus.
 */
export const TicketTable = ({
  rows,
  columns,
  caption,
  selected,
  onFocusRow,
}: {
  rows: ListedTicket[];
  columns: TicketColumns;
  caption: string;
  selected?: number;
  onFocusRow?: (number: number) => void;
}) => (
  <table class={`responsive ticket-table ${columns}`}>
    <caption class="visually-hidden">{caption}</caption>
    <thead>
      <tr>
        <th scope="col">Ticket</th>
        <th scope="col">Subject</th>
        {columns === 'find' && <th scope="col">Requester</th>}
        <th scope="col">Priority</th>
        <th scope="col">Status</th>
        {columns === 'find' && <th scope="col">Tier</th>}
        {columns === 'queue' && <th scope="col">Group</th>}
        <th scope="col">Assignee</th>
        <th scope="col">{columns === 'queue' ? 'SLA' : 'Opened'}</th>
      </tr>
    </thead>
    <tbody>
      {rows.map((row) => {
        const staff = desk(row);
        const isSelected = row.number === selected;
        return (
          <tr
            key={row.number}
            data-testid={columns === 'queue' ? 'queue-row' : 'find-row'}
            data-ticket={row.number}
            class={isSelected ? 'selected' : undefined}
            aria-current={isSelected ? 'true' : undefined}
          >
            <td data-label="Ticket">#{row.number}</td>
            <td data-label="Subject" class="subject">
              <a href={`/tickets/${row.number}`} onFocus={onFocusRow && (() => onFocusRow(row.number))}>
                {row.subject}
              </a>
            </td>
            {columns === 'find' && <td data-label="Requester">{row.requester}</td>}
            <td data-label="Priority">
              {staff ? (
                <span class={`badge priority priority-${staff.priority}`}>{staff.priority}</span>
              ) : (
                '—'
              )}
            </td>
            <td data-label="Status">
              <span class={`badge status status-${row.status}`}>{statusLabel(row.status)}</span>
            </td>
            {columns === 'find' && <td data-label="Tier">{staff ? staff.tier : '—'}</td>}
            {columns === 'queue' && <td data-label="Group">{staff?.group ?? '—'}</td>}
            <td data-label="Assignee" class="assignee">
              {staff?.assignee ?? <span class="hint">unassigned</span>}
            </td>
            {columns === 'queue' ? (
              <td data-label="SLA">
                <SlaBadge sla={row.sla} />
              </td>
            ) : (
              <td data-label="Opened">{formatDateTime(row.createdAt)}</td>
            )}
          </tr>
        );
      })}
    </tbody>
  </table>
);

/** Under a list: how many rows, and "Load more" while the API says the list goes on. */
export const ListFooter = ({ list, noun = 'tickets' }: { list: TicketList; noun?: string }) => (
  <div class="list-footer">
    <p class="hint" role="status">
      {list.rows.length} {list.rows.length === 1 ? noun.replace(/s$/, '') : noun} shown
      {list.hasMore ? '; more to load' : ''}
    </p>
    {list.hasMore && (
      <button type="button" onClick={() => void list.loadMore()} disabled={list.loadingMore}>
        {list.loadingMore ? 'Loading more…' : 'Load more'}
      </button>
    )}
  </div>
);
