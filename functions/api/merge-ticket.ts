import { MergeBodySchema } from '#shared/http/schemas';
import { ticketAction } from '#shared/http/ticket-action';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { mergeTicket as merge } from '#shared/tickets/ticket-actions';
import type { TicketDeps } from '#shared/tickets/ticket-service';

/** POST /tickets/{number}/merge */
export const mergeTicket = (deps: TicketDeps) =>
  ticketAction(
    MergeBodySchema,
    (principal, number, body, options) => merge(deps, principal, number, body, options),
    {
      metric: 'TicketsMerged',
      clock: deps.clock,
    },
  );

export const handler = mergeTicket(ticketDepsFromEnv());
