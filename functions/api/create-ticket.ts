import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { createdTicketView } from '#shared/http/kb-views';
import { parseBody, parseHeader } from '#shared/http/request';
import { etag, json } from '#shared/http/responses';
import { CreateTicketBodySchema, IdempotencyKeySchema } from '#shared/http/schemas';
import { kbIndexFromEnv } from '#shared/kb/kb-deps';
import { type KbDeps, publicSuggestions } from '#shared/kb/kb-service';
import { metrics } from '#shared/runtime/observability';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { openTicket, type TicketDeps } from '#shared/tickets/ticket-service';

/**
 * POST /tickets: the new ticket, and the public articles that may already answer it (none when
 * the deps carry no index, or the index is unavailable: ticket creation never fails on search).
 */
export const createTicket = (deps: TicketDeps & Partial<Pick<KbDeps, 'index'>>) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const idempotencyKey = parseHeader(event, 'idempotency-key', IdempotencyKeySchema);
    const body = parseBody(event, CreateTicketBodySchema);
    const { ticket, replayed } = await openTicket(deps, principal, body, idempotencyKey);
    if (!replayed) metrics.addMetric('TicketsCreated', MetricUnit.Count, 1);
    const suggestions = deps.index ? await publicSuggestions(deps.index, ticket) : [];
    return json(201, createdTicketView(principal, ticket, suggestions), {
      etag: etag(ticket.version),
      location: `/tickets/${ticket.number}`,
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
  });

export const handler = createTicket({ ...ticketDepsFromEnv(), index: kbIndexFromEnv() });
