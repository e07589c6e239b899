import { principalOf } from '#shared/auth/identity';
import type { Clock } from '#shared/domain/clock';
import type { Principal } from '#shared/domain/principal';
import type { Ticket } from '#shared/domain/ticket';
import { MetricUnit, metrics } from '#shared/runtime/observability';
import * as z from '#shared/runtime/zod';
import { apiHandler } from './api-handler.ts';
import { ifMatchCondition, parseBody, parsePath } from './request.ts';
import { etag, json } from './responses.ts';
import { TicketPathSchema } from './schemas.ts';
import { ticketViewFor } from './views.ts';

/**
 * The shape every lifecycle action shares (`POST /tickets/{number}/<action>`): path, body and an
 * optional If-Match in; the changed ticket and its ETag out. Without If-Match (or with `*`) the
 * action applies to the current version, which the domain re-checks; with an ETag, a stale
 * version is a 412. The ticket is answered in the caller's view (`ticketViewFor`).
 */
export const ticketAction = <S extends z.core.$ZodType>(
  schema: S,
  perform: (
    principal: Principal,
    number: number,
    body: z.output<S>,
    options: { expectedVersion?: number },
  ) => Promise<Ticket>,
  settings: {
    /** Counted once per successful action. */
    metric: string;
    /** The desk's clock: the SLA summary of the answer is computed as of now. */
    clock: Clock;
    /** The whole body may be left out (the schema must then accept `{}`). */
    bodyOptional?: boolean;
  },
) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { number } = parsePath(event, TicketPathSchema);
    const body =
      settings.bodyOptional && !event.body?.trim() ? z.parse(schema, {}) : parseBody(event, schema);
    const ticket = await perform(principal, number, body, ifMatchCondition(event));
    metrics.addMetric(settings.metric, MetricUnit.Count, 1);
    return json(200, ticketViewFor(principal, ticket, settings.clock.now()), {
      etag: etag(ticket.version),
    });
  });
