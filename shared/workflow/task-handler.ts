import type { Context } from 'aws-lambda';
import { lambdaHandler } from '#shared/runtime/handler';
import { logger } from '#shared/runtime/observability';
import * as z from '#shared/runtime/zod';

/**
 * Every workflow task is the Lambda chain (`#shared/runtime/handler`) around its use case: the
 * task input validated by its zod schema (a malformed input is a bug in the definition, so it
 * fails the task loudly), and the ticket on every log line.
 */
export const taskHandler = <S extends z.core.$ZodType, R>(
  schema: S,
  fn: (input: z.output<S>) => Promise<R>,
) =>
  lambdaHandler('task', async (event: unknown, _context: Context) => {
    const input = z.parse(schema, event);
    logger.appendKeys({ ticket: (input as { ticketNumber?: number }).ticketNumber });
    return fn(input);
  });
