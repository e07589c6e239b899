import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';

/**
 * Runs Lambda entry points in this process the way the Lambda runtime calls them: module loaded
 * once (so clients created at module load are reused, as in a warm container), `handler(event,
 * context)` awaited, a timeout enforced.
 */

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The integration gave no answer in time; API Gateway answers 503 then. */
export class LambdaTimeoutError extends Error {
  override readonly name = 'LambdaTimeoutError';
}

/**
 * Imports an entry point (a path relative to the project root). The caller must have set the
 * function environment first: handlers read it at module load.
 */
export const loadHandler = async (entry: string): Promise<LambdaHandler> => {
  const file = resolve(PROJECT_ROOT, entry);
  if (!existsSync(file)) throw new Error(`The Lambda entry point ${entry} does not exist.`);
  const module: { handler?: unknown } = await import(pathToFileURL(file).href);
  if (typeof module.handler !== 'function')
    throw new Error(`${entry} does not export a function named "handler".`);
  return module.handler as LambdaHandler;
};

export interface LocalFunction {
  name: string;
  invoke(event: unknown, requestId?: string): Promise<unknown>;
}

/**
 * A function with its own name and timeout. The timeout frees the caller; the handler itself
 * cannot be stopped in-process and finishes in the background, which Lambda would have frozen.
 */
export const localFunction = (name: string, handler: LambdaHandler, timeoutMs: number): LocalFunction => ({
  name,
  invoke: async (event, requestId = randomUUID()) => {
    const deadline = Date.now() + timeoutMs;
    const fail = (): never => {
      throw new Error(`${name}: the callback style is not supported; return a promise.`);
    };
    const context: Context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
      memoryLimitInMB: '1024',
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: `local/[$LATEST]${requestId.replaceAll('-', '')}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: fail,
      fail,
      succeed: fail,
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new LambdaTimeoutError(`${name} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([handler(event, context), timeout]);
    } finally {
      clearTimeout(timer);
    }
  },
});
