import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdentity } from '#infra/local/dev-key';
import { type ConsoleHarness, expectAccessible, startConsoleHarness } from '#test/support/browser';
import { person } from '#test/support/local-stack';

/**
 * The ops pages in a real browser: a ticket's workflow as a picture (the current state
 * highlighted, the steps as a timeline), the failed workflows with redrive, restart and the
 * reconciliation followed to its report, and the reports as charts over a range of days. Axe on
 * each page for every role that may open it, and at 375 px.
 */

let harness: ConsoleHarness;
const ops: DevIdentity = { email: 'olu@example.com', role: 'ops' };
const supervisor: DevIdentity = { email: 'sam@example.com', role: 'supervisor' };
const admin: DevIdentity = { email: 'ada@example.com', role: 'admin' };
const agent: DevIdentity = { email: 'nia@example.com', role: 'agent', tiers: [1] };

beforeAll(async () => {
  harness = await startConsoleHarness({ clockStart: new Date('2026-11-24T09:00:00Z') });
});
afterAll(async () => {
  await harness?.stop();
});

/** One signed-in tab per person and width, reused: the development sign-in is remembered per tab. */
const tabs = new Map<string, Page>();
const visit = async (who: DevIdentity, path: string, width?: number) => {
  const key = `${who.email}@${width ?? 'desktop'}`;
  const known = tabs.get(key);
  if (known) {
    await known.goto(path);
    return known;
  }
  const page = await harness.signedIn(who, path, width ? await harness.context({ width }) : undefined);
  tabs.set(key, page);
  return page;
};

const open = async (label: string, subject = 'VPN drops every hour') => {
  const response = await harness.stack.api<{ number: number }>('/tickets', {
    method: 'POST',
    as: { email: person(label), role: 'requester' },
    body: { subject, description: 'Since the update this morning.' },
  });
  expect(response.status).toBe(201);
  return response.body.number;
};

type WorkflowView = {
  currentState?: string;
  steps: { state: string }[];
  execution: { status: string } | null;
  graph: { states: { name: string }[] };
};

const workflowOf = async (number: number) =>
  (await harness.stack.api<WorkflowView>(`/tickets/${number}/workflow`, { as: supervisor })).body;

