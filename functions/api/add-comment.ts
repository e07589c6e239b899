import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { parseBody, parsePath } from '#shared/http/request';
import { etag, json } from '#shared/http/responses';
import { CommentBodySchema, TicketPathSchema } from '#shared/http/schemas';
import { eventView } from '#shared/http/views';
import { MetricUnit, metrics } from '#shared/runtime/observability';
import { attachmentFilesFromEnv } from '#shared/tickets/attachment-deps';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { addComment as comment, type TicketDeps } from '#shared/tickets/ticket-service';

/** POST /tickets/{number}/comments, with the uploaded files it lists */
export const addComment = (deps: TicketDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { number } = parsePath(event, TicketPathSchema);
    const body = parseBody(event, CommentBodySchema);
    const { ticket, event: added } = await comment(deps, principal, number, body);
    metrics.addMetric(added.public ? 'PublicReplies' : 'InternalNotes', MetricUnit.Count, 1);
    return json(201, eventView(added), { etag: etag(ticket.version) });
  });

// The files a comment lists are checked as stored (HeadObject) before it is written.
export const handler = addComment({ ...ticketDepsFromEnv(), files: attachmentFilesFromEnv() });
