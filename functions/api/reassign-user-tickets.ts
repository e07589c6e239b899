import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { PersonPathSchema, ReassignBodySchema } from '#shared/http/people-schemas';
import { parseBody, parsePath } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { reassignTickets } from '#shared/people/people-service';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import type { TicketDeps } from '#shared/tickets/ticket-service';

/** POST /admin/users/{email}/reassign { to } | { group } */
export const reassignUserTickets = (deps: TicketDeps) =>
  apiHandler(async (event) => {
    const { email } = parsePath(event, PersonPathSchema);
    const body = parseBody(event, ReassignBodySchema);
    return json(200, await reassignTickets(deps, principalOf(event), email, body));
  });

export const handler = reassignUserTickets(ticketDepsFromEnv());
