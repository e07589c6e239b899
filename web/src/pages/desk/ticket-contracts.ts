import type { DeskTicket, Presence } from '../../api/types.ts';
import type { SlaSummary } from '../../ui/sla-badge.tsx';

/**
 * The ticket page's types beyond `api/types.ts`: the desk view with its SLA summary (until the
 * view's schema names `sla`), presence entries, and a file as a timeline event lists it (`data`
 * is free-form per event type).
 */

/** The desk view with its next SLA target (`SlaBadge`). */
export type Ticket = DeskTicket & { sla?: SlaSummary };

export type PresenceItem = Presence['items'][number];
export type PresenceState = PresenceItem['state'];

/**
 * A file on a timeline event (`data.attachments`): an upload lists `id` and `filename`; the mail
 * intake lists `name` and its `key` (`attachments/<n>/<id>/<name>`), or why it `skipped` one.
 */
export interface AttachmentRef {
  id?: string;
  filename?: string;
  name?: string;
  key?: string;
  size?: number;
  contentType?: string;
  skipped?: string;
}
