import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { parseBody, parsePath, requireIfMatch } from '#shared/http/request';
import { etag, json } from '#shared/http/responses';
import { TicketPathSchema, UpdateTicketBodySchema } from '#shared/http/schemas';
import { ticketViewFor } from '#shared/http/views';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { type TicketDeps, updateTicket as update } from '#shared/tickets/ticket-service';

/** PATCH /tickets/{number} with If-Match (an ETag, or `*` for whatever version is current) */
export const updateTicket = (deps: TicketDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { number } = parsePath(event, TicketPathSchema);
    const body = parseBody(event, UpdateTicketBodySchema);
    const condition = requireIfMatch(event);
    const ticket = await update(deps, principal, number, body, condition);
    return json(200, ticketViewFor(principal, ticket, deps.clock.now()), { etag: etag(ticket.version) });
  });

export const handler = updateTicket(ticketDepsFromEnv());
