import type { DeskTicket } from '../../api/types.ts';
import type { SlaSummary } from '../../ui/sla-badge.tsx';

/**
 * What the ticket page reads beyond the schemas in `#shared/http` today: the presence and
 * attachment routes and the desk view's `sla` summary, as their contracts state them. When their
 * schemas land these become `output<typeof …>` in `api/types.ts`.
 */

/** The desk view with its next SLA target (`SlaBadge`). */
export type Ticket = DeskTicket & { sla?: SlaSummary };

export type PresenceState = 'viewing' | 'replying';

export interface PresenceItem {
  email: string;
  name?: string;
  state: PresenceState;
  since: string;
  expiresAt: string;
}

/** `PUT|GET /tickets/{n}/presence`: who has the ticket open, and the ticket's current version. */
export interface PresenceAnswer {
  ticketVersion: number;
  items: PresenceItem[];
}

/** `POST /tickets/{n}/attachments`: where the browser uploads the file (an S3 presigned POST). */
export interface AttachmentSlot {
  id: string;
  upload: { url: string; fields: Record<string, string> };
  maxBytes: number;
}

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

/** `GET /tickets/{n}/attachments/{id}`: a short-lived download address. */
export interface AttachmentLink {
  url: string;
}
