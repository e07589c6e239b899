import type { ComponentChildren } from 'preact';
import { serverNow } from '../../api/client.ts';
import type { ArticleHits } from '../../api/kb-types.ts';
import type { WorkflowView } from '../../api/types.ts';
import { ArticleHitList } from '../../ui/article-hits.tsx';
import { formatDateTime, formatDuration, formatRelative } from '../../ui/format.ts';
import { SlaBadge } from '../../ui/sla-badge.tsx';
import { ErrorNotice, Loading } from '../../ui/status.tsx';
import type { Loaded } from '../../ui/use-api.ts';
import { useTicket } from './ticket-context.ts';

/** The ticket's facts, its clocks (from its workflow) and the knowledge base's suggestions. */

const STATUS_LABEL: Record<string, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Pending (waiting on the requester)',
  on_hold: 'On hold with a vendor',
  resolved: 'Resolved',
  closed: 'Closed',
};

const Fact = ({ label, children }: { label: string; children: ComponentChildren }) => (
  <div>
    <dt>{label}</dt>
    <dd>{children}</dd>
  </div>
);

export const TicketFacts = () => {
  const { ticket } = useTicket();
  return (
    <section class="card desk-ticket-facts" aria-labelledby="facts-title">
      <h2 id="facts-title" class="visually-hidden">
        Details
      </h2>
      <p class="ticket-badges">
        <span class={`badge status-${ticket.status}`} data-status={ticket.status}>
          {STATUS_LABEL[ticket.status] ?? ticket.status}
        </span>{' '}
        <span class={`badge priority-${ticket.priority}`}>Priority {ticket.priority}</span>{' '}
        <span class="badge" data-tier={ticket.tier}>
          Tier {ticket.tier}
        </span>{' '}
        {ticket.status === 'resolved' || ticket.status === 'closed' ? null : <SlaBadge sla={ticket.sla} />}
      </p>
      <dl class="facts">
        <Fact label="Requester">{ticket.requester}</Fact>
        <Fact label="Watchers">{ticket.watchers.length ? ticket.watchers.join(', ') : 'none'}</Fact>
        <Fact label="Group">{ticket.group}</Fact>
        <Fact label="Assignee">{ticket.assignee ?? 'nobody yet'}</Fact>
        <Fact label="Category">{ticket.category ?? '—'}</Fact>
        <Fact label="Tags">{ticket.tags.length ? ticket.tags.join(', ') : '—'}</Fact>
        <Fact label="Impact / urgency">
          {ticket.impact} / {ticket.urgency}
        </Fact>
        <Fact label="Channel">{ticket.channel}</Fact>
        {ticket.vendorId && <Fact label="Vendor">{ticket.vendorId}</Fact>}
        {ticket.dueAt && <Fact label="Next deadline">{formatDateTime(ticket.dueAt)}</Fact>}
        <Fact label="Opened">{formatDateTime(ticket.createdAt)}</Fact>
        <Fact label="Last change">{formatDateTime(ticket.updatedAt)}</Fact>
        {ticket.pendingReason && <Fact label="Waiting for">{ticket.pendingReason}</Fact>}
        {ticket.resolution && <Fact label="Resolution">{ticket.resolution}</Fact>}
        {ticket.mergedInto && (
          <Fact label="Merged into">
            <a href={`/tickets/${ticket.mergedInto}`}>Ticket #{ticket.mergedInto}</a>
          </Fact>
        )}
        {ticket.linkedArticles && ticket.linkedArticles.length > 0 && (
          <Fact label="Linked articles">
            <ul class="inline-list">
              {ticket.linkedArticles.map((id) => (
                <li key={id}>
                  <a href={`/kb/${encodeURIComponent(id)}`}>Article {id}</a>
                </li>
              ))}
            </ul>
          </Fact>
        )}
      </dl>
      <h3>Description</h3>
      <div class="body description">{ticket.description}</div>
    </section>
  );
};

const CLOCK_LABEL: Record<string, string> = {
  response: 'First response (SLA)',
  first_response: 'First response (SLA)',
  next_response: 'Next response (SLA)',
  resolution: 'Resolution (SLA)',
  ola: 'Tier OLA',
};
const clockLabel = (clock: string, tier?: number) => {
  const name =
    CLOCK_LABEL[clock] ?? (clock.startsWith('uc_') ? `Vendor ${clock.slice(3)} (contract)` : clock);
  return clock === 'ola' && tier ? `Tier ${tier} OLA` : name;
};
const CLOCK_STATE: Record<string, string> = {
  running: 'running',
  paused: 'paused',
  met: 'met',
  breached: 'breached',
  stopped: 'stopped',
};

export const Clocks = ({ workflow }: { workflow: Loaded<WorkflowView> }) => {
  const { number } = useTicket();
  const view = workflow.data;
  const now = serverNow();
  return (
    <section class="card ticket-clocks" aria-labelledby="clocks-title">
      <h2 id="clocks-title">Clocks</h2>
      {workflow.error ? (
        <ErrorNotice error={workflow.error} retry={() => void workflow.reload()} />
      ) : !view ? (
        <Loading what="Loading the clocks" />
      ) : view.clocks.length === 0 ? (
        <p class="hint">No clocks yet: they start once the desk has triaged the ticket.</p>
      ) : (
        <table class="responsive clocks">
          <thead>
            <tr>
              <th scope="col">Clock</th>
              <th scope="col">State</th>
              <th scope="col">Due</th>
              <th scope="col">Used</th>
            </tr>
          </thead>
          <tbody>
            {view.clocks.map((clock) => (
              <tr key={clock.key} data-clock={clock.clock}>
                <td data-label="Clock">{clockLabel(clock.clock, clock.tier)}</td>
                <td data-label="State">
                  <span class={`badge clock-${clock.status}`}>
                    {CLOCK_STATE[clock.status] ?? clock.status}
                  </span>
                </td>
                <td data-label="Due">
                  {clock.deadline ? (
                    <>
                      {formatDateTime(clock.deadline)}
                      {clock.status === 'running' && (
                        <span class="hint"> ({formatRelative(clock.deadline, now)})</span>
                      )}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td data-label="Used">
                  {formatDuration(clock.elapsed)} of {formatDuration(clock.target)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {view?.nextClockEvent && (
        <p class="hint">
          Next: {view.nextClockEvent.kind} of{' '}
          {clockLabel(view.nextClockEvent.clock ?? '', view.nextClockEvent.tier)} at{' '}
          {formatDateTime(view.nextClockEvent.at)}.
        </p>
      )}
      <p>
        <a href={`/ops/tickets/${number}/workflow`}>The ticket's workflow as a picture</a>
      </p>
    </section>
  );
};

export const Suggestions = ({ suggestions }: { suggestions: Loaded<ArticleHits> }) => (
  <section class="card ticket-suggestions" aria-labelledby="suggestions-title">
    <h2 id="suggestions-title">Suggested articles</h2>
    <p class="hint">From the knowledge base, internal runbooks included.</p>
    {suggestions.error ? (
      <ErrorNotice error={suggestions.error} retry={() => void suggestions.reload()} />
    ) : !suggestions.data ? (
      <Loading what="Looking for articles" />
    ) : suggestions.data.items.length === 0 ? (
      <p class="hint">The knowledge base has nothing that matches this ticket.</p>
    ) : (
      <ArticleHitList hits={suggestions.data.items} headingLevel={3} />
    )}
  </section>
);
