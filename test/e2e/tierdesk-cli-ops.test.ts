import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdentity } from '#infra/local/dev-key';
import { person, startTestStack, type TestStack } from '#test/support/local-stack';
import { type Run, runTierdesk } from '#test/support/tierdesk-cli';

/**
 * `tierdesk executions`, `reconcile`, `report` and `csat`, the real binary against one local stack:
 * a workflow task made to fail (`POST /_local/faults`) is listed with its cause and redriven, one
 * at a time and in bulk; an execution stopped by hand is past its redrive window, so redrive names
 * restart, and the reconciliation repairs it; the report counts the tickets this file opened; a
 * requester answers a closed ticket's survey.
 */

const ADMIN: DevIdentity = { email: 'ada-ops@example.com', role: 'admin' };
const PRIYA: DevIdentity = { email: 'priya@example.com', role: 'agent', tiers: [1] };
const REQUESTER: DevIdentity = { email: person('cli-requester'), role: 'requester' };

const NEW_COMMANDS = [
  ['executions'],
  ['executions', 'list'],
  ['executions', 'show'],
  ['executions', 'redrive'],
  ['executions', 'restart'],
  ['reconcile'],
  ['report'],
  ['csat'],
];

let stack: TestStack;
let adminHome: string;
let requesterHome: string;
/** Every ticket this file opens: the report must count exactly these. */
const opened: number[] = [];

const tierdesk = (args: string[], home = adminHome): Promise<Run> =>
  runTierdesk(args, { apiUrl: stack.apiUrl, home });

const open = async (as: DevIdentity = { email: person('cli-ops'), role: 'requester' }) => {
  const response = await stack.api<{ number: number }>('/tickets', {
    method: 'POST',
    as,
    body: { subject: 'VPN drops every hour', description: 'Since the update.' },
  });
  expect(response.status).toBe(201);
  await stack.settle();
  opened.push(response.body.number);
  return response.body.number;
};

const act = async (number: number, action: string, body: unknown) => {
  const response = await stack.api(`/tickets/${number}/${action}`, { method: 'POST', as: PRIYA, body });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  await stack.settle();
};

const injectFault = async (times: number) => {
  const fault = await stack.api('/_local/faults', { method: 'POST', body: { task: 'AwaitAgent', times } });
  expect(fault.status).toBe(200);
};

/** The table row of a ticket, e.g. `#7  1  FAILED  AwaitAgent  …`. */
const rowOf = (stdout: string, number: number) =>
  stdout.split('\n').find((line) => line.startsWith(`#${number} `));

