import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { logger, metrics, tracer } from '#shared/runtime/observability';
import { INTERNAL_PROBLEM, problemOf, problemResponse } from './problem.ts';

/**
 * Every API handler is this middy chain: tracing, structured logs with the Lambda context,
 * metrics, and the problem+json edge. Powertools clients are created once per container.
 */

type ApiResult = APIGatewayProxyStructuredResultV2;
type ApiFunction = (event: APIGatewayProxyEventV2, context: Context) => Promise<ApiResult>;

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

/**
 * Publishes the business metrics a request recorded (tickets created, problems answered).
 * Powertools' logMetrics would also log a warning on every read that records none.
 */
const publishMetrics = (): MiddlewareObj<APIGatewayProxyEventV2, ApiResult> => {
  const publish = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: publish, onError: publish };
};

export const apiHandler = (fn: ApiFunction) =>
  middy<APIGatewayProxyEventV2, ApiResult>(fn)
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(publishMetrics())
    .use(problemDetails());
