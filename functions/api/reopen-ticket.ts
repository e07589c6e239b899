import { ReopenBodySchema } from '#shared/http/schemas';
import { ticketAction } from '#shared/http/ticket-action';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { reopenTicket as reopen } from '#shared/tickets/ticket-actions';
import type { TicketDeps } from '#shared/tickets/ticket-service';

/** POST /tickets/{number}/reopen */
export const reopenTicket = (deps: TicketDeps) =>
  ticketAction(
    ReopenBodySchema,
    (principal, number, body, options) => reopen(deps, principal, number, body, options),
    {
      metric: 'TicketsReopened',
      clock: deps.clock,
    },
  );

export const handler = reopenTicket(ticketDepsFromEnv());
