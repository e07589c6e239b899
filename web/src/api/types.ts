import type { output } from 'zod';
import type {
  TicketPageSchema,
  TicketViewSchema,
  TimelineEventSchema,
  TimelinePageSchema,
  WorkflowViewSchema,
} from '#shared/http/schemas';

/**
 * The console's types are the API's: inferred from the same zod schemas that validate requests
 * and generate the OpenAPI document (type-only imports — no schema code reaches the browser).
 */
export type TicketView = output<typeof TicketViewSchema>;
export type DeskTicket = Extract<TicketView, { view: 'desk' }>;
/** A ticket's next SLA target as the desk's views give it (`sla`): what a badge counts down. */
export type SlaSummary = NonNullable<DeskTicket['sla']>;
export type TicketPage = output<typeof TicketPageSchema>;
export type TimelineEvent = output<typeof TimelineEventSchema>;
export type TimelinePage = output<typeof TimelinePageSchema>;
export type WorkflowView = output<typeof WorkflowViewSchema>;

import type {
  AttachmentDownloadSchema,
  AttachmentUploadSchema,
  MeSchema,
  PresenceSchema,
} from '#shared/http/console-schemas';

export type Me = output<typeof MeSchema>;
export type Role = Me['role'];
export type Presence = output<typeof PresenceSchema>;
export type AttachmentUpload = output<typeof AttachmentUploadSchema>;
export type AttachmentDownload = output<typeof AttachmentDownloadSchema>;
