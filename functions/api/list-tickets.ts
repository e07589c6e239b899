import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { parseQuery } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { ListTicketsQuerySchema } from '#shared/http/schemas';
import { pageView, ticketViewFor } from '#shared/http/views';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { listTickets as list, type TicketDeps } from '#shared/tickets/ticket-service';

/** GET /tickets?view=mine|queue|assigned */
export const listTickets = (deps: TicketDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const query = parseQuery(event, ListTicketsQuerySchema);
    return json(
      200,
      pageView(await list(deps, principal, query), (ticket) => ticketViewFor(principal, ticket)),
    );
  });

export const handler = listTickets(ticketDepsFromEnv());
