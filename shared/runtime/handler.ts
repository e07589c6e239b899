import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { withInvocation } from './observability.ts';

/**
 * The one way a Tierdesk Lambda entry point is built: a middy chain run inside the invocation's
 * observability scope, so its log lines carry the Lambda context and the business metrics it
 * recorded are published once at its end, whether it succeeded or failed (tracing is X-Ray's
 * active tracing on the function, see `observability.ts`). Every kind of function (HTTP API
 * route, stream consumer, SES receipt, workflow task) is this chain plus what its kind adds (the
 * API's problem+json edge, a task's input schema).
 */

const HANDLER_KINDS = ['api', 'stream', 'ses', 'task'] as const;
export type HandlerKind = (typeof HANDLER_KINDS)[number];

/** The property on a built handler that names its kind: the infra tests read it off every bundle. */
export const HANDLER_KIND = 'tierdeskHandlerKind';

export type LambdaFunction<E, R> = (event: E, context: Context) => Promise<R>;

export const lambdaHandler = <E, R>(
  kind: HandlerKind,
  fn: LambdaFunction<E, R>,
  ...middlewares: MiddlewareObj<E, R>[]
) => {
  const chain = middy<E, R>(fn);
  for (const middleware of middlewares) chain.use(middleware);
  const handler: LambdaFunction<E, R> = (event, context) =>
    withInvocation(context, () => chain(event, context));
  return Object.assign(handler, { [HANDLER_KIND]: kind });
};
