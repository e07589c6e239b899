import type { DeskTicket, Presence } from '../../api/types.ts';

/**
 * The ticket page's names for the API's types: the desk view of the ticket, presence entries, and
 * a file as a timeline event lists it (`data` is free-form per event type).
 */

export type Ticket = DeskTicket;

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
