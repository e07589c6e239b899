import { CloseBodySchema } from '#shared/http/schemas';
import { ticketAction } from '#shared/http/ticket-action';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { closeTicket as close } from '#shared/tickets/ticket-actions';
import type { TicketDeps } from '#shared/tickets/ticket-service';

/** POST /tickets/{number}/close */
export const closeTicket = (deps: TicketDeps) =>
  ticketAction(
    CloseBodySchema,
    (principal, number, body, options) => close(deps, principal, number, body, options),
    {
      metric: 'TicketsClosed',
      clock: deps.clock,
      bodyOptional: true,
    },
  );

export const handler = closeTicket(ticketDepsFromEnv());
