import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { DeflectionBodySchema } from '#shared/http/kb-schemas';
import { parseBody } from '#shared/http/request';
import { etag, json } from '#shared/http/responses';
import { ticketViewFor } from '#shared/http/views';
import { articleStoreFromEnv } from '#shared/kb/kb-deps';
import { type KbTicketDeps, recordDeflection as record } from '#shared/kb/kb-service';
import { MetricUnit, metrics } from '#shared/runtime/observability';
import { ticketDepsFromEnv } from '#shared/tickets/deps';

/** POST /kb/deflections: "this article solved it" (once a day), before filing or with the caller's own ticket */
export const recordDeflection = (deps: KbTicketDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const body = parseBody(event, DeflectionBodySchema);
    const deflection = await record(deps, principal, body);
    if (deflection.counted) metrics.addMetric('Deflections', MetricUnit.Count, 1);
    if (deflection.selfServed) metrics.addMetric('TicketsSelfServed', MetricUnit.Count, 1);
    const { articleId, selfServed, counted, ticket } = deflection;
    // `DeflectionResult`; the ticket as this caller may see it.
    return json(
      counted ? 201 : 200,
      { articleId, selfServed, counted, ...(ticket && { ticket: ticketViewFor(principal, ticket) }) },
      ticket ? { etag: etag(ticket.version) } : {},
    );
  });

export const handler = recordDeflection({ ...ticketDepsFromEnv(), articles: articleStoreFromEnv() });
