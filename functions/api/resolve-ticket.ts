import { ResolveBodySchema } from '#shared/http/schemas';
import { ticketAction } from '#shared/http/ticket-action';
import { ticketDepsFromEnv } from '#shared/store/client';
import { resolveTicket as resolve } from '#shared/tickets/ticket-actions';
import type { TicketDeps } from '#shared/tickets/ticket-service';

/** POST /tickets/{number}/resolve */
export const resolveTicket = (deps: TicketDeps) =>
  ticketAction(
    ResolveBodySchema,
    (principal, number, body, options) => resolve(deps, principal, number, body, options),
    {
      metric: 'TicketsResolved',
    },
  );

export const handler = resolveTicket(ticketDepsFromEnv());
