import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { parsePath } from '#shared/http/request';
import { etag, json } from '#shared/http/responses';
import { TicketPathSchema } from '#shared/http/schemas';
import { ticketViewFor } from '#shared/http/views';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { type TicketDeps, visibleTicket } from '#shared/tickets/ticket-service';

/** GET /tickets/{number} */
export const getTicket = (deps: TicketDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { number } = parsePath(event, TicketPathSchema);
    const ticket = await visibleTicket(deps, principal, number);
    return json(200, ticketViewFor(principal, ticket, deps.clock.now()), { etag: etag(ticket.version) });
  });

export const handler = getTicket(ticketDepsFromEnv());
