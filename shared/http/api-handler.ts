import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lambdaHandler } from '#shared/runtime/handler';
import { logger, metrics } from '#shared/runtime/observability';
import { INTERNAL_PROBLEM, problemOf, problemResponse } from './problem.ts';

/**
 * Every API handler is the Lambda chain (`#shared/runtime/handler`) with the problem+json edge:
 * thrown errors become RFC 9457 responses.
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

export const apiHandler = (fn: ApiFunction) => lambdaHandler('api', fn, problemDetails());
