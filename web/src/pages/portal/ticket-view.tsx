import type { TargetedEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../../api/client.ts';
import type { ArticleHits } from '../../api/kb-types.ts';
import type { ProblemError } from '../../api/problem.ts';
import type { TicketView, TimelineEvent, TimelinePage } from '../../api/types.ts';
import { useSession } from '../../session-context.ts';
import { ArticleHitList } from '../../ui/article-hits.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { problemOf } from '../../ui/problem-of.ts';
import { ErrorNotice, Loading, Page } from '../../ui/status.tsx';
import { useApi } from '../../ui/use-api.ts';
import { TicketAttachments } from './attachments.tsx';
import { CsatQuestion } from './csat.tsx';
import { STATUS_LABEL, StatusBadge } from './status-label.tsx';

/**
 * `/tickets/:number` for its requester and watchers: what they asked, where it stands, the public
 * timeline (oldest first, a page at a time; the API never sends internal notes to them), a reply,
 * reopening a resolved ticket, and once it is closed the satisfaction question. The ticket is
 * read again every 15 s, and the timeline whenever the ticket's version moves, so an agent's reply
 * appears without a reload.
 */

const REFRESH_MS = 15_000;
const TIMELINE_PAGE = 50;

/** The newer of two reads of the ticket (an action's answer may be ahead of the last refresh). */
const newer = (a: TicketView, b: TicketView | undefined): TicketView => (b && b.version > a.version ? b : a);

/**
 * The timeline, oldest first: pages fetched in order; `reload` fetches again as many pages as are
 * shown (quietly: the old events stay until the new ones arrive), `more` the next one.
 */
const useTimeline = (number: number, version: number) => {
  const [events, setEvents] = useState<TimelineEvent[]>();
  const [next, setNext] = useState<string>();
  const [pages, setPages] = useState(1);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ProblemError>();
  const path = (cursor?: string) => `/tickets/${number}/timeline${query({ limit: TIMELINE_PAGE, cursor })}`;

  // Reads may overlap (a refresh and an action): only the last one started is shown.
  const latestRead = useRef(0);

  const reload = async (count = pages) => {
    const read = ++latestRead.current;
    try {
      const loaded: TimelineEvent[] = [];
      let cursor: string | undefined;
      let fetched = 0;
      do {
        const page = await api.get<TimelinePage>(path(cursor));
        loaded.push(...page.data.items);
        cursor = page.data.nextCursor;
        fetched += 1;
      } while (cursor && fetched < count);
      if (read !== latestRead.current) return;
      setEvents(loaded);
      setNext(cursor);
      setPages(fetched);
      setError(undefined);
    } catch (failure) {
      if (read === latestRead.current) setError(problemOf(failure));
    }
  };

  const more = async () => {
    if (!next) return;
    const read = ++latestRead.current;
    setLoading(true);
    try {
      const page = await api.get<TimelinePage>(path(next));
      if (read !== latestRead.current) return;
      setEvents((previous) => [...(previous ?? []), ...page.data.items]);
      setNext(page.data.nextCursor);
      setPages((count) => count + 1);
      setError(undefined);
    } catch (failure) {
      setError(problemOf(failure));
    } finally {
      setLoading(false);
    }
  };

  // Every event is written with a new version of the ticket: a new version, a new read.
  useEffect(() => {
    void reload();
  }, [number, version]);

  return { events, next, loading, error, reload, more };
};

/** Who did it, as the requester reads it: "You" for themselves, the desk by its people's addresses. */
const who = (actor: string, me: string | undefined) =>
  actor === me ? 'You' : actor === 'tierdesk' ? 'The help desk' : actor;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() ? value : undefined;

/** A public field change in words ("set the status to Being worked on"). */
const changed = (event: TimelineEvent): string => {
  const said = (event.changes ?? []).map(({ field, to }) => {
    if (field === 'status' && typeof to === 'string' && to in STATUS_LABEL)
      return `set the status to “${STATUS_LABEL[to as TicketView['status']]}”`;
    if (field === 'subject' && typeof to === 'string') return `changed the subject to “${to}”`;
    if (field === 'watchers') return 'changed who is copied';
    return `changed the ${field}`;
  });
  return said.length > 0 ? said.join(', ') : 'updated the ticket';
};

/** What an event says, in words; the body (a reply) is shown below it. */
const describe = (event: TimelineEvent): { title: string; detail?: string } => {
  const data = event.data ?? {};
  switch (event.type) {
    case 'created':
      return { title: 'opened the ticket' };
    case 'comment':
      return { title: 'replied' };
    case 'updated':
      return { title: changed(event) };
    case 'pending':
      return { title: 'is waiting for your answer', detail: text(data.reason) };
    case 'resumed':
      return { title: 'answered: the desk is working on it again' };
    case 'resolved':
      return { title: 'resolved the ticket', detail: text(data.resolution) };
    case 'reopened':
      return { title: 'reopened the ticket', detail: text(data.reason) };
    case 'closed':
      return {
        title: data.reason === 'auto_closed' ? 'closed the ticket (no answer came)' : 'closed the ticket',
        detail: text(data.note),
      };
    case 'on_hold':
      return {
        title: `passed it to ${text(data.vendorName) ?? 'a supplier'}; the desk follows it up`,
      };
    case 'escalated':
      return { title: 'passed it to specialists' };
    case 'merged':
      return {
        title:
          typeof data.into === 'number'
            ? `merged it into ticket #${data.into}`
            : 'merged it with another ticket',
      };
    case 'csat_recorded':
      return {
        title: `rated the help ${String(data.score)} out of 5`,
        detail: text(data.comment),
      };
    default:
      return { title: event.type.replaceAll('_', ' ') };
  }
};

const Timeline = ({
  number,
  events,
  me,
}: {
  number: number;
  events: readonly TimelineEvent[];
  me: string | undefined;
}) => (
  <ol class="timeline portal-timeline">
    {events.map((event) => {
      const { title, detail } = describe(event);
      const mine = event.actor === me;
      return (
        <li key={event.id} class={`event event-${event.type} ${mine ? 'from-me' : 'from-desk'}`}>
          <p class="meta">
            <strong>{who(event.actor, me)}</strong> {title} ·{' '}
            <time dateTime={event.at}>{formatDateTime(event.at)}</time>
          </p>
          {detail && <p class="body">{detail}</p>}
          {event.body && event.type !== 'created' && <p class="body">{event.body}</p>}
          <TicketAttachments number={number} event={event} />
        </li>
      );
    })}
  </ol>
);

/** A one-field form (a reply, a reason to reopen): its error next to the field, disabled while sending. */
const TextForm = ({
  id,
  label,
  hint,
  submit,
  send,
  rows = 5,
}: {
  id: string;
  label: string;
  hint?: string;
  submit: string;
  send: (text: string) => Promise<void>;
  rows?: number;
}) => {
  const [value, setValue] = useState('');
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<ProblemError>();
  const [empty, setEmpty] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);
  const onSubmit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (sending) return;
    if (!value.trim()) {
      setEmpty(true);
      field.current?.focus();
      return;
    }
    setSending(true);
    setProblem(undefined);
    try {
      await send(value.trim());
      setValue('');
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setSending(false);
    }
  };
  const fieldMessage = empty
    ? 'Write something first.'
    : (problem?.fieldMessage('body') ?? problem?.fieldMessage('reason'));
  const describedBy = [hint && `${id}-hint`, fieldMessage && `${id}-error`].filter(Boolean).join(' ');
  return (
    <form noValidate onSubmit={(event) => void onSubmit(event)}>
      {problem && !fieldMessage && <ErrorNotice error={problem} />}
      <label for={id}>{label}</label>
      <textarea
        id={id}
        ref={field}
        rows={rows}
        required
        aria-required="true"
        maxLength={20_000}
        value={value}
        aria-invalid={fieldMessage ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
        onInput={(event) => {
          setValue(event.currentTarget.value);
          setEmpty(false);
        }}
      />
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {fieldMessage && (
        <p class="field-error" id={`${id}-error`}>
          {fieldMessage}
        </p>
      )}
      <p class="actions form-actions">
        <button type="submit" class="primary" disabled={sending}>
          {sending ? 'Sending…' : submit}
        </button>
      </p>
    </form>
  );
};

