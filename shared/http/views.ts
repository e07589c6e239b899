import { seesDeskView } from '#shared/domain/policy';
import type { Principal } from '#shared/domain/principal';
import { slaSummary } from '#shared/domain/sla-summary';
import type { Ticket } from '#shared/domain/ticket';
import type { TimelineEvent } from '#shared/domain/timeline';
import type * as z from '#shared/runtime/zod';
import type { Page } from '#shared/store/query-page';
import { project } from './projection.ts';
import type { RequesterTicketSchema, TicketSchema, TimelineEventSchema } from './view-schemas.ts';
import { REQUESTER_TICKET_SHAPE, TICKET_SHAPE, TIMELINE_EVENT_SHAPE } from './view-shapes.ts';

/**
 * What leaves the API: each view carries only the fields its response schema names (storage-only
 * fields such as `priorityOverridden` or `createdBy` stay behind), so a new internal field cannot
 * leak by default. The views are projections onto the schemas' fields (`view-shapes.ts`).
 */

type TicketView = z.output<typeof TicketSchema>;
type RequesterTicketView = z.output<typeof RequesterTicketSchema>;
type TimelineEventView = z.output<typeof TimelineEventSchema>;

/**
 * The desk's view of a ticket: every field a person works with and, given the desk's time
 * (`asOf`, from the handler's clock), the SLA summary its badge counts down — computed from the
 * clock facts and the policy the ticket stores, so a list costs no read beyond its tickets.
 */
export const ticketView = (ticket: Ticket, asOf?: Date) => {
  const sla = asOf && slaSummary(ticket, asOf);
  return project<TicketView>(TICKET_SHAPE, { ...ticket, view: 'desk', ...(sla && { sla }) });
};

/**
 * The requester's view: the fields `RequesterTicketSchema` names and nothing else (no triage, no
 * routing, no desk people or drafts); what its requester and watchers get in every response.
 */
export const requesterTicketView = (ticket: Ticket) =>
  project<RequesterTicketView>(REQUESTER_TICKET_SHAPE, { ...ticket, view: 'requester' });

/**
 * The ticket as this caller may see it, for every response that carries a ticket: the desk's view
 * for its staff, the requester's view for its requester and watchers (`seesDeskView`).
 */
export const ticketViewFor = (principal: Principal, ticket: Ticket, asOf?: Date) =>
  seesDeskView(principal, ticket) ? ticketView(ticket, asOf) : requesterTicketView(ticket);

export const eventView = (event: TimelineEvent) => project<TimelineEventView>(TIMELINE_EVENT_SHAPE, event);
export const pageView = <T, V>(page: Page<T>, view: (item: T) => V) => ({
  items: page.items.map(view),
  ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
});
