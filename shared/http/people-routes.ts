import { principalOf } from '#shared/auth/identity';
import {
  getPerson,
  listPeople,
  openTicketsOf,
  type PeopleDeps,
  putPerson,
  reassignTickets,
  setActive,
} from '#shared/people/people-service';
import {
  ListPeopleQuerySchema,
  PersonBodySchema,
  PersonPathSchema,
  PersonSchema,
  ReassignBodySchema,
} from './people-schemas.ts';
import { personResponse } from './people-views.ts';
import { hasIfMatch, ifMatchCondition, parseBody, parsePath, parseQuery } from './request.ts';
import { json } from './responses.ts';
import { routeGroup } from './route-group.ts';
import { PageQuerySchema } from './schemas.ts';
import { pageView, ticketView } from './views.ts';

/** The people directory's routes (`/admin/users…`, admins): one Lambda, `functions/api/admin-people.ts`. */
export const peopleRoutes = (deps: PeopleDeps) => {
  const setState = (active: boolean) => async (event: Parameters<typeof principalOf>[0]) => {
    const { email } = parsePath(event, PersonPathSchema);
    return personResponse(await setActive(deps, principalOf(event), email, active));
  };
  return routeGroup({
    'list-users': async (event) => {
      const { limit, cursor, ...filter } = parseQuery(event, ListPeopleQuerySchema);
      const page = await listPeople(deps, principalOf(event), filter, { limit, cursor });
      return json(
        200,
        pageView(page, (user) => PersonSchema.parse(user)),
      );
    },
    'get-user': async (event) => {
      const { email } = parsePath(event, PersonPathSchema);
      return personResponse(await getPerson(deps, principalOf(event), email));
    },
    // Creates without If-Match, changes with it (428 without, 412 when stale).
    'put-user': async (event) => {
      const { email } = parsePath(event, PersonPathSchema);
      const body = parseBody(event, PersonBodySchema);
      const ifMatch = hasIfMatch(event) ? ifMatchCondition(event) : undefined;
      const { user, created } = await putPerson(deps, principalOf(event), email, body, ifMatch);
      return created
        ? personResponse(user, 201, { location: `/admin/users/${encodeURIComponent(email)}` })
        : personResponse(user);
    },
    // Idempotent; their tickets stay theirs until reassigned.
    'deactivate-user': setState(false),
    'reactivate-user': setState(true),
    'list-user-open-tickets': async (event) => {
      const { email } = parsePath(event, PersonPathSchema);
      const page = await openTicketsOf(deps, principalOf(event), email, parseQuery(event, PageQuerySchema));
      // The desk's time for each ticket's SLA summary, as the queues give it.
      const asOf = deps.clock.now();
      return json(
        200,
        pageView(page, (ticket) => ticketView(ticket, asOf)),
      );
    },
    'reassign-user-tickets': async (event) => {
      const { email } = parsePath(event, PersonPathSchema);
      const body = parseBody(event, ReassignBodySchema);
      return json(200, await reassignTickets(deps, principalOf(event), email, body));
    },
  });
};
