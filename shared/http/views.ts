import type { Ticket } from '#shared/domain/ticket';
import type { TimelineEvent } from '#shared/domain/timeline';
import type { Page } from '#shared/store/query-page';
import { TicketSchema, TimelineEventSchema } from './schemas.ts';

/**
 * What leaves the API: the response schemas strip everything they do not name (storage-only
 * fields such as `priorityOverridden` or `createdBy`), so a new internal field cannot leak by default.
 */
export const ticketView = (ticket: Ticket) => TicketSchema.parse(ticket);
export const eventView = (event: TimelineEvent) => TimelineEventSchema.parse(event);
export const pageView = <T, V>(page: Page<T>, view: (item: T) => V) => ({
  items: page.items.map(view),
  ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
});
