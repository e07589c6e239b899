import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { authorize, type PrincipalResolver } from '#shared/auth/identity';
import { clockFromEnv } from '#shared/runtime/clock';
import { lambdaHandler } from '#shared/runtime/handler';
import { logger, MetricUnit, metrics } from '#shared/runtime/observability';
import { principalResolverFromEnv } from '#shared/tickets/deps';
import { INTERNAL_PROBLEM, problemOf, problemResponse } from './problem.ts';
import { SERVER_TIME_HEADER } from './server-time.ts';

/**
 * Every API handler is the Lambda chain (`#shared/runtime/handler`) with the problem+json edge:
 * thrown errors become RFC 9457 responses.
 */

type ApiResult = APIGatewayProxyStructuredResultV2;
export type ApiFunction = (event: APIGatewayProxyEventV2, context: Context) => Promise<ApiResult>;

/** Maps thrown errors to RFC 9457 responses; unknown errors are logged and answered with a bare 500. */
const problemDetails = (): MiddlewareObj<APIGatewayProxyEventV2, ApiResult> => ({
  onError: (request) => {
    const instance = request.event.rawPath;
    const problem = problemOf(request.error, instance);
    if (problem) {
      if (problem.status >= 500) logger.warn('Request failed', { problem });
      metrics.addMetric(`Problem${problem.status}`, MetricUnit.Count, 1);
      request.response = problemResponse(problem);
      return;
    }
    logger.error('Unhandled error', request.error as Error);
    request.response = problemResponse({ ...INTERNAL_PROBLEM, instance });
  },
});

let principals: PrincipalResolver | undefined;

/**
 * The resolver every API handler of this process asks who the caller is: one per container, over
 * the table it runs on, built on the first authenticated request. The test support replaces it
 * with one over a test's own table and clock.
 */
export const usePrincipalResolver = (resolver: PrincipalResolver): void => {
  principals = resolver;
};

/**
 * Authorization follows the directory: before the handler runs, the caller's principal is
 * resolved from their directory entry (`principalOf(event)` reads it), so no handler needs the
 * directory for it. A deactivated person is refused here, whatever the route.
 */
const resolvePrincipal = (): MiddlewareObj<APIGatewayProxyEventV2, ApiResult> => ({
  before: async (request) => {
    principals ??= principalResolverFromEnv();
    await authorize(request.event, principals);
  },
});

const serverClock = clockFromEnv();

/**
 * Every answer, success or problem, says what time the desk's clock says: the console counts SLA
 * badges down from it, not from the browser's clock (which may be wrong, and which the local
 * stack's controllable clock does not move).
 */
const serverTime = (): MiddlewareObj<APIGatewayProxyEventV2, ApiResult> => {
  const stamp = (request: { response: ApiResult | null | undefined }) => {
    if (!request.response) return;
    request.response.headers = {
      ...request.response.headers,
      [SERVER_TIME_HEADER]: serverClock.now().toISOString(),
    };
  };
  return { after: stamp, onError: stamp };
};

export const apiHandler = (fn: ApiFunction) =>
  lambdaHandler('api', fn, serverTime(), problemDetails(), resolvePrincipal());
