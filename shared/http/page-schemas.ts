import * as z from '#shared/runtime/zod';
import { pageSchema } from './request-schemas.ts';
import { TicketViewSchema, TimelineEventSchema } from './view-schemas.ts';

export const TicketPageSchema = /* @__PURE__ */ z.built(() => pageSchema(TicketViewSchema, 'TicketPage'));
export const TimelinePageSchema = /* @__PURE__ */ z.built(() =>
  pageSchema(TimelineEventSchema, 'TimelinePage'),
);
