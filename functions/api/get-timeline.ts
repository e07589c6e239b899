import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { parsePath, parseQuery } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { PageQuerySchema, TicketPathSchema } from '#shared/http/schemas';
import { eventView, pageView } from '#shared/http/views';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { type TicketDeps, ticketTimeline } from '#shared/tickets/ticket-service';

/** GET /tickets/{number}/timeline */
export const getTimeline = (deps: TicketDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { number } = parsePath(event, TicketPathSchema);
    const page = parseQuery(event, PageQuerySchema);
    return json(200, pageView(await ticketTimeline(deps, principal, number, page), eventView));
  });

export const handler = getTimeline(ticketDepsFromEnv());
