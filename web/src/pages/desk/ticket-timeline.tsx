import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../../api/client.ts';
import type { ProblemError } from '../../api/problem.ts';
import type { AttachmentDownload, TimelineEvent, TimelinePage } from '../../api/types.ts';
import { formatDateTime } from '../../ui/format.ts';
import { problemOf } from '../../ui/problem-of.ts';
import { ErrorNotice, Loading } from '../../ui/status.tsx';
import type { AttachmentRef } from './ticket-contracts.ts';

/**
 * The ticket's whole timeline, oldest first, a page at a time ("Load more"). Live: `refresh`
 * reads the last page again from the cursor it was read with (events are only ever appended)
 * and follows the list to its end, so new events appear without reading the ticket's history again.
 */

const PAGE_SIZE = 50;
/** Pages `refresh` follows at most; the rest waits for "Load more". */
const FOLLOW = 4;

interface LoadedPage {
  cursor?: string;
  items: TimelineEvent[];
  nextCursor?: string;
}

export interface Timeline {
  events: TimelineEvent[];
  more: boolean;
  loading: boolean;
  error?: ProblemError;
  loadMore(): Promise<void>;
  /** Reads what was added since; resolves with the whole list as it is then. */
  refresh(): Promise<TimelineEvent[]>;
}

export const useTimeline = (number: number): Timeline => {
  const [pages, setPages] = useState<LoadedPage[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ProblemError>();
  const current = useRef(pages);
  current.current = pages;

  const read = useCallback(
    async (cursor?: string): Promise<LoadedPage> => {
      const { data } = await api.get<TimelinePage>(
        `/tickets/${number}/timeline${query({ limit: PAGE_SIZE, cursor })}`,
      );
      return { cursor, items: data.items, nextCursor: data.nextCursor };
    },
    [number],
  );

  const follow = async (kept: LoadedPage[], from: LoadedPage): Promise<LoadedPage[]> => {
    const result = [...kept, from];
    let last = from;
    for (let page = 0; last.nextCursor && page < FOLLOW; page++) {
      last = await read(last.nextCursor);
      result.push(last);
    }
    return result;
  };

  const settle = (next: LoadedPage[]) => {
    current.current = next;
    setPages(next);
    setError(undefined);
    return next.flatMap((page) => page.items);
  };

  useEffect(() => {
    let stopped = false;
    setLoading(true);
    read()
      .then((first) => !stopped && settle([first]))
      .catch((failure) => !stopped && setError(problemOf(failure)))
      .finally(() => !stopped && setLoading(false));
    return () => {
      stopped = true;
    };
  }, [read]);

  const loadMore = async () => {
    const last = current.current[current.current.length - 1];
    if (!last?.nextCursor) return;
    setLoading(true);
    try {
      settle([...current.current, await read(last.nextCursor)]);
    } catch (failure) {
      setError(problemOf(failure));
    } finally {
      setLoading(false);
    }
  };

  const refresh = async () => {
    const pagesNow = current.current;
    const last = pagesNow[pagesNow.length - 1];
    // Not at the end yet (older pages still to load): new events wait behind "Load more".
    if (last?.nextCursor) return pagesNow.flatMap((page) => page.items);
    return settle(await follow(pagesNow.slice(0, -1), await read(last?.cursor)));
  };

  const last = pages[pages.length - 1];
  return {
    events: pages.flatMap((page) => page.items),
    more: Boolean(last?.nextCursor),
    loading,
    error,
    loadMore,
    refresh,
  };
};

/** The version of the ticket that wrote an event: its id starts with it (`<version>#<index>`). */
export const eventVersion = (event: TimelineEvent): number => Number.parseInt(event.id, 10);

// ---- rendering ------------------------------------------------------------------------------

const text = (value: unknown): string => {
  if (value === undefined || value === null || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.map(text).join(', ') : '(none)';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

const CLOCK_NAME: Record<string, string> = {
  response: 'First response',
  resolution: 'Resolution',
  ola: 'Tier OLA',
};
const clockName = (clock: unknown) =>
  typeof clock === 'string' ? (CLOCK_NAME[clock] ?? clock.replace(/^uc_/, 'Vendor ')) : 'A clock';

/** One line for an event that is not a conversation: what happened, in words. */
const describe = (event: TimelineEvent): string => {
  const data = event.data ?? {};
  switch (event.type) {
    case 'created':
      return 'Opened the ticket';
    case 'updated':
      return `Changed ${(event.changes ?? [])
        .map((change) => `${change.field} from ${text(change.from)} to ${text(change.to)}`)
        .join('; ')}`;
    case 'escalated':
      return `${data.automatic ? 'Escalated automatically' : 'Escalated'} from Tier ${text(data.fromTier)} to Tier ${text(data.toTier)}: ${text(data.reason)}`;
    case 'pending':
      return `Set pending: ${text(data.reason)}`;
    case 'resumed':
      return 'Resumed: the requester answered';
    case 'resolved':
      return `Resolved: ${text(data.resolution)}`;
    case 'reopened':
      return `Reopened${data.reason ? `: ${text(data.reason)}` : ''}`;
    case 'closed':
      return `Closed (${text(data.reason)})${data.note ? `: ${text(data.note)}` : ''}`;
    case 'handoff':
      return `Handed off to ${text(data.vendorName ?? data.vendorId)}: ${text(data.message)}`;
    case 'on_hold':
      return `On hold with ${text(data.vendorName)}`;
    case 'vendor_update':
      return `Vendor answer${data.resolved ? ' (resolved)' : ''}: ${text(data.message)}`;
    case 'merged':
      return data.into !== undefined
        ? `Merged into Ticket #${text(data.into)}`
        : `Ticket #${text(data.from)} (${text(data.subject)}) was merged into this one`;
    case 'assigned':
      return `Assigned to ${text(data.assignee)}${data.mode ? ` (${text(data.mode)})` : ''}`;
    case 'routed':
      return `Routed to Tier ${text(data.tier)}, group ${text(data.group)}`;
    case 'clock_warning':
      return `${clockName(data.clock)} due soon (due ${formatDateTime(data.due as string)})`;
    case 'clock_breach':
      return `${clockName(data.clock)} breached (was due ${formatDateTime(data.due as string)})`;
    case 'reminder':
      return `Reminder sent to ${text(data.to)}`;
    case 'notification':
      return `Notified ${text(data.to)} (${text(data.template)})`;
    case 'mail_bounced':
      return `Mail could not be delivered to ${text((data.recipients as { address?: string }[] | undefined)?.map((recipient) => recipient.address))}`;
    case 'operator_action':
      return `Workflow ${text(data.action)} by ${text(data.by)}`;
    case 'csat_recorded':
      return `Satisfaction ${text(data.score)}/5${data.comment ? `: ${text(data.comment)}` : ''}`;
    default:
      return event.type;
  }
};

const formatSize = (bytes: number | undefined): string => {
  if (bytes === undefined) return '';
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
};

const fileName = (file: AttachmentRef) => file.filename ?? file.name ?? 'a file';
/** The attachment's id in the route: its own, else the id part of a mail file's key. */
const fileId = (file: AttachmentRef): string | undefined =>
  file.skipped ? undefined : (file.id ?? file.key?.split('/').slice(-2, -1)[0]);

/** Files on an event: each a download through the API's short-lived link, never shown inline. */
const Attachments = ({ number, files }: { number: number; files: AttachmentRef[] }) => {
  const [problem, setProblem] = useState<ProblemError>();
  const download = async (id: string, name: string) => {
    setProblem(undefined);
    try {
      const { data } = await api.get<AttachmentDownload>(
        `/tickets/${number}/attachments/${encodeURIComponent(id)}`,
      );
      const link = document.createElement('a');
      link.href = data.url;
      link.rel = 'noopener';
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  return (
    <div class="ticket-files">
      <ul aria-label="Attachments">
        {files.map((file, index) => {
          const id = fileId(file);
          const name = fileName(file);
          return (
            <li key={id ?? index}>
              {id ? (
                <button type="button" class="link" onClick={() => void download(id, name)}>
                  Download {name}
                </button>
              ) : (
                <span>{name}</span>
              )}{' '}
              <span class="hint">
                {[
                  formatSize(file.size),
                  file.contentType,
                  file.skipped && `not kept: ${file.skipped.replaceAll('_', ' ')}`,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </li>
          );
        })}
      </ul>
      {problem && <ErrorNotice error={problem} />}
    </div>
  );
};

const attachmentsOf = (event: TimelineEvent): AttachmentRef[] => {
  const files = event.data?.attachments;
  return Array.isArray(files) ? (files as AttachmentRef[]) : [];
};

const Event = ({ number, event }: { number: number; event: TimelineEvent }) => {
  const internal = !event.public;
  const files = attachmentsOf(event);
  const when = <time dateTime={event.at}>{formatDateTime(event.at)}</time>;
  if (event.type === 'comment') {
    return (
      <li class={`event comment ${internal ? 'internal' : 'public'}`} data-event-type="comment">
        <p class="meta">
          <span class={`badge ${internal ? 'badge-internal' : 'badge-public'}`}>
            {internal ? 'Internal note' : 'Public reply'}
          </span>{' '}
          <strong>{event.actor}</strong> · {when}
        </p>
        <div class="body">{event.body}</div>
        {files.length > 0 && <Attachments number={number} files={files} />}
      </li>
    );
  }
  const summary = event.type === 'escalated' ? event.data?.summary : undefined;
  return (
    <li class={`event compact ${internal ? 'internal' : 'public'}`} data-event-type={event.type}>
      <p class="meta">
        {internal && <span class="badge badge-internal">Internal</span>} {describe(event)} ·{' '}
        <span>{event.actor}</span> · {when}
      </p>
      {typeof summary === 'string' && (
        <div class="work-summary">
          <p class="label">Work summary</p>
          <div class="body">{summary}</div>
        </div>
      )}
      {files.length > 0 && <Attachments number={number} files={files} />}
    </li>
  );
};

export const TimelineList = ({ number, timeline }: { number: number; timeline: Timeline }) => (
  <section class="card" aria-labelledby="timeline-title">
    <h2 id="timeline-title">Timeline</h2>
    <p class="hint">
      Public replies go to the requester; internal notes (marked “Internal note”) stay with the desk.
    </p>
    {timeline.error && <ErrorNotice error={timeline.error} retry={() => void timeline.refresh()} />}
    {timeline.events.length === 0 && timeline.loading ? (
      <Loading what="Loading the timeline" />
    ) : (
      <ol class="timeline ticket-timeline">
        {timeline.events.map((event) => (
          <Event key={event.id} number={number} event={event} />
        ))}
      </ol>
    )}
    {timeline.more && (
      <button type="button" onClick={() => void timeline.loadMore()} disabled={timeline.loading}>
        {timeline.loading ? 'Loading…' : 'Load more'}
      </button>
    )}
  </section>
);
