import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { type ApiAnswer, api } from '../../api/client.ts';
import type { ArticleHits } from '../../api/kb-types.ts';
import type { ProblemError } from '../../api/problem.ts';
import type { TicketView, WorkflowView } from '../../api/types.ts';
import { useSession } from '../../session-context.ts';
import { openShortcutHelp, ShortcutHelp, type ShortcutMap, useShortcuts } from '../../ui/keyboard.ts';
import { problemOf } from '../../ui/problem-of.ts';
import { ErrorNotice, Loading, Page } from '../../ui/status.tsx';
import { useApi } from '../../ui/use-api.ts';
import { type ActionKey, ActionsPanel, offeredActions, seesTier } from './ticket-actions.tsx';
import { Composer, type Mode } from './ticket-composer.tsx';
import { TicketContext, type TicketContextValue } from './ticket-context.ts';
import type { Ticket } from './ticket-contracts.ts';
import { Clocks, Suggestions, TicketFacts } from './ticket-details.tsx';
import { type Presence, usePresence } from './ticket-presence.ts';
import { eventVersion, TimelineList, useTimeline } from './ticket-timeline.tsx';

/**
 * The agent's ticket page (`/tickets/:number`, the desk's view): the ticket and its clocks, the
 * whole timeline, reply or internal note with files, the lifecycle actions, the knowledge base's
 * suggestions, who else has the ticket open — and a "this ticket changed" banner when someone
 * else changes it, after which sending asks first.
 *
 * The page holds the ticket as it loaded it. When the ticket's version moves (presence answers
 * carry it; without presence the page asks every few seconds), the page reads the ticket and the
 * new timeline events: events written by someone else make the view stale (the banner); changes
 * that are one's own or the desk's bookkeeping (a recomputed deadline writes no event) are taken
 * in quietly.
 */

/** Without presence, how often the page looks for changes itself. */
const FALLBACK_CHECK_MS = 10_000;

const PresenceStrip = ({ presence }: { presence: Presence }) => (
  <div class="presence" role="status" aria-live="polite">
    {presence.others.length === 0 ? (
      <p class="hint">Nobody else has this ticket open.</p>
    ) : (
      <ul aria-label="Also on this ticket">
        {presence.others.map((other) => (
          <li key={other.email} data-presence={other.email} data-presence-state={other.state}>
            <span class={`badge presence-${other.state}`}>
              {other.state === 'replying' ? 'replying' : 'viewing'}
            </span>{' '}
            {other.name ?? other.email} {other.state === 'replying' ? 'is replying' : 'is viewing'}
          </li>
        ))}
      </ul>
    )}
  </div>
);

/**
 * One workspace per ticket: going from one ticket to another (a "merged into" link) starts afresh,
 * and the ticket the router still holds from before is not shown under the new number.
 */
export default function TicketPage({ number, initial }: { number: number; initial: TicketView }) {
  if (initial.number !== number) return <Loading what={`Loading ticket #${number}`} />;
  return <TicketWorkspace key={number} number={number} initial={initial} />;
}