/** Where the ticket stands, in a sentence the requester can act on. */
const StatusNotice = ({ ticket }: { ticket: TicketView }) => {
  switch (ticket.status) {
    case 'pending':
      return (
        <div class="notice notice-warn">
          <p>
            <strong>The desk is waiting for your answer.</strong>
            {ticket.pendingReason ? ` ${ticket.pendingReason}` : ''}
          </p>
          <p>Reply below; the ticket goes back to the desk when you do.</p>
        </div>
      );
    case 'resolved':
      return (
        <div class="notice notice-info">
          <p>
            <strong>Resolved {formatDateTime(ticket.resolvedAt)}.</strong>
            {ticket.resolution ? ` ${ticket.resolution}` : ''}
          </p>
          <p>Not solved after all? Reopen it below, or reply: a reply reopens it too for a while.</p>
        </div>
      );
    case 'closed':
      return (
        <div class="notice">
          <p>
            <strong>Closed {formatDateTime(ticket.closedAt)}.</strong>{' '}
            {ticket.mergedInto ? (
              <>
                It was merged into <a href={`/tickets/${ticket.mergedInto}`}>ticket #{ticket.mergedInto}</a>:
                follow that one.
              </>
            ) : (
              'If you need more help, open a new ticket.'
            )}
          </p>
        </div>
      );
    default:
      return null;
  }
};

