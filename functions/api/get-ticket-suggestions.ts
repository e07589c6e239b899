import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { hitsView } from '#shared/http/kb-schemas';
import { parsePath } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { TicketPathSchema } from '#shared/http/schemas';
import { kbIndexDepsFromEnv } from '#shared/kb/kb-deps';
import { type KbDeps, ticketSuggestions } from '#shared/kb/kb-service';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import type { TicketDeps } from '#shared/tickets/ticket-service';

/** How many articles a ticket's page suggests. */
const SUGGESTIONS = 5;

/** GET /tickets/{number}/suggestions: articles for the ticket (agents also get internal ones) */
export const getTicketSuggestions = (deps: TicketDeps & Pick<KbDeps, 'index'>) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { number } = parsePath(event, TicketPathSchema);
    return json(200, hitsView(await ticketSuggestions(deps, principal, number, SUGGESTIONS)));
  });

export const handler = getTicketSuggestions({ ...ticketDepsFromEnv(), ...kbIndexDepsFromEnv() });
