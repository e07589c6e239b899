import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { parseBody, parseHeader } from '#shared/http/request';
import { etag, json } from '#shared/http/responses';
import { CreateTicketBodySchema, IdempotencyKeySchema } from '#shared/http/schemas';
import { ticketView } from '#shared/http/views';
import { metrics } from '#shared/observability';
import { ticketDepsFromEnv } from '#shared/store/client';
import { openTicket, type TicketDeps } from '#shared/tickets/ticket-service';

/** POST /tickets */
export const createTicket = (deps: TicketDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const idempotencyKey = parseHeader(event, 'idempotency-key', IdempotencyKeySchema);
    const body = parseBody(event, CreateTicketBodySchema);
    const { ticket, replayed } = await openTicket(deps, principal, body, idempotencyKey);
    if (!replayed) metrics.addMetric('TicketsCreated', MetricUnit.Count, 1);
    return json(201, ticketView(ticket), {
      etag: etag(ticket.version),
      location: `/tickets/${ticket.number}`,
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
  });

export const handler = createTicket(ticketDepsFromEnv());