const listed = async (status: string) => {
  const run = await tierdesk(['executions', 'list', '--status', status, '--limit', '100', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { items: { ticket: number; currentState?: string }[] }).items;
};

beforeAll(async () => {
  stack = await startTestStack({ clockStart: new Date('2026-11-24T10:00:00Z') });
  adminHome = mkdtempSync(join(tmpdir(), 'tierdesk-cli-ops-'));
  requesterHome = mkdtempSync(join(tmpdir(), 'tierdesk-cli-requester-'));
  // In the directory, as an admin would have put them: the admin who operates, the Tier 1 agent.
  await stack.token(ADMIN);
  await stack.token(PRIYA);
  await stack.token(REQUESTER);
  for (const [who, home] of [
    [ADMIN, adminHome],
    [REQUESTER, requesterHome],
  ] as const) {
    const login = await tierdesk(['login', '--dev', who.email], home);
    expect(login.code, login.stderr).toBe(0);
  }
});

afterAll(async () => {
  await stack?.stop();
  for (const home of [adminHome, requesterHome]) if (home) rmSync(home, { recursive: true, force: true });
});

describe('CLI: operations, reports and CSAT against the local stack', () => {
  it('prints the usage of every operations and report command with --help, exit code 0', async () => {
    for (const command of NEW_COMMANDS) {
      // Act
      const run = await tierdesk([...command, '--help']);
      // Assess
      expect(run.code, command.join(' ')).toBe(0);
      expect(run.stdout).toContain(`Usage: tierdesk ${command.join(' ')}`);
    }
  });

  it('reconciles a healthy desk: progress while it runs, nothing to repair, exit code 0', async () => {
    // Prepare
    await open();
    // Act
    const run = await tierdesk(['reconcile']);
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^Reconciliation \d{8}T\d{6}-[0-9a-f]{8}: queued$/m);
    expect(run.stdout).toMatch(/^Scanned \d+ open ticket\(s\)/m);
    expect(run.stdout).toContain('Nothing needed repair.');
  });

  it('lists executions whose task was made to fail with their cause, and redrives them one and all', async () => {
    // Prepare: the park task of the next two tickets fails once each
    await injectFault(2);
    const first = await open();
    const second = await open();

    // Act
    const failed = await tierdesk(['executions', 'list', '--status', 'FAILED']);
    // Assess: a row per ticket, with its state and shortened cause
    expect(failed.code, failed.stderr).toBe(0);
    expect(failed.stdout).toMatch(/^TICKET\s+TIER\s+STATUS\s+STATE\s+STARTED\s+STOPPED\s+ERROR \/ CAUSE$/m);
    for (const number of [first, second])
      expect(rowOf(failed.stdout, number)).toMatch(
        /^#\d+\s+1\s+FAILED\s+AwaitAgent\s+2026-11-24 \d\d:\d\dZ\s+2026-11-24 \d\d:\d\dZ\s+LocalFault: Injected by POST \/_local\/faults/,
      );

    // Act: one ticket's every generation, then redrive it
    const shown = await tierdesk(['executions', 'show', String(first)]);
    const redriven = await tierdesk([
      'executions',
      'redrive',
      String(first),
      '--reason',
      'The fault is gone.',
    ]);
    await stack.settle();
    // Assess
    expect(shown.stdout).toContain(`Ticket #${first}: Tier 1, new.`);
    expect(shown.stdout).toMatch(new RegExp(`^0\\s+ticket-${first}-g0\\s+FAILED\\s+AwaitAgent`, 'm'));
    expect(shown.stdout).toMatch(
      new RegExp(`^ticket-${first}-g0\\s+FAILED\\s+AwaitAgent\\s+.*\\sopen\\s`, 'm'),
    );
    expect(redriven.code, redriven.stderr).toBe(0);
    expect(redriven.stdout).toContain(`Redriven: #${first}'s workflow ticket-${first}-g0 (was FAILED)`);
    expect((await listed('RUNNING')).find((item) => item.ticket === first)).toMatchObject({
      currentState: 'AwaitAgent',
    });

    // Act: a running workflow has nothing to redrive
    const again = await tierdesk(['executions', 'redrive', String(first)]);
    // Assess
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Cannot redrive #${first}:`);
    expect(again.stderr).toContain(`tierdesk executions show ${first} shows where it waits.`);

    // Act: every FAILED one left, as a job
    const bulk = await tierdesk(['executions', 'redrive', '--all', '--status', 'FAILED']);
    await stack.settle();
    // Assess
    expect(bulk.code, bulk.stderr).toBe(0);
    expect(bulk.stderr).toMatch(/^Bulk redrive \d{8}T\d{6}-[0-9a-f]{8}: queued$/m);
    expect(bulk.stdout).toContain(`Redrove 1 of 1 execution(s): #${second}.`);
    expect(await listed('FAILED')).toEqual([]);
  });

  // Fifteen days on the clock fire every open ticket's timers: longer than the default minute on a busy machine.
  it('names restart when a stopped execution is past redrive, and the reconciliation repairs and reports it', async () => {
    // Prepare: a ticket's execution stopped by hand, as an operator would in the console, 15 days ago
    const number = await open();
    const sfn = new SFNClient({
      endpoint: stack.workflow.sfnEndpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await sfn.send(
      new StopExecutionCommand({
        executionArn: `${stack.workflow.stepFunctions.stateMachineArn.replace(':stateMachine:', ':execution:')}:ticket-${number}-g0`,
        cause: 'Stopped by hand',
      }),
    );
    sfn.destroy();
    await stack.settle();
    const clock = await stack.api('/_local/clock', { method: 'POST', body: { advance: 'P15D' } });
    expect(clock.status).toBe(200);
    await stack.settle();

    // Act
    const aborted = await tierdesk(['executions', 'list', '--status', 'ABORTED']);
    const redrive = await tierdesk(['executions', 'redrive', String(number)]);
    // Assess: listed; redrive refused, with the command that serves instead
    expect(rowOf(aborted.stdout, number)).toMatch(/ABORTED\s+AwaitAgent/);
    expect(redrive.code).toBe(1);
    expect(redrive.stderr).toContain(`Cannot redrive #${number}:`);
    expect(redrive.stderr).toContain('14 days');
    expect(redrive.stderr).toContain(`tierdesk executions restart ${number}`);
    expect(redrive.stderr).not.toContain('POST /ops/');

    // Act: the reconciliation finds it without a running workflow and restarts it
    const repaired = await tierdesk(['reconcile']);
    await stack.settle();
    // Assess
    expect(repaired.code, repaired.stderr).toBe(3);
    expect(repaired.stdout).toMatch(new RegExp(`^ {2}\\d+ without a running workflow: .*#${number}\\b`, 'm'));
    expect(repaired.stdout).toMatch(new RegExp(`^ {2}restarted: .*#${number}\\b`, 'm'));
    expect(repaired.stderr).toContain('Something needed repair');
    const generations = await tierdesk(['executions', 'show', String(number), '--json']);
    expect(
      (JSON.parse(generations.stdout) as { executions: { name: string; status: string }[] }).executions.map(
        (execution) => [execution.name, execution.status],
      ),
    ).toEqual([
      [`ticket-${number}-g0`, 'ABORTED'],
      [`ticket-${number}-g1`, 'RUNNING'],
    ]);

    // Act: a second run
    const second = await tierdesk(['reconcile', '--json']);
    // Assess
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      kind: 'reconcile',
      status: 'succeeded',
      result: { repairs: 0 },
    });
  }, 180_000);

  it("records a closed ticket's CSAT from its requester, and refuses an open ticket's with what is wrong", async () => {
    // Prepare: one of the requester's tickets resolved and closed, one still open
    const closed = await open(REQUESTER);
    const stillOpen = await open(REQUESTER);
    await act(closed, 'resolve', { resolution: 'Reinstalled the VPN client.' });
    await act(closed, 'close', {});

    // Act
    const answered = await tierdesk(
      ['csat', String(closed), '4', '--comment', 'quick, thanks'],
      requesterHome,
    );
    const early = await tierdesk(['csat', String(stillOpen), '5'], requesterHome);
    const outOfRange = await tierdesk(['csat', String(closed), '7'], requesterHome);
    await stack.settle();

    // Assess
    expect(answered.code, answered.stderr).toBe(0);
    expect(answered.stdout).toContain(`Recorded: 4 of 5 for ticket #${closed}, "quick, thanks".`);
    const timeline = await stack.api<{ items: { type: string; data?: Record<string, unknown> }[] }>(
      `/tickets/${closed}/timeline?limit=100`,
      { as: ADMIN },
    );
    expect(timeline.body.items.filter((event) => event.type === 'csat_recorded')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ score: 4, comment: 'quick, thanks' }) }),
    ]);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(`Ticket #${stillOpen} is not closed yet: its survey is not open.`);
    expect(outOfRange.code).toBe(2);
    expect(outOfRange.stderr).toContain('The score is 1 (not at all satisfied) to 5 (very satisfied)');
  });

  it('reports exactly the tickets this file opened, as JSON, a table and a time series', async () => {
    // Act
    const json = await tierdesk(['report', '--json']);
    const table = await tierdesk(['report']);
    const series = await tierdesk(['report', '--timeseries', 'created', '--json']);
    // Assess
    expect(json.code, json.stderr).toBe(0);
    const summary = JSON.parse(json.stdout) as { tickets: { created: number }; csat: { responses: number } };
    expect(summary.tickets.created).toBe(opened.length);
    expect(summary.csat.responses).toBe(1);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^created\\s+${opened.length}$`, 'm'));
    expect(table.stdout).toMatch(/^CLOCK\s+MET\s+BREACHED\s+ACHIEVED$/m);
    expect(table.stdout).toMatch(/^DURATION\s+COUNT\s+P50 H\s+P90 H$/m);
    expect(table.stdout).toContain('CSAT: 1 answer(s)');
    const points = (JSON.parse(series.stdout) as { points: { value: number | null }[] }).points;
    expect(points.reduce((sum, point) => sum + (point.value ?? 0), 0)).toBe(opened.length);
  });
});
