import { principalOf } from '#shared/auth/identity';
import type { TicketDeps } from '#shared/tickets/ticket-service';
import type { Me } from './console-schemas.ts';
import { json } from './responses.ts';
import { routeGroup } from './route-group.ts';

/** The routes the console needs beyond the ticket API: one Lambda function, `functions/api/console.ts`. */
export const consoleRoutes = (deps: TicketDeps) =>
  routeGroup({
    'get-me': async (event) => {
      const principal = principalOf(event);
      // Someone the directory does not know is a requester, with no entry to show.
      const entry = await deps.directory.getUser(principal.id);
      const me: Me = {
        email: principal.id,
        name: entry?.name,
        role: [...principal.roles][0] ?? 'requester',
        tiers: [...principal.tiers],
        groups: entry?.groups ?? [],
        timeZone: entry?.timeZone,
      };
      return json(200, me);
    },
  });