/** Stops a ticket's running execution, as an operator would in the Step Functions console. */
const stopByHand = async (number: number) => {
  const { workflow } = harness.stack;
  const sfn = new SFNClient({
    endpoint: workflow.sfnEndpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await sfn.send(
    new StopExecutionCommand({
      executionArn: `${workflow.stepFunctions.stateMachineArn.replace(':stateMachine:', ':execution:')}:ticket-${number}-g0`,
      cause: 'Stopped by hand',
    }),
  );
  sfn.destroy();
};

const executionsOf = async (number: number) =>
  (
    await harness.stack.api<{ executions: { name: string; status: string; currentState?: string }[] }>(
      `/ops/executions/${number}`,
      { as: ops },
    )
  ).body.executions;

/** The row of a ticket in the executions table. */
const rowOf = (page: Page, number: number) =>
  page.locator(`table.ops-executions tr[data-ticket="${number}"]`);

/** The picture's highlighted state: the node marked current. */
const highlighted = (page: Page) =>
  page.locator('svg.wf-graph [data-current="true"]').getAttribute('data-state-name');

describe('The ops pages', () => {
  it("shows a ticket's workflow as its state machine with the current state highlighted, and its steps", async () => {
    // Prepare: a ticket parked at Tier 1, waiting for an agent
    const number = await open('workflow');
    await harness.stack.settle();
    const view = await workflowOf(number);
    expect(view.currentState).toBe('AwaitAgent');

    // Act
    const page = await visit(supervisor, `/ops/tickets/${number}/workflow`);

    // Assess: the picture, its highlighted state the view's current state, the visited ones marked
    const picture = page.getByRole('img', { name: new RegExp(`ticket #${number}'s workflow`) });
    await picture.waitFor();
    expect(await highlighted(page)).toBe(view.currentState);
    expect(await page.locator('svg.wf-graph [data-current="true"]').count()).toBe(1);
    expect(await page.locator('svg.wf-graph [data-state-name="Triage"]').getAttribute('data-mark')).toBe(
      'visited',
    );
    // A new ticket goes from Triage straight to AwaitAgent: Route is not entered yet
    expect(await page.locator('svg.wf-graph [data-state-name="Route"]').getAttribute('data-mark')).toBe(
      'unvisited',
    );
    expect(await page.locator('svg.wf-graph [data-state-name="Closed"]').getAttribute('data-mark')).toBe(
      'unvisited',
    );
    // The graph is the deployed definition's: every state of the view's graph is drawn
    expect(await page.locator('svg.wf-graph [data-state-name]').count()).toBe(view.graph.states.length);
    expect(await page.locator('svg.wf-graph [data-state-name="ApplyClockEvent"]').count()).toBe(1);
    // The steps timeline, the picture's text alternative
    const steps = page.getByRole('list', { name: /steps of the workflow/i }).getByRole('listitem');
    await expect.poll(() => steps.count()).toBe(view.steps.length);
    expect(await steps.first().textContent()).toContain('Triage');
    expect(await steps.last().textContent()).toContain('AwaitAgent');
    expect(await steps.last().textContent()).toContain('now');
    await expectAccessible(page, `the workflow picture as a supervisor`);

    // Every role that may open it: ops (no ticket link for them), admin, the ticket's agent
    for (const who of [ops, admin, agent]) {
      const other = await visit(who, `/ops/tickets/${number}/workflow`);
      await other.getByRole('img', { name: new RegExp(`ticket #${number}'s workflow`) }).waitFor();
      expect(await highlighted(other)).toBe('AwaitAgent');
      expect(await other.getByRole('link', { name: `Open ticket #${number}` }).count()).toBe(
        who.role === 'ops' ? 0 : 1,
      );
      await expectAccessible(other, `the workflow picture as ${who.role}`);
    }
    harness.assertNoErrors();
  });

  it('lists a failed workflow with its error and cause, and redrives it from the page', async () => {
    // Prepare: the next ticket's park task fails once (POST /_local/faults)
    const fault = await harness.stack.api('/_local/faults', {
      method: 'POST',
      body: { task: 'AwaitAgent', times: 1 },
    });
    expect(fault.status).toBe(200);
    const number = await open('faulted');
    await harness.stack.settle();

    // Act: ops opens the failed workflows
    const page = await visit(ops, '/ops/executions');
    const row = rowOf(page, number);
    await row.waitFor();

    // Assess: the ticket, the state it failed in, the error and its cause, a link to its picture
    expect(await row.textContent()).toContain('AwaitAgent');
    expect(await row.textContent()).toContain('LocalFault');
    expect(await row.textContent()).toContain('POST /_local/faults');
    expect(await row.getByRole('link', { name: `Workflow of ticket #${number}` }).getAttribute('href')).toBe(
      `/ops/tickets/${number}/workflow`,
    );
    await expectAccessible(page, 'the failed workflows as ops');

    // Its picture: stopped in the state that failed, marked failed; the step says why
    await row.getByRole('link', { name: `Workflow of ticket #${number}` }).click();
    await page.waitForURL((url) => url.pathname === `/ops/tickets/${number}/workflow`);
    await page.locator('svg.wf-graph [data-current="true"]').waitFor();
    expect(await highlighted(page)).toBe('AwaitAgent');
    expect(await page.locator('svg.wf-graph [data-current="true"]').getAttribute('data-mark')).toBe('failed');
    const failedStep = page
      .getByRole('list', { name: /steps of the workflow/i })
      .getByRole('listitem')
      .last();
    await expect.poll(() => failedStep.textContent()).toContain('LocalFault');
    await page.goBack();
    await row.waitFor();

    // Act: redrive it, with a reason, through the confirmation
    await row.getByRole('button', { name: `Redrive the workflow of ticket #${number}` }).click();
    const dialog = page.getByRole('dialog', { name: `Redrive the workflow of ticket #${number}?` });
    await dialog.waitFor();
    await expectAccessible(page, 'the redrive confirmation');
    await dialog.getByLabel(/reason/i).fill('The fault is gone.');
    await dialog.getByRole('button', { name: 'Redrive', exact: true }).click();

    // Assess: done, off the list, running again where it failed, the reason on the timeline
    await page
      .getByRole('status')
      .filter({ hasText: `Redriven: ticket #${number}` })
      .waitFor();
    await expect.poll(() => row.count()).toBe(0);
    await harness.stack.settle();
    expect(await executionsOf(number)).toEqual([
      expect.objectContaining({ status: 'RUNNING', currentState: 'AwaitAgent' }),
    ]);
    const timeline = await harness.stack.api<{ items: { type: string; data?: Record<string, unknown> }[] }>(
      `/tickets/${number}/timeline?limit=100`,
      { as: supervisor },
    );
    expect(timeline.body.items.filter((event) => event.type === 'operator_action')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ action: 'redrive', by: ops.email, reason: 'The fault is gone.' }),
      }),
    ]);
    harness.assertNoErrors();
  });

  it('restarts an aborted workflow from the page, and runs the reconciliation with its progress to its report', async () => {
    // Prepare: two parked tickets whose executions were stopped by hand
    const restarted = await open('restart');
    const repaired = await open('reconcile');
    await harness.stack.settle();
    await stopByHand(restarted);
    await stopByHand(repaired);
    await harness.stack.settle();

    // Act: the supervisor filters the aborted ones and restarts one
    const page = await visit(supervisor, '/ops/executions?status=ABORTED');
    const row = rowOf(page, restarted);
    await row.waitFor();
    expect(await rowOf(page, repaired).count()).toBe(1);
    expect(await page.getByLabel('Status').inputValue()).toBe('ABORTED');
    await row.getByRole('button', { name: `Restart the workflow of ticket #${restarted}` }).click();
    const dialog = page.getByRole('dialog', { name: `Restart the workflow of ticket #${restarted}?` });
    await dialog.getByRole('button', { name: 'Restart', exact: true }).click();
    // Assess
    await page
      .getByRole('status')
      .filter({ hasText: `Restarted: ticket #${restarted}` })
      .waitFor();
    await expect.poll(() => row.count()).toBe(0);
    await harness.stack.settle();
    expect((await executionsOf(restarted)).map((execution) => execution.status)).toEqual([
      'ABORTED',
      'RUNNING',
    ]);

    // Act: the reconciliation
    await page.getByRole('button', { name: 'Start reconciliation' }).click();
    // Assess: followed to its report, which names the ticket it restarted
    const job = page.locator('section.job');
    await job.waitFor();
    await expect.poll(() => job.getAttribute('data-job-status'), { timeout: 30_000 }).toBe('succeeded');
    expect(await job.getByRole('status').textContent()).toContain('Reconciliation finished');
    const restartedLine = job.locator('li[data-repair="restarted"]');
    expect(await restartedLine.textContent()).toContain(`#${repaired}`);
    expect(await restartedLine.getByRole('link', { name: `#${repaired}` }).getAttribute('href')).toBe(
      `/ops/tickets/${repaired}/workflow`,
    );
    expect(await job.textContent()).toMatch(/Scanned \d+ open ticket/);
    // The list follows: the repaired ticket is no longer aborted
    await expect.poll(() => rowOf(page, repaired).count()).toBe(0);
    await harness.stack.settle();
    expect((await executionsOf(repaired)).map((execution) => execution.status)).toEqual([
      'ABORTED',
      'RUNNING',
    ]);
    await expectAccessible(page, 'the reconciliation report as a supervisor');

    // Every role that may open it: ops above, the supervisor here, and the admin
    const asAdmin = await visit(admin, '/ops/executions?status=RUNNING');
    await rowOf(asAdmin, repaired).waitFor();
    await expectAccessible(asAdmin, 'the running workflows as an admin');
    harness.assertNoErrors();
  });

  it('shows the reports as charts for a range of days once tickets were resolved, with presets and the numbers', async () => {
    // Prepare: tickets resolved at Tier 1 by the agent who answered them (first contact), one
    // closed and rated by its requester; the stream processor counts them
    const requester: DevIdentity = { email: person('rated'), role: 'requester' };
    const rated = (
      await harness.stack.api<{ number: number }>('/tickets', {
        method: 'POST',
        as: requester,
        body: { subject: 'Printer jams on every page', description: 'The one on the second floor.' },
      })
    ).body.number;
    const other = await open('resolved', 'Cannot open the shared calendar');
    await open('waiting', 'Laptop fan is loud');
    await harness.stack.settle();
    for (const number of [rated, other]) {
      const act = async (path: string, body: unknown) =>
        expect(
          (await harness.stack.api(`/tickets/${number}/${path}`, { method: 'POST', as: agent, body })).status,
        ).toBeLessThan(300);
      await act('comments', { body: 'Looking into it now.' });
      await act('resolve', { resolution: 'Cleared the queue and restarted the service.' });
    }
    expect(
      (await harness.stack.api(`/tickets/${rated}/close`, { method: 'POST', as: agent, body: {} })).status,
    ).toBe(200);
    expect(
      (
        await harness.stack.api(`/tickets/${rated}/csat`, {
          method: 'POST',
          as: requester,
          body: { score: 5 },
        })
      ).status,
    ).toBe(200);
    await harness.stack.settle();
    const range = { from: '2026-11-18', to: '2026-11-24' };
    const summary = (
      await harness.stack.api<{
        tickets: { created: number; resolved: number };
        rates: { firstContactResolution: number | null };
        csat: { responses: number; distribution: Record<string, number> };
      }>(`/reports/summary?from=${range.from}&to=${range.to}`, { as: supervisor })
    ).body;
    expect(summary.tickets.resolved).toBeGreaterThanOrEqual(2);
    expect(summary.csat.distribution['5']).toBeGreaterThanOrEqual(1);

    // Act
    const page = await visit(supervisor, `/reports?from=${range.from}&to=${range.to}`);

    // Assess: the key figures and the charts of the range, each with its numbers
    const volume = page.locator('[data-chart="volume"]');
    await volume.getByRole('img', { name: /Tickets created and resolved, 7 days/ }).waitFor();
    expect(await page.locator('[data-kpi="First-contact resolution"] .kpi-value').textContent()).toBe(
      `${Math.round((summary.rates.firstContactResolution ?? 0) * 1000) / 10}%`,
    );
    await volume.getByText(/The numbers/).click();
    const today = volume.locator('tr[data-period="2026-11-24"]');
    expect(await today.locator('td').allTextContents()).toEqual([
      String(summary.tickets.created),
      String(summary.tickets.resolved),
    ]);
    expect(
      await page.locator('[data-chart="csat"] .chart-bar[data-label="5 of 5"]').getAttribute('data-value'),
    ).toBe(String(summary.csat.distribution['5']));
    for (const chart of ['backlog', 'service-levels', 'rates', 'csat', 'deflection'])
      expect(await page.locator(`[data-chart="${chart}"] svg[role="img"]`).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Last 7 days' }).getAttribute('aria-current')).toBe('true');
    await expectAccessible(page, 'the reports as a supervisor');

    // Act: a preset
    await page.getByRole('link', { name: 'Last 30 days' }).click();
    // Assess: the range in the address and on the charts (per day still)
    await page.waitForURL((url) => url.searchParams.get('from') === '2026-10-26');
    await page.getByRole('img', { name: /Tickets created and resolved, 30 days/ }).waitFor();

    // The admin, at 375 px, with 90 days (per week)
    const narrow = await visit(admin, '/reports', 375);
    await narrow.getByRole('link', { name: 'Last 90 days' }).click();
    await narrow.getByRole('img', { name: /Tickets created and resolved, 14 weeks/ }).waitFor();
    await expectAccessible(narrow, 'the reports at 375 px as an admin');
    harness.assertNoErrors();
  });
});
