import { pageSchema } from './request-schemas.ts';
import { TicketViewSchema, TimelineEventSchema } from './view-schemas.ts';

export const TicketPageSchema = pageSchema(TicketViewSchema, 'TicketPage');
export const TimelinePageSchema = pageSchema(TimelineEventSchema, 'TimelinePage');
