import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { parseQuery } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { ListTicketsQuerySchema } from '#shared/http/schemas';
import { pageView, ticketViewFor } from '#shared/http/views';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { listTickets as list, type TicketDeps } from '#shared/tickets/ticket-service';

/** GET /tickets?view=mine|queue|assigned|all */
export const listTickets = (deps: TicketDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const query = parseQuery(event, ListTicketsQuerySchema);
    const page = await list(deps, principal, query);
    // One instant for the whole page: every SLA badge of a list counts from the same moment.
    const asOf = deps.clock.now();
    return json(
      200,
      pageView(page, (ticket) => ticketViewFor(principal, ticket, asOf)),
    );
  });

export const handler = listTickets(ticketDepsFromEnv());