export default function RequesterTicketPage({ number, initial }: { number: number; initial: TicketView }) {
  const { session } = useSession();
  const live = useApi<TicketView>(`/tickets/${number}`, { refreshMs: REFRESH_MS });
  const [latest, setLatest] = useState<TicketView>(initial);
  const ticket = newer(latest, live.data);
  const timeline = useTimeline(number, ticket.version);
  const after = (changed: TicketView) => setLatest((current) => newer(current, changed));

  const reply = async (body: string) => {
    await api.post(`/tickets/${number}/comments`, { body, public: true });
    // A reply may change the ticket (a pending ticket goes back to the desk): read both again.
    await live.reload();
    await timeline.reload();
  };
  const reopen = async (reason: string) => {
    const answer = await api.post<TicketView>(`/tickets/${number}/reopen`, { reason });
    after(answer.data);
  };
  const closed = ticket.status === 'closed';
  const merged = ticket.closeReason === 'merged' || ticket.mergedInto !== undefined;

  return (
    <Page title={`#${ticket.number} ${ticket.subject}`}>
      <div class="ticket-summary card">
        <p class="ticket-facts">
          <StatusBadge status={ticket.status} />{' '}
          <span class="hint">
            Opened <time dateTime={ticket.createdAt}>{formatDateTime(ticket.createdAt)}</time> · last update{' '}
            <time dateTime={ticket.updatedAt}>{formatDateTime(ticket.updatedAt)}</time>
          </span>
        </p>
        <h2 class="visually-hidden">What you asked</h2>
        <p class="body description">{ticket.description}</p>
        {ticket.watchers.length > 0 && <p class="hint">Copied: {ticket.watchers.join(', ')}</p>}
      </div>
      <StatusNotice ticket={ticket} />
      {live.error && live.error.status !== 0 && (
        <ErrorNotice error={live.error} retry={() => void live.reload()} />
      )}

      {!closed && <MayHelp number={number} />}

      <section aria-labelledby="conversation-title">
        <h2 id="conversation-title">Conversation</h2>
        {timeline.error && <ErrorNotice error={timeline.error} retry={() => void timeline.reload()} />}
        {!timeline.events && !timeline.error && <Loading what="Loading the conversation" />}
        {timeline.events && <Timeline number={number} events={timeline.events} me={session?.email} />}
        {timeline.loading && <Loading what="Loading more of the conversation" />}
        {timeline.next && !timeline.loading && (
          <p>
            <button type="button" onClick={() => void timeline.more()}>
              Load more
            </button>
          </p>
        )}
      </section>

      {ticket.status === 'resolved' && (
        <section class="card" aria-labelledby="reopen-title">
          <h2 id="reopen-title">Not solved?</h2>
          <TextForm
            id="reopen-reason"
            label="Why are you reopening it?"
            hint="You can reopen a resolved ticket for a few days after it was resolved."
            submit="Reopen ticket"
            rows={3}
            send={reopen}
          />
        </section>
      )}

      {!closed && (
        <section class="card" aria-labelledby="reply-title">
          <h2 id="reply-title">Reply</h2>
          <TextForm id="reply-body" label="Your reply" submit="Send reply" send={reply} />
        </section>
      )}

      {closed && !merged && <CsatQuestion ticket={ticket} onAnswered={after} />}
    </Page>
  );
}

/**
 * The public articles that may already answer the ticket (`GET /tickets/{number}/suggestions`),
 * read once when the page opens — right after filing, too: creating a ticket does not search.
 * Shown only when there are some; suggestions never stand in the way of the ticket.
 */
const MayHelp = ({ number }: { number: number }) => {
  const suggestions = useApi<ArticleHits>(`/tickets/${number}/suggestions`);
  const hits = suggestions.data?.items ?? [];
  if (hits.length === 0) return null;
  return (
    <section class="card suggestions" aria-labelledby="may-help-title">
      <h2 id="may-help-title">Articles that may help</h2>
      <p class="hint">From the knowledge base: one of them may solve it before the desk replies.</p>
      <ArticleHitList hits={hits} headingLevel={3} />
    </section>
  );
};
