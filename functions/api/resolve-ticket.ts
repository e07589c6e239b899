import { ResolveBodySchema } from '#shared/http/schemas';
import { ticketAction } from '#shared/http/ticket-action';
import { articleStoreFromEnv } from '#shared/kb/kb-deps';
import { type KbTicketDeps, resolveDocumentingFix } from '#shared/kb/kb-service';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { resolveTicket as resolve } from '#shared/tickets/ticket-actions';

/** POST /tickets/{number}/resolve, with `documentFix`: and a draft article written from it */
export const resolveTicket = (deps: KbTicketDeps) =>
  ticketAction(
    ResolveBodySchema,
    (principal, number, { documentFix, ...body }, options) =>
      documentFix
        ? resolveDocumentingFix(deps, principal, number, body, options)
        : resolve(deps, principal, number, body, options),
    {
      metric: 'TicketsResolved',
      clock: deps.clock,
    },
  );

export const handler = resolveTicket({ ...ticketDepsFromEnv(), articles: articleStoreFromEnv() });
