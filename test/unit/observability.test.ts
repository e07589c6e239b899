import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaHandler } from '#shared/runtime/handler';
import { logger, MetricUnit, metrics } from '#shared/runtime/observability';

/**
 * What CloudWatch receives from a handler: one JSON log line per call with the invocation's Lambda
 * context, and the invocation's metrics as Embedded Metric Format documents once it ends.
 */

type Line = Record<string, unknown>;
let lines: Line[];

beforeEach(() => {
  lines = [];
  vi.stubEnv('LOG_LEVEL', 'INFO');
  vi.stubEnv('METRICS_DISABLED', 'false');
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk) => {
      for (const text of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(text) as Line);
      return true;
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const context = (requestId: string): Context =>
  ({
    functionName: 'tierdesk-get-ticket',
    memoryLimitInMB: '512',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:tierdesk-get-ticket',
    awsRequestId: requestId,
  }) as Context;

const emf = () => lines.filter((line) => '_aws' in line);
const logs = () => lines.filter((line) => !('_aws' in line));

describe('logger', () => {
  it("writes a line with the level, the message, the service and the invocation's Lambda context", async () => {
    const handler = lambdaHandler('task', async () => {
      logger.info('triaged', { ticket: 42 });
    });
    await handler({}, context('request-1'));

    expect(logs()).toEqual([
      {
        level: 'INFO',
        message: 'triaged',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        service: 'tierdesk',
        cold_start: expect.any(Boolean),
        function_name: 'tierdesk-get-ticket',
        function_memory_size: '512',
        function_arn: 'arn:aws:lambda:eu-west-1:123456789012:function:tierdesk-get-ticket',
        function_request_id: 'request-1',
        ticket: 42,
      },
    ]);
  });

  it('drops lines below the configured level; errors and worse go to stderr', () => {
    vi.stubEnv('LOG_LEVEL', 'WARN');
    const stderr = vi.mocked(process.stderr.write);
    logger.debug('no');
    logger.info('no');
    logger.warn('yes');
    logger.error('also');

    expect(logs().map((line) => [line.level, line.message])).toEqual([
      ['WARN', 'yes'],
      ['ERROR', 'also'],
    ]);
    expect(stderr).toHaveBeenCalledTimes(1);
  });

  it('spells out an error (name, message, stack, cause, own fields), also nested, and survives a cycle', () => {
    const cause = new Error('socket hang up');
    const error = Object.assign(new TypeError('bad item', { cause }), { code: 'E_ITEM' });
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;

    logger.error('failed', error);
    logger.error('failed again', { error, cyclic, big: 10n });

    const [first, second] = logs();
    expect(first?.error).toMatchObject({
      name: 'TypeError',
      message: 'bad item',
      code: 'E_ITEM',
      stack: expect.stringContaining('bad item'),
      cause: { name: 'Error', message: 'socket hang up' },
    });
    expect(second).toMatchObject({
      error: { name: 'TypeError', message: 'bad item' },
      cyclic: { name: 'loop', self: '[Circular]' },
      big: '10',
    });
  });

  it('keeps appended keys to the invocation that appended them', async () => {
    const handler = lambdaHandler('task', async (event: { ticket?: number }) => {
      if (event.ticket) logger.appendKeys({ ticket: event.ticket });
      logger.info('working');
    });
    await handler({ ticket: 7 }, context('a'));
    await handler({}, context('b'));

    expect(logs().map((line) => [line.function_request_id, line.ticket])).toEqual([
      ['a', 7],
      ['b', undefined],
    ]);
  });
});

describe('metrics', () => {
  it('publishes what an invocation recorded as one EMF document when it ends, repeated names with every value', async () => {
    const handler = lambdaHandler('api', async () => {
      metrics.addMetric('TicketsCreated', MetricUnit.Count, 1);
      metrics.addMetric('Problem409', MetricUnit.Count, 1);
      metrics.addMetric('TicketsCreated', MetricUnit.Count, 1);
      expect(emf()).toEqual([]);
    });
    await handler({}, context('r'));

    expect(emf()).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'Tierdesk',
              Dimensions: [['service']],
              Metrics: [
                { Name: 'TicketsCreated', Unit: 'Count' },
                { Name: 'Problem409', Unit: 'Count' },
              ],
            },
          ],
        },
        service: 'tierdesk',
        TicketsCreated: [1, 1],
        Problem409: 1,
      },
    ]);
  });

  it('publishes them when the invocation throws too, and nothing for an invocation that recorded none', async () => {
    const failing = lambdaHandler('task', async () => {
      metrics.addMetric('ReconciliationRepairs', MetricUnit.Count, 3);
      throw new Error('job crashed');
    });
    const quiet = lambdaHandler('task', async () => 'ok');

    await expect(failing({}, context('f'))).rejects.toThrow('job crashed');
    await quiet({}, context('q'));

    expect(emf().map((document) => document.ReconciliationRepairs)).toEqual([3]);
  });

  it('splits more than 100 metrics into documents CloudWatch accepts', async () => {
    const handler = lambdaHandler('task', async () => {
      for (let i = 0; i < 150; i++) metrics.addMetric(`M${i}`, MetricUnit.NoUnit, i);
    });
    await handler({}, context('m'));

    const documents = emf() as { _aws: { CloudWatchMetrics: { Metrics: unknown[] }[] } }[];
    expect(documents.map((document) => document._aws.CloudWatchMetrics[0]?.Metrics.length)).toEqual([
      100, 50,
    ]);
  });

  it('publishes a metric recorded outside any invocation at once', () => {
    metrics.addMetric('ReconciliationRepairs', MetricUnit.Count, 2);

    expect(emf().map((document) => document.ReconciliationRepairs)).toEqual([2]);
  });

  it('writes nothing with METRICS_DISABLED=true (the local stack and the tests)', async () => {
    vi.stubEnv('METRICS_DISABLED', 'true');
    const handler = lambdaHandler('task', async () => metrics.addMetric('Deflections', MetricUnit.Count, 1));
    await handler({}, context('d'));

    expect(emf()).toEqual([]);
  });
});
