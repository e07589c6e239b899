import { EscalateBodySchema } from '#shared/http/schemas';
import { ticketAction } from '#shared/http/ticket-action';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { escalateTicket as escalate } from '#shared/tickets/ticket-actions';
import type { TicketDeps } from '#shared/tickets/ticket-service';

/** POST /tickets/{number}/escalate */
export const escalateTicket = (deps: TicketDeps) =>
  ticketAction(
    EscalateBodySchema,
    (principal, number, body, options) => escalate(deps, principal, number, body, options),
    {
      metric: 'TicketsEscalated',
      clock: deps.clock,
    },
  );

export const handler = escalateTicket(ticketDepsFromEnv());
