import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { PersonPathSchema } from '#shared/http/people-schemas';
import { personResponse } from '#shared/http/people-views';
import { parsePath } from '#shared/http/request';
import { getPerson } from '#shared/people/people-service';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import type { TicketDeps } from '#shared/tickets/ticket-service';

/** GET /admin/users/{email} */
export const getUser = (deps: TicketDeps) =>
  apiHandler(async (event) => {
    const { email } = parsePath(event, PersonPathSchema);
    return personResponse(await getPerson(deps, principalOf(event), email));
  });

export const handler = getUser(ticketDepsFromEnv());