function TicketWorkspace({ number, initial }: { number: number; initial: TicketView }) {
  const { session } = useSession();
  const { route } = useLocation();
  // The router admits signed-in staff only; the desk view is what the API gave them.
  const me = session as NonNullable<typeof session>;
  const myEmail = me.email.toLowerCase();
  const [ticket, setTicket] = useState<Ticket>(initial as Ticket);
  const [stale, setStale] = useState(false);
  const [lost, setLost] = useState<ProblemError>();
  const [announcement, setAnnouncement] = useState<string>();
  const [mode, setMode] = useState<Mode>('public');
  const [replying, setReplying] = useState(false);
  const [dialog, setDialog] = useState<ActionKey>();
  const textRef = useRef<HTMLTextAreaElement>(null);

  const reach = !lost && seesTier(me, ticket.tier);
  const timeline = useTimeline(number);
  const workflow = useApi<WorkflowView>(`/tickets/${number}/workflow`);
  const suggestions = useApi<ArticleHits>(`/tickets/${number}/suggestions`);
  const presence = usePresence(number, replying ? 'replying' : 'viewing', reach);

  const held = useRef({ ticket, reach, stale });
  held.current = { ticket, reach, stale };
  const checking = useRef(false);

  const adopt = (fresh: TicketView) => {
    if (fresh.view !== 'desk') return;
    setTicket(fresh as Ticket);
    held.current = { ...held.current, ticket: fresh as Ticket, reach: seesTier(me, fresh.tier) };
  };

  /** Reads the ticket and the new events: someone else's events make the view stale. */
  const check = async () => {
    if (checking.current || !held.current.reach) return;
    checking.current = true;
    try {
      const { data: fresh } = await api.get<TicketView>(`/tickets/${number}`);
      const events = await timeline.refresh();
      const base = held.current.ticket.version;
      const foreign = events.some(
        (event) => eventVersion(event) > base && event.actor.toLowerCase() !== myEmail,
      );
      if (foreign) setStale(true);
      else if (fresh.version > base) {
        adopt(fresh);
        void workflow.reload();
      }
    } catch (error) {
      const problem = problemOf(error);
      if (problem.status === 404 || problem.status === 403) setLost(problem);
    } finally {
      checking.current = false;
    }
  };

  const reload = async () => {
    try {
      const { data: fresh } = await api.get<TicketView>(`/tickets/${number}`);
      adopt(fresh);
      setStale(false);
      setAnnouncement('Reloaded: you see the ticket as it is now.');
      if (fresh.view === 'desk' && seesTier(me, fresh.tier)) {
        await Promise.all([timeline.refresh(), workflow.reload()]);
      }
    } catch (error) {
      const problem = problemOf(error);
      if (problem.status === 404 || problem.status === 403) setLost(problem);
      else setAnnouncement(`The ticket could not be reloaded: ${problem.title}. Try again.`);
    }
  };

  // The version presence reports moved past the one held: look at what changed.
  const seen = useRef<number | undefined>(undefined);
  useEffect(() => {
    const version = presence.ticketVersion;
    if (version === undefined || stale || version <= ticket.version || seen.current === version) return;
    seen.current = version;
    void check();
  }, [presence.ticketVersion, ticket.version, stale]);

  // Without presence the page looks for changes itself.
  useEffect(() => {
    if (presence.available || !reach || stale) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void check();
    }, FALLBACK_CHECK_MS);
    return () => clearInterval(timer);
  }, [presence.available, reach, stale]);

  const context: TicketContextValue = {
    number,
    ticket,
    me,
    stale,
    reload,
    changed: (answer: ApiAnswer<TicketView>, message: string) => {
      adopt(answer.data);
      setStale(false);
      setAnnouncement(message);
      if (answer.data.view === 'desk' && seesTier(me, answer.data.tier)) {
        void timeline.refresh();
        void workflow.reload();
      }
    },
    commented: (message: string) => {
      setAnnouncement(message);
      void check();
    },
  };

  const offered = offeredActions(ticket, me);
  const writeAs = (next: Mode) => {
    if (!reach) return;
    setMode(next);
    textRef.current?.scrollIntoView({ block: 'center' });
    textRef.current?.focus();
  };
  const toQueue = () => route('/queue');
  const shortcuts: ShortcutMap = {
    r: { description: 'Reply to the requester', run: () => writeAs('public') },
    n: { description: 'Write an internal note', run: () => writeAs('internal') },
    e: {
      description: 'Escalate to the next tier',
      run: () => {
        if (reach && offered.includes('escalate')) setDialog('escalate');
      },
    },
    a: { description: 'Assign the ticket to me', run: () => document.getElementById('assign-me')?.click() },
    'g q': { description: 'Back to the queue', run: toQueue },
    u: { description: 'Back to the queue', run: toQueue },
  };
  useShortcuts(shortcuts);

  return (
    <TicketContext.Provider value={context}>
      <Page
        title={`Ticket #${number}: ${ticket.subject}`}
        actions={
          <>
            <a class="button" href="/queue">
              Back to the queue
            </a>
            <button type="button" onClick={openShortcutHelp} aria-keyshortcuts="?">
              Keyboard shortcuts <kbd>?</kbd>
            </button>
          </>
        }
      >
        <div class="desk-ticket">
          {reach && presence.available && <PresenceStrip presence={presence} />}
          {stale && reach && (
            <div class="notice notice-warn stale-banner" role="status">
              <p>
                <strong>This ticket changed since you opened it</strong> — reload to see what changed.
              </p>
              <button type="button" class="primary" onClick={() => void reload()}>
                Reload
              </button>
            </div>
          )}
          {announcement && (
            <p class="notice notice-info" role="status">
              {announcement}
            </p>
          )}
          {lost && <ErrorNotice error={lost} />}
          {!lost && !reach && (
            <div class="notice notice-info">
              <p>
                Ticket #{number} is now at Tier {ticket.tier}, beyond your tiers: it has left your queues.
              </p>
              <p>
                <a href="/queue">Back to the queue</a>
              </p>
            </div>
          )}
          <div class="grid-2 ticket-layout">
            <div class="ticket-main">
              <TicketFacts />
              <TimelineList number={number} timeline={timeline} />
              {reach && <Composer mode={mode} setMode={setMode} textRef={textRef} onActivity={setReplying} />}
            </div>
            <div class="ticket-side">
              {reach && <ActionsPanel open={dialog} setOpen={setDialog} presence={presence} />}
              {reach && <Clocks workflow={workflow} />}
              {reach && <Suggestions suggestions={suggestions} />}
            </div>
          </div>
        </div>
        <ShortcutHelp />
      </Page>
    </TicketContext.Provider>
  );
}
