import { principalOf } from '#shared/auth/identity';
import { type AttachmentDeps, attachmentDownload, requestUpload } from '#shared/tickets/attachment-service';
import { announcePresence, leavePresence, ticketPresence } from '#shared/tickets/presence';
import type { TicketDeps } from '#shared/tickets/ticket-service';
import {
  AttachmentDownloadSchema,
  AttachmentPathSchema,
  AttachmentRequestSchema,
  AttachmentUploadSchema,
  type Me,
  PresenceBodySchema,
  PresenceSchema,
} from './console-schemas.ts';
import { parseBody, parsePath } from './request.ts';
import { json } from './responses.ts';
import { routeGroup } from './route-group.ts';
import { TicketPathSchema } from './schemas.ts';

/**
 * The routes the console needs beyond the ticket API: one Lambda function, `functions/api/console.ts`.
 * `files` is where attachment files are kept (the stack sets the bucket for this function).
 */
export const consoleRoutes = (deps: TicketDeps) => {
  const withFiles = (): AttachmentDeps => {
    if (!deps.files) throw new Error('No attachment bucket is configured for this function.');
    return { ...deps, files: deps.files };
  };
  return routeGroup({
    'get-me': async (event) => {
      const principal = principalOf(event);
      // Someone the directory does not know is a requester, with no entry to show.
      const entry = await deps.directory.getUser(principal.id);
      const me: Me = {
        email: principal.id,
        name: entry?.name,
        role: [...principal.roles][0] ?? 'requester',
        tiers: [...principal.tiers],
        groups: entry?.groups ?? [],
        timeZone: entry?.timeZone,
      };
      return json(200, me);
    },
    'put-presence': async (event) => {
      const { number } = parsePath(event, TicketPathSchema);
      const { state } = parseBody(event, PresenceBodySchema);
      const presence = await announcePresence(deps, principalOf(event), number, state);
      return json(200, PresenceSchema.parse(presence));
    },
    'get-presence': async (event) => {
      const { number } = parsePath(event, TicketPathSchema);
      return json(200, PresenceSchema.parse(await ticketPresence(deps, principalOf(event), number)));
    },
    'delete-presence': async (event) => {
      const { number } = parsePath(event, TicketPathSchema);
      await leavePresence(deps, principalOf(event), number);
      return { statusCode: 204 };
    },
    'create-attachment': async (event) => {
      const { number } = parsePath(event, TicketPathSchema);
      const body = parseBody(event, AttachmentRequestSchema);
      const upload = await requestUpload(withFiles(), principalOf(event), number, body);
      return json(201, AttachmentUploadSchema.parse(upload));
    },
    'get-attachment': async (event) => {
      const { number, id } = parsePath(event, AttachmentPathSchema);
      const download = await attachmentDownload(withFiles(), principalOf(event), number, id);
      return json(200, AttachmentDownloadSchema.parse(download), { 'cache-control': 'no-store' });
    },
  });
};
