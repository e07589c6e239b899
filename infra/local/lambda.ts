import { AsyncLocalStorage } from 'node:async_hooks';
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

/**
 * Lambda's runtime keeps each invocation's own data (request id, trace id) in an InvokeStore on
 * `globalThis.awslambda`; where invocations may run side by side in one environment (Lambda
 * Managed Instances, which set `AWS_LAMBDA_MAX_CONCURRENCY`), the AWS SDK reads them from it. Here
 * they always run side by side: every function is in this one process (API requests, workflow
 * tasks, stream batches). This is that store, on AsyncLocalStorage as the runtime's is; its
 * methods are the ones the AWS SDK calls, and it names the function a client call is billed to
 * (`currentFunctionName`). The handlers' log context is their own (`#shared/runtime/observability`).
 */
type InvocationData = Record<string | symbol, unknown>;
const invocations = new AsyncLocalStorage<InvocationData>();
const REQUEST_ID = Symbol.for('_AWS_LAMBDA_REQUEST_ID');
const FUNCTION_NAME = Symbol('tierdesk.local.functionName');
const localInvokeStore = {
  hasContext: () => invocations.getStore() !== undefined,
  getContext: () => invocations.getStore(),
  get: (key: string | symbol) => invocations.getStore()?.[key],
  set: (key: string | symbol, value: unknown) => {
    const data = invocations.getStore();
    if (!data) throw new Error('No invocation to keep this in.');
    data[key] = value;
  },
  run: <T>(data: InvocationData, fn: () => T): T => invocations.run(data, fn),
  getRequestId: () => (invocations.getStore()?.[REQUEST_ID] as string | undefined) ?? '-',
  // No X-Ray, no W3C trace context locally.
  getXRayTraceId: () => undefined,
  getTenantId: () => undefined,
  getTraceparent: () => undefined,
  getTracestate: () => undefined,
  getBaggage: () => undefined,
};

/** Puts the store where the runtime puts its own (idempotent): the AWS SDK looks it up on every call. */
const installInvokeStore = (): void => {
  const global = globalThis as { awslambda?: { InvokeStore?: unknown } };
  global.awslambda ??= {};
  global.awslambda.InvokeStore = localInvokeStore;
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '1000';
};

/** One finished invocation, as Lambda would bill it: which function, how long, whether it threw. */
export interface LocalInvocation {
  name: string;
  ms: number;
  failed: boolean;
}

const invocationObservers = new Set<(invocation: LocalInvocation) => void>();

/**
 * Calls `observer` after every local invocation (the benchmark counts and prices them); returns
 * the function that stops it.
 */
export const observeInvocations = (observer: (invocation: LocalInvocation) => void): (() => void) => {
  invocationObservers.add(observer);
  return () => invocationObservers.delete(observer);
};

/** The local function whose invocation the caller runs in, if any (what a client call is billed to). */
export const currentFunctionName = (): string | undefined =>
  invocations.getStore()?.[FUNCTION_NAME] as string | undefined;

export interface LocalFunction {
  name: string;
  invoke(event: unknown, requestId?: string): Promise<unknown>;
}

/**
 * A function with its own name and timeout. The timeout frees the caller; the handler itself
 * cannot be stopped in-process and finishes in the background, which Lambda would have frozen.
 * Each invocation runs in its own scope of the invoke store; what it logs names this function and
 * this request (the handler's own observability scope, from this context), even after its timeout.
 */
export const localFunction = (name: string, handler: LambdaHandler, timeoutMs: number): LocalFunction => {
  installInvokeStore();
  const invoke = async (event: unknown, requestId: string): Promise<unknown> => {
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
    const started = performance.now();
    let failed = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new LambdaTimeoutError(`${name} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([handler(event, context), timeout]);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      clearTimeout(timer);
      if (invocationObservers.size > 0) {
        const invocation = { name, ms: performance.now() - started, failed };
        for (const observer of invocationObservers) observer(invocation);
      }
    }
  };
  return {
    name,
    invoke: (event, requestId = randomUUID()) =>
      invocations.run({ [REQUEST_ID]: requestId, [FUNCTION_NAME]: name }, () => invoke(event, requestId)),
  };
};
