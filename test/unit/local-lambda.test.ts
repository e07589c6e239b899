import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type LambdaHandler, localFunction } from '#infra/local/lambda';
import { lambdaHandler } from '#shared/runtime/handler';
import { logger } from '#shared/runtime/observability';

/**
 * The local stack runs every function in one process, all logging through the one logger, with invocations side by side (API requests, workflow tasks, stream batches): each log
 * line must still name the function that wrote it.
 */

type LogLine = { message: string; function_name?: string; function_request_id?: string };

/** The lines these tests log, in order, from both streams (a critical line goes to stderr). */
let lines: LogLine[];
const MESSAGES = new Set(['triaged', 'mailed', 'evaluated', 'between invocations']);

beforeEach(() => {
  lines = [];
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation((chunk, ...rest) => {
      const line = String(chunk).startsWith('{') ? (JSON.parse(String(chunk)) as LogLine) : undefined;
      if (line && MESSAGES.has(line.message)) lines.push(line);
      else write(chunk, ...(rest as []));
      return true;
    });
  }
});
afterEach(() => vi.restoreAllMocks());

/** A task that logs once it is let go, so the test decides how two invocations interleave. */
const gatedTask = () => {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const handler = lambdaHandler('task', async (event: { say: string }) => {
    await gate;
    // Critical: every invocation resets the level to the configured one, which is CRITICAL in tests.
    logger.critical(event.say);
    return event.say;
  }) as LambdaHandler;
  return { handler, release };
};

describe('Function: localFunction', () => {
  it('logs each line with the function that wrote it, when invocations overlap', async () => {
    const first = gatedTask();
    const second = gatedTask();
    const triage = localFunction('tierdesk-triage', first.handler, 5_000);
    const mailer = localFunction('tierdesk-send-mail', second.handler, 5_000);

    // Triage starts first and is still at work when the mailer starts; then triage logs.
    const triaged = triage.invoke({ say: 'triaged' }, 'request-triage');
    const mailed = mailer.invoke({ say: 'mailed' }, 'request-mail');
    first.release();
    await triaged;
    second.release();
    await mailed;

    expect(
      lines.map(({ message, function_name, function_request_id }) => ({
        message,
        function_name,
        function_request_id,
      })),
    ).toEqual([
      { message: 'triaged', function_name: 'tierdesk-triage', function_request_id: 'request-triage' },
      { message: 'mailed', function_name: 'tierdesk-send-mail', function_request_id: 'request-mail' },
    ]);
  });

  it('names no function on a line logged outside any invocation', async () => {
    const task = gatedTask();
    task.release();
    await localFunction('tierdesk-evaluate', task.handler, 5_000).invoke({ say: 'evaluated' });

    logger.critical('between invocations');

    expect(lines.at(-1)).toMatchObject({ message: 'between invocations' });
    expect(lines.at(-1)?.function_name).toBeUndefined();
  });
});
