import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { logger, metrics, tracer } from '#shared/runtime/observability';

/**
 * Every workflow task is this chain: the task input validated by its zod schema (a malformed
 * input is a bug in the definition, so it fails the task loudly), logs with the Lambda context
 * and the ticket, traces, and the metrics the task recorded.
 */
export const taskHandler = <S extends z.ZodType, R>(schema: S, fn: (input: z.output<S>) => Promise<R>) =>
  middy(async (event: unknown, _context: Context) => {
    const input = schema.parse(event);
    logger.appendKeys({ ticket: (input as { ticketNumber?: number }).ticketNumber });
    try {
      return await fn(input);
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  })
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }));
