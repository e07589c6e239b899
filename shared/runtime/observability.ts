import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';

/**
 * Structured logs and business metrics, one JSON line each on stdout, where CloudWatch Logs takes
 * them as they are: a log line with the invocation's Lambda context (the keys Powertools' Logger
 * writes, so Logs Insights queries read the same), and a metric as an Embedded Metric Format
 * document that CloudWatch turns into the metric (namespace `Tierdesk`, dimension `service`).
 *
 * Why not Powertools: its Logger and Metrics were about a tenth of every function's import time
 * (31 KiB of 347 in the smallest API handler, measured by the benchmark's bundle part) for the
 * four things Tierdesk uses of them, which are this module. Tracing is X-Ray's active tracing on
 * each function, without an in-process tracer.
 *
 * Each invocation's context, appended keys and metrics live in an AsyncLocalStorage run around it
 * (`withInvocation`, called by `#shared/runtime/handler`): the local stack runs every function in
 * one process with invocations side by side, and each line still names the function that wrote it.
 */

export const SERVICE_NAME = 'tierdesk';
export const METRICS_NAMESPACE = 'Tierdesk';

const LEVELS = { DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
type LevelName = keyof typeof LEVELS;

/** The level from `LOG_LEVEL`, else the function's application log level (Lambda's advanced logging controls), else INFO. */
const configuredLevel = (): number => {
  const name = (process.env.LOG_LEVEL ?? process.env.AWS_LAMBDA_LOG_LEVEL ?? 'INFO').toUpperCase();
  return name in LEVELS ? LEVELS[name as LevelName] : LEVELS.INFO;
};

/** The units Tierdesk's metrics use (CloudWatch's names). */
export const MetricUnit = { Count: 'Count', NoUnit: 'None' } as const;
export type MetricUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

interface Invocation {
  context: Context;
  keys: Record<string, unknown>;
  metrics: Map<string, { unit: MetricUnit; values: number[] }>;
  coldStart: boolean;
}

const invocations = new AsyncLocalStorage<Invocation>();
/** Keys appended outside any invocation (module load, tests). */
const outside: Pick<Invocation, 'keys'> = { keys: {} };
let coldStart = true;

/**
 * Runs one invocation with its own log context, keys and metrics; its metrics are published when
 * it ends, whether it succeeded or threw.
 */
export const withInvocation = async <R>(context: Context, fn: () => Promise<R>): Promise<R> => {
  const invocation: Invocation = { context, keys: {}, metrics: new Map(), coldStart };
  coldStart = false;
  try {
    return await invocations.run(invocation, fn);
  } finally {
    publish(invocation.metrics);
  }
};

/** An error as a log value: its name, message, stack, cause and own fields (an SDK error's `$metadata`, a code). */
const errorValue = (error: Error): Record<string, unknown> => ({
  ...error,
  name: error.name,
  message: error.message,
  stack: error.stack,
  ...(error.cause !== undefined && { cause: error.cause }),
});

/** JSON for anything a log line carries: errors spelled out, bigints as strings, a cycle cut instead of a throw. */
const serialize = (line: Record<string, unknown>): string => {
  const seen = new WeakSet<object>();
  return JSON.stringify(line, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value !== 'object' || value === null) return value;
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    return value instanceof Error ? errorValue(value) : value;
  });
};

const write = (level: LevelName, message: string, extra?: Error | Record<string, unknown>): void => {
  if (LEVELS[level] < configuredLevel()) return;
  const invocation = invocations.getStore();
  const traceId = process.env._X_AMZN_TRACE_ID?.match(/Root=([^;]+)/)?.[1];
  const line = {
    level,
    message,
    timestamp: new Date().toISOString(),
    service: SERVICE_NAME,
    ...(invocation && {
      cold_start: invocation.coldStart,
      function_name: invocation.context.functionName,
      function_memory_size: invocation.context.memoryLimitInMB,
      function_arn: invocation.context.invokedFunctionArn,
      function_request_id: invocation.context.awsRequestId,
    }),
    ...(traceId && { xray_trace_id: traceId }),
    ...(invocation ?? outside).keys,
    ...(extra instanceof Error ? { error: extra } : extra),
  };
  const stream = LEVELS[level] >= LEVELS.ERROR ? process.stderr : process.stdout;
  stream.write(`${serialize(line)}\n`);
};

export const logger = {
  debug: (message: string, extra?: Error | Record<string, unknown>) => write('DEBUG', message, extra),
  info: (message: string, extra?: Error | Record<string, unknown>) => write('INFO', message, extra),
  warn: (message: string, extra?: Error | Record<string, unknown>) => write('WARN', message, extra),
  error: (message: string, extra?: Error | Record<string, unknown>) => write('ERROR', message, extra),
  critical: (message: string, extra?: Error | Record<string, unknown>) => write('CRITICAL', message, extra),
  /** Keys on every further line of this invocation (or, outside one, of the process). */
  appendKeys: (keys: Record<string, unknown>): void => {
    Object.assign((invocations.getStore() ?? outside).keys, keys);
  },
};

/** CloudWatch takes at most 100 metrics per EMF document. */
const METRICS_PER_DOCUMENT = 100;

/** Writes stored metrics as EMF documents and forgets them (`METRICS_DISABLED=true`: forgets them only). */
const publish = (stored: Invocation['metrics']): void => {
  const entries = [...stored];
  stored.clear();
  if (entries.length === 0 || process.env.METRICS_DISABLED === 'true') return;
  for (let start = 0; start < entries.length; start += METRICS_PER_DOCUMENT) {
    const batch = entries.slice(start, start + METRICS_PER_DOCUMENT);
    const document = {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: METRICS_NAMESPACE,
            Dimensions: [['service']],
            Metrics: batch.map(([name, { unit }]) => ({ Name: name, Unit: unit })),
          },
        ],
      },
      service: SERVICE_NAME,
      ...Object.fromEntries(
        batch.map(([name, { values }]) => [name, values.length === 1 ? values[0] : values]),
      ),
    };
    process.stdout.write(`${JSON.stringify(document)}\n`);
  }
};

export const metrics = {
  /**
   * Records a value for this invocation, published when it ends (a name recorded again: every
   * value); outside any invocation, published at once.
   */
  addMetric: (name: string, unit: MetricUnit, value: number): void => {
    const stored = invocations.getStore()?.metrics;
    if (!stored) {
      publish(new Map([[name, { unit, values: [value] }]]));
      return;
    }
    const metric = stored.get(name) ?? { unit, values: [] };
    metric.values.push(value);
    stored.set(name, metric);
  },
};
