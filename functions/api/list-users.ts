import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { ListPeopleQuerySchema, PersonSchema } from '#shared/http/people-schemas';
import { parseQuery } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { pageView } from '#shared/http/views';
import { listPeople } from '#shared/people/people-service';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import type { TicketDeps } from '#shared/tickets/ticket-service';

/** GET /admin/users?role=&group=&active=&cursor=&limit= */
export const listUsers = (deps: TicketDeps) =>
  apiHandler(async (event) => {
    const { limit, cursor, ...filter } = parseQuery(event, ListPeopleQuerySchema);
    const page = await listPeople(deps, principalOf(event), filter, { limit, cursor });
    return json(
      200,
      pageView(page, (user) => PersonSchema.parse(user)),
    );
  });

export const handler = listUsers(ticketDepsFromEnv());
