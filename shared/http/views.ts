import { seesDeskView } from '#shared/domain/policy';
import type { Principal } from '#shared/domain/principal';
import type { Ticket } from '#shared/domain/ticket';
import type { TimelineEvent } from '#shared/domain/timeline';
import type { Page } from '#shared/store/query-page';
import { RequesterTicketSchema, TicketSchema, TimelineEventSchema } from './schemas.ts';

/**
 * What leaves the API: the response schemas strip everything they do not name (storage-only
 * fields such as `priorityOverridden` or `createdBy`), so a new internal field cannot leak by default.
 */

/** The desk's view of a ticket: every field a person works with. */
export const ticketView = (ticket: Ticket) => TicketSchema.parse({ ...ticket, view: 'desk' });

/**
 * The requester's view: the fields `RequesterTicketSchema` names and nothing else (no triage, no
 * routing, no desk people or drafts); what its requester and watchers get in every response.
 */
export const requesterTicketView = (ticket: Ticket) =>
  RequesterTicketSchema.parse({ ...ticket, view: 'requester' });

/**
 * The ticket as this caller may see it, for every response that carries a ticket: the desk's view
 * for its staff, the requester's view for its requester and watchers (`seesDeskView`).
 */
export const ticketViewFor = (principal: Principal, ticket: Ticket) =>
  seesDeskView(principal, ticket) ? ticketView(ticket) : requesterTicketView(ticket);

export const eventView = (event: TimelineEvent) => TimelineEventSchema.parse(event);
export const pageView = <T, V>(page: Page<T>, view: (item: T) => V) => ({
  items: page.items.map(view),
  ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
});
