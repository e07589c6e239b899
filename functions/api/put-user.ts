import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { parseBody, parsePath } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { PutUserBodySchema, UserPathSchema } from '#shared/http/schemas';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { putDirectoryUser, type TicketDeps } from '#shared/tickets/ticket-service';

/** PUT /users/{email} (admins) */
export const putUser = (deps: TicketDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { email } = parsePath(event, UserPathSchema);
    const body = parseBody(event, PutUserBodySchema);
    return json(200, await putDirectoryUser(deps, principal, email, body));
  });

export const handler = putUser(ticketDepsFromEnv());
