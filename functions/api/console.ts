import { consoleRoutes } from '#shared/http/console-routes';
import { ticketDepsFromEnv } from '#shared/tickets/deps';

/** The console's own routes: `GET /me`, … (see `fn` in the route table). */
export const handler = consoleRoutes(ticketDepsFromEnv());
