import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { PersonPathSchema } from '#shared/http/people-schemas';
import { parsePath, parseQuery } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { PageQuerySchema } from '#shared/http/schemas';
import { pageView, ticketView } from '#shared/http/views';
import { openTicketsOf } from '#shared/people/people-service';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import type { TicketDeps } from '#shared/tickets/ticket-service';

/** GET /admin/users/{email}/open-tickets (by deadline) */
export const listUserOpenTickets = (deps: TicketDeps) =>
  apiHandler(async (event) => {
    const { email } = parsePath(event, PersonPathSchema);
    const page = await openTicketsOf(deps, principalOf(event), email, parseQuery(event, PageQuerySchema));
    return json(200, pageView(page, ticketView));
  });

export const handler = listUserOpenTickets(ticketDepsFromEnv());
