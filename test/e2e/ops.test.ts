import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdentity } from '#infra/local/dev-key';
import { person, startTestStack, type TestStack } from '#test/support/local-stack';

/**
 * Operations on the local stack, over HTTP: a workflow task made to fail (`POST /_local/faults`)
 * is listed under FAILED with its cause and redriven to completion; an execution stopped by hand
 * is found and repaired by the reconciliation (a job), and a second run finds nothing.
 */

let stack: TestStack;
const ops: DevIdentity = { email: 'olu@example.com', role: 'ops' };
const desk: DevIdentity = { email: 'sam@example.com', role: 'supervisor' };

beforeAll(async () => {
  stack = await startTestStack({ clockStart: new Date('2026-11-24T10:00:00Z') });
});
afterAll(() => stack?.stop());

type Item = {
  ticket: number;
  tier: number;
  status: string;
  execution?: string;
  error?: string;
  cause?: string;
  failedState?: string;
};
type Job = {
  id: string;
  status: string;
  progress: { phase: string; done: number };
  result?: Record<string, never>;
};

const open = async (label: string) => {
  const response = await stack.api<{ number: number }>('/tickets', {
    method: 'POST',
    as: { email: person(label), role: 'requester' },
    body: { subject: 'VPN drops every hour', description: 'Since the update.' },
  });
  expect(response.status).toBe(201);
  await stack.settle();
  return response.body.number;
};

const list = async (status: string) => {
  const response = await stack.api<{ items: Item[] }>(`/ops/executions?status=${status}&limit=100`, {
    as: ops,
  });
  expect(response.status).toBe(200);
  return response.body.items;
};

const executions = async (number: number) =>
  (
    await stack.api<{
      executions: { name: string; status: string; currentState?: string; redriveCount: number }[];
    }>(`/ops/executions/${number}`, { as: ops })
  ).body.executions;

const timeline = async (number: number) =>
  (
    await stack.api<{ items: { type: string; data?: Record<string, unknown> }[] }>(
      `/tickets/${number}/timeline?limit=100`,
      { as: desk },
    )
  ).body.items;

/** Asks for a reconciliation and follows the job until it ends, as `tierdesk reconcile` does. */
const reconcile = async () => {
  const requested = await stack.api<Job>('/ops/reconcile', { method: 'POST', as: ops });
  expect(requested.status).toBe(202);
  expect(requested.headers.get('location')).toBe(`/ops/jobs/${requested.body.id}`);
  const phases = new Set<string>();
  for (let poll = 0; poll < 200; poll++) {
    const job = (await stack.api<Job>(`/ops/jobs/${requested.body.id}`, { as: ops })).body;
    phases.add(job.progress.phase);
    if (job.status === 'succeeded' || job.status === 'failed') {
      await stack.settle();
      return { job, phases };
    }
    await new Promise((resume) => setTimeout(resume, 50));
  }
  throw new Error('The reconciliation did not end.');
};

describe('Operations: failed workflows, redrive, reconciliation', () => {
  it('lists an execution whose task was made to fail under FAILED with its cause, and redrive completes it', async () => {
    // Prepare: the park task of the next ticket fails once (no retry: it is no transient fault)
    const fault = await stack.api('/_local/faults', {
      method: 'POST',
      body: { task: 'AwaitAgent', times: 1 },
    });
    expect(fault.status).toBe(200);
    const number = await open('faulted');
    // Act
    const failed = await list('FAILED');
    // Assess
    const item = failed.find((candidate) => candidate.ticket === number);
    expect(item).toMatchObject({
      status: 'FAILED',
      tier: 1,
      execution: `ticket-${number}-g0`,
      error: 'LocalFault',
      failedState: 'AwaitAgent',
    });
    expect(item?.cause).toContain('POST /_local/faults');
    expect((await list('FAILED&tier=2')).some((candidate) => candidate.ticket === number)).toBe(false);

    // Act: redrive
    const redriven = await stack.api(`/ops/executions/${number}/redrive`, {
      method: 'POST',
      as: ops,
      body: { reason: 'The fault is gone.' },
    });
    await stack.settle();
    // Assess: running again, parked where it failed, off the failure list, on the timeline
    expect(redriven.status).toBe(200);
    expect(redriven.body).toMatchObject({
      ticket: number,
      action: 'redrive',
      execution: `ticket-${number}-g0`,
    });
    expect(await executions(number)).toEqual([
      expect.objectContaining({ status: 'RUNNING', currentState: 'AwaitAgent', redriveCount: 1 }),
    ]);
    expect((await list('FAILED')).some((candidate) => candidate.ticket === number)).toBe(false);
    expect((await list('RUNNING')).find((candidate) => candidate.ticket === number)).toMatchObject({
      currentState: 'AwaitAgent',
    });
    const audit = (await timeline(number)).filter((event) => event.type === 'operator_action');
    expect(audit).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ action: 'redrive', by: ops.email, reason: 'The fault is gone.' }),
      }),
    ]);

    // A running workflow has nothing to redrive: 409, and the detail offers the way on.
    const again = await stack.api<{ detail: string }>(`/ops/executions/${number}/redrive`, {
      method: 'POST',
      as: ops,
    });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
  });

  it('finds a ticket whose execution was stopped by hand, repairs it, and finds nothing the second time', async () => {
    // Prepare: a ticket parked at Tier 1, its execution stopped as an operator would in the console
    const number = await open('stopped');
    const sfn = new SFNClient({
      endpoint: stack.workflow.sfnEndpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await sfn.send(
      new StopExecutionCommand({
        executionArn:
          stack.workflow.stepFunctions.stateMachineArn.replace(':stateMachine:', ':execution:') +
          `:ticket-${number}-g0`,
        cause: 'Stopped by hand',
      }),
    );
    sfn.destroy();
    await stack.settle();
    expect((await list('ABORTED')).find((item) => item.ticket === number)).toMatchObject({
      failedState: 'AwaitAgent',
    });

    // Act
    const first = await reconcile();
    // Assess: found, restarted as a new generation, reported
    expect(first.job.status).toBe('succeeded');
    expect(first.phases.size).toBeGreaterThan(0);
    expect(first.job.result).toMatchObject({
      found: expect.objectContaining({ missing: [number] }),
      repaired: expect.objectContaining({ restarted: [number] }),
      repairs: 1,
    });
    expect((await executions(number)).map((execution) => [execution.name, execution.status])).toEqual([
      [`ticket-${number}-g0`, 'ABORTED'],
      [`ticket-${number}-g1`, 'RUNNING'],
    ]);
    expect((await list('ABORTED')).some((item) => item.ticket === number)).toBe(false);
    expect((await timeline(number)).at(-1)).toMatchObject({
      type: 'operator_action',
      data: expect.objectContaining({ action: 'restart', previousStatus: 'ABORTED' }),
    });

    // Act: a second run
    const second = await reconcile();
    // Assess
    expect(second.job.result).toMatchObject({
      found: { missing: [], orphaned: [], lostWakes: [], deadLettered: [] },
      repairs: 0,
    });
  });

  it('refuses the ops routes to an agent, and answers an unknown job with 404', async () => {
    const agent: DevIdentity = { email: person('agent'), role: 'agent', tiers: [3] };
    expect((await stack.api('/ops/executions', { as: agent })).status).toBe(403);
    expect((await stack.api('/ops/jobs/20260101T000000-00000000', { as: ops })).status).toBe(404);
  });
});
