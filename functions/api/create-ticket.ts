import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { parseBody, parseHeader } from '#shared/http/request';
import { etag, json } from '#shared/http/responses';
import { CreateTicketBodySchema, IdempotencyKeySchema } from '#shared/http/schemas';
import { ticketViewFor } from '#shared/http/views';
import { MetricUnit, metrics } from '#shared/runtime/observability';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { openTicket, type TicketDeps } from '#shared/tickets/ticket-service';

/**
 * POST /tickets: the new ticket, answered as soon as it is stored. The articles that may already
 * answer it are the ticket's own request (`GET /tickets/{number}/suggestions`), which the
 * requester's ticket page makes right away: no search, nor a search index to load, stands
 * between a requester and their ticket number.
 */
export const createTicket = (deps: TicketDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const idempotencyKey = parseHeader(event, 'idempotency-key', IdempotencyKeySchema);
    const body = parseBody(event, CreateTicketBodySchema);
    const { ticket, replayed } = await openTicket(deps, principal, body, idempotencyKey);
    if (!replayed) metrics.addMetric('TicketsCreated', MetricUnit.Count, 1);
    return json(201, ticketViewFor(principal, ticket), {
      etag: etag(ticket.version),
      location: `/tickets/${ticket.number}`,
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
  });

export const handler = createTicket(ticketDepsFromEnv());
