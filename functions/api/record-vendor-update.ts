import { VendorUpdateBodySchema } from '#shared/http/schemas';
import { ticketAction } from '#shared/http/ticket-action';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { recordVendorAnswer } from '#shared/tickets/ticket-actions';
import type { TicketDeps } from '#shared/tickets/ticket-service';

/** POST /tickets/{number}/vendor-update */
export const recordVendorUpdate = (deps: TicketDeps) =>
  ticketAction(
    VendorUpdateBodySchema,
    (principal, number, body, options) => recordVendorAnswer(deps, principal, number, body, options),
    {
      metric: 'VendorUpdates',
      clock: deps.clock,
    },
  );

export const handler = recordVendorUpdate(ticketDepsFromEnv());
