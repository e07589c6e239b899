import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { principalOf } from '#shared/auth/identity';
import { type OpsDeps, requireOperator } from '#shared/ops/operations';
import {
  jobStatus,
  listExecutions,
  redriveExecution,
  requestJob,
  restartExecution,
  ticketExecutions,
} from '#shared/ops/ops-service';
import type * as z from '#shared/runtime/zod';
import type { ApiFunction } from './api-handler.ts';
import {
  BulkRedriveBodySchema,
  JobPathSchema,
  ListExecutionsQuerySchema,
  OperatorActionBodySchema,
  ReconcileBodySchema,
} from './ops-schemas.ts';
import { parseBody, parsePath, parseQuery } from './request.ts';
import { json } from './responses.ts';
import { routeGroup } from './route-group.ts';
import { TicketPathSchema } from './schemas.ts';

/**
 * The operations routes (`/ops/…`): one Lambda function, `functions/api/ops.ts`. On-call ops,
 * supervisors and admins list and repair the ticket workflows; jobs answer 202 and run on.
 */

const optionalBody = <S extends z.ZodMiniType>(event: APIGatewayProxyEventV2, schema: S): z.output<S> =>
  event.body?.trim() ? parseBody(event, schema) : (schema.parse({}) as z.output<S>);

const accepted = (job: { id: string }) => json(202, job, { Location: `/ops/jobs/${job.id}` });

/** Who may operate is decided before anything is read, so a refused caller learns nothing more. */
const operator =
  (fn: ApiFunction): ApiFunction =>
  (event, context) => {
    requireOperator(principalOf(event));
    return fn(event, context);
  };

const operatorRoutes = (routes: Parameters<typeof routeGroup>[0]) =>
  routeGroup(Object.fromEntries(Object.entries(routes).map(([id, fn]) => [id, fn && operator(fn)])));

export const opsRoutes = (deps: OpsDeps) =>
  operatorRoutes({
    'list-executions': async (event) =>
      json(200, await listExecutions(deps, principalOf(event), parseQuery(event, ListExecutionsQuerySchema))),
    'get-ticket-executions': async (event) => {
      const { number } = parsePath(event, TicketPathSchema);
      return json(200, await ticketExecutions(deps, principalOf(event), number));
    },
    'redrive-execution': async (event) => {
      const { number } = parsePath(event, TicketPathSchema);
      const { reason } = optionalBody(event, OperatorActionBodySchema);
      return json(200, await redriveExecution(deps, principalOf(event), number, reason));
    },
    'restart-execution': async (event) => {
      const { number } = parsePath(event, TicketPathSchema);
      const { reason } = optionalBody(event, OperatorActionBodySchema);
      return json(200, await restartExecution(deps, principalOf(event), number, reason));
    },
    'redrive-executions': async (event) =>
      accepted(
        await requestJob(deps, principalOf(event), 'redrive', parseBody(event, BulkRedriveBodySchema)),
      ),
    'start-reconciliation': async (event) =>
      accepted(
        await requestJob(deps, principalOf(event), 'reconcile', optionalBody(event, ReconcileBodySchema)),
      ),
    'get-ops-job': async (event) => {
      const { id } = parsePath(event, JobPathSchema);
      return json(200, await jobStatus(deps, principalOf(event), id));
    },
  });
