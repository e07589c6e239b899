import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics } from './observability.ts';

/**
 * The one way a Tierdesk Lambda entry point is built: a middy chain with structured logs carrying
 * the Lambda context, and the business metrics the invocation recorded published once at its end
 * (tracing is X-Ray's active tracing on the function, see `observability.ts`). Every kind of function (HTTP API route, stream consumer, SES receipt, workflow
 * task) is this chain plus what its kind adds (the API's problem+json edge, a task's input
 * schema). Powertools clients are created once per container (`observability.ts`).
 */

const HANDLER_KINDS = ['api', 'stream', 'ses', 'task'] as const;
export type HandlerKind = (typeof HANDLER_KINDS)[number];

/** The property on a built handler that names its kind: the infra tests read it off every bundle. */
export const HANDLER_KIND = 'tierdeskHandlerKind';

export type LambdaFunction<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * Publishes the metrics the invocation recorded, whether it succeeded or failed. Powertools'
 * logMetrics would also log a warning on every invocation that records none.
 */
const publishMetrics = <E, R>(): MiddlewareObj<E, R> => {
  const publish = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: publish, onError: publish };
};

export const lambdaHandler = <E, R>(
  kind: HandlerKind,
  fn: LambdaFunction<E, R>,
  ...middlewares: MiddlewareObj<E, R>[]
) => {
  const handler = middy<E, R>(fn)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(publishMetrics<E, R>());
  for (const middleware of middlewares) handler.use(middleware);
  return Object.assign(handler, { [HANDLER_KIND]: kind });
};
