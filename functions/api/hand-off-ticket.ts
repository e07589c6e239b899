import { HandoffBodySchema } from '#shared/http/schemas';
import { ticketAction } from '#shared/http/ticket-action';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { handOffTicket as handOff } from '#shared/tickets/ticket-actions';
import type { TicketDeps } from '#shared/tickets/ticket-service';

/** POST /tickets/{number}/handoff */
export const handOffTicket = (deps: TicketDeps) =>
  ticketAction(
    HandoffBodySchema,
    (principal, number, body, options) => handOff(deps, principal, number, body, options),
    {
      metric: 'VendorHandoffs',
      clock: deps.clock,
    },
  );

export const handler = handOffTicket(ticketDepsFromEnv());
