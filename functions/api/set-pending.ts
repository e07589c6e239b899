import { PendingBodySchema } from '#shared/http/schemas';
import { ticketAction } from '#shared/http/ticket-action';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { setTicketPending } from '#shared/tickets/ticket-actions';
import type { TicketDeps } from '#shared/tickets/ticket-service';

/** POST /tickets/{number}/pending */
export const setPending = (deps: TicketDeps) =>
  ticketAction(
    PendingBodySchema,
    (principal, number, body, options) => setTicketPending(deps, principal, number, body, options),
    {
      metric: 'TicketsPending',
      clock: deps.clock,
    },
  );

export const handler = setPending(ticketDepsFromEnv());
