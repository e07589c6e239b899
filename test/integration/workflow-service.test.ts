import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PRINTER_VENDOR } from '#infra/local/demo/service-levels';
import { seedDemoConfig } from '#infra/local/seed';
import { fixedClock } from '#shared/domain/clock';
import {
  comment,
  escalate,
  handOff,
  initialClocks,
  priorityFacts,
  reopen,
  resolve,
  setPending,
  type Transition,
} from '#shared/domain/lifecycle';
import { principalFromGroups } from '#shared/domain/principal';
import type { Ticket } from '#shared/domain/ticket';
import type { Priority, Tier } from '#shared/domain/ticket-fields';
import { mailsFor } from '#shared/email/outbound/plan';
import { loadTemplates, mailView, renderMail } from '#shared/email/outbound/render';
import { planAssignment } from '#shared/tickets/assignment';
import { DynamoWorkflowStore } from '#shared/workflow/adapters/dynamodb';
import { type Decision, type DecisionRequest, IDLE_WAIT_SECONDS } from '#shared/workflow/decision';
import { APPLY_STATE, type WorkflowAction } from '#shared/workflow/definition';
import {
  applyClockEvent,
  decide,
  evaluate,
  park,
  triage,
  type WorkflowDeps,
} from '#shared/workflow/workflow-service';
import type { WorkflowStore } from '#shared/workflow/workflow-store';
import { storedTicket, ticketDraft } from '#test/support/fixtures';
import { freshTable } from '#test/support/table';

/**
 * The workflow's tasks against DynamoDB Local, with the demo configuration and a clock the test
 * moves. Step Functions is not here: `wake` records the tokens the service completes, and each
 * test plays the state machine's part (Evaluate, then the action state the decision names).
 */

// Monday 23 November 2026, 09:00 in Berlin (the demo business calendar: Mon–Fri 09:00–17:00).
const MONDAY = '2026-11-23T08:00:00.000Z';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const EXECUTION = 'arn:aws:states:local:000000000000:execution:tierdesk-ticket-lifecycle:test';

const clock = fixedClock(MONDAY);
const TEMPLATES = loadTemplates();
const sam = principalFromGroups('sam@example.com', ['supervisors']);
const TIER1_AGENTS = ['marco@example.com', 'priya@example.com'];
const TIER2_AGENT = 'sven@example.com';

let env: Awaited<ReturnType<typeof freshTable>>;
let deps: WorkflowDeps;
let workflows: WorkflowStore;
const woken: { token: string; reasons: string[] }[] = [];

beforeAll(async () => {
  env = await freshTable(clock);
  await seedDemoConfig(env.admin);
  for (const [email, tier] of [
    ...TIER1_AGENTS.map((email) => [email, 1] as const),
    [TIER2_AGENT, 2] as const,
  ]) {
    await env.directory.putUser({ email, name: email, role: 'agent', tiers: [tier], updatedAt: MONDAY });
  }
  workflows = new DynamoWorkflowStore(env.db, env.tableName);
  const tickets = { ...env.tickets, clock };
  deps = {
    store: env.store,
    clock,
    config: env.config,
    workflows,
    wake: async (token, reasons) => {
      woken.push({ token, reasons });
      return true;
    },
    assignment: (ticket) => planAssignment(tickets, ticket),
  };
});
afterAll(() => env.drop());
beforeEach(() => {
  clock.set(new Date(MONDAY));
  woken.length = 0;
});

const at = (offset: number) => new Date(Date.parse(MONDAY) + offset);

const create = async (
  overrides: { category?: string; priority?: Priority; tier?: Tier; group?: string } = {},
): Promise<number> => {
  const now = clock.now().toISOString();
  const { priority = 'P3', tier = 1, group = `tier${tier}`, category } = overrides;
  const { ticket } = await env.store.createTicket(
    ticketDraft(now, {
      priority,
      tier,
      group,
      ...(category && { category }),
      clocks: initialClocks({ createdAt: now, priority, tier, status: 'new' }),
    }),
  );
  return ticket.number;
};

const request = (ticketNumber: number, state = 'Evaluate'): DecisionRequest => ({
  ticketNumber,
  generation: 0,
  state,
  execution: EXECUTION,
});

/** A ticket as the stream processor starts it: created, then triaged by the workflow's first task. */
const triaged = async (overrides: Parameters<typeof create>[0] = {}): Promise<number> => {
  const number = await create(overrides);
  await triage(deps, request(number, 'Triage'));
  return number;
};

const ticketOf = async (number: number): Promise<Ticket> => {
  const ticket = await env.store.getTicket(number);
  if (!ticket) throw new Error(`no ticket #${number}`);
  return ticket;
};

const timeline = async (number: number) =>
  (await env.store.timeline(number, { limit: 100, includeInternal: true })).items;

/** A person's action on the ticket, as the action handlers apply it. */
const change = (number: number, transition: (ticket: Ticket, now: Date) => Transition) =>
  env.store.mutateTicket(number, (current) => transition(current, clock.now()));

/** The ApplyClockEvent state the decision routes to (it applies what is due as it reads the ticket). */
const applyDecision = (decision: Decision): Promise<Decision> => {
  return applyClockEvent(deps, request(decision.ticketNumber, APPLY_STATE));
};

/** What Route does after a timeout: Evaluate, then every due clock event in order until none is. */
const runDue = async (number: number) => {
  const actions: WorkflowAction[] = [];
  let decision = await evaluate(deps, request(number));
  while (decision.action !== 'none') {
    if (actions.length > 20) throw new Error(`#${number} keeps finding due events: ${actions.join(', ')}`);
    actions.push(decision.action);
    decision = await applyDecision(decision);
  }
  return { actions, decision };
};

describe('Function: triage', () => {
  it('pins the policy once and routes security incidents to the Tier 2 security group', async () => {
    const number = await create({ category: 'security/incident' });

    const decision = await triage(deps, request(number, 'Triage'));

    const ticket = await ticketOf(number);
    expect(ticket).toMatchObject({ tier: 2, group: 'tier2-security' });
    expect(ticket.assignee).toBeUndefined(); // the security group assigns by hand
    expect(ticket.clocks.policy).toMatchObject({ id: 'standard', version: 1 });
    expect(ticket.clocks.facts.at(-1)).toEqual({ at: MONDAY, type: 'tier', tier: 2 });
    expect((await timeline(number)).at(-1)).toMatchObject({
      type: 'routed',
      actor: 'tierdesk',
      public: false,
      data: { tier: 2, group: 'tier2-security', rule: 'security/incident', policy: 'standard@v1' },
    });
    // P3: the first response (4 business hours) warns at 75%, before the Tier 2 OLA does.
    expect(decision).toMatchObject({
      ticketNumber: number,
      version: ticket.version,
      phase: 'working',
      action: 'none',
      loops: 1,
      next: { key: 'first_response.warning', at: at(3 * HOUR).toISOString() },
      waitSeconds: 3 * 3600,
    });

    // A repeated Triage (a retried task, a redriven execution) writes nothing.
    clock.advance(HOUR);
    const again = await triage(deps, request(number, 'Triage'));
    expect((await ticketOf(number)).version).toBe(ticket.version);
    expect((await timeline(number)).filter((event) => event.type === 'routed')).toHaveLength(1);
    expect(again).toMatchObject({ version: ticket.version, waitSeconds: 2 * 3600 });
  });

  it('keeps other categories at Tier 1 and hands them to the group round robin', async () => {
    const number = await triaged({ category: 'network/vpn' });
    const ticket = await ticketOf(number);
    expect(ticket).toMatchObject({ tier: 1, group: 'tier1' });
    expect(TIER1_AGENTS).toContain(ticket.assignee);
    // Routed and assigned in one write: version 1 was the creation.
    expect(ticket.version).toBe(2);
    // Routed where it was created: no tier fact in the whole history.
    const history = await env.store.ticketWithHistory(number);
    expect(history?.clocks.facts.map((fact) => fact.type)).toEqual(['created']);
    // The Tier 1 OLA (2 business hours) is the earliest deadline the queue sorts by.
    expect(ticket.dueAt).toBe(at(2 * HOUR).toISOString());
  });
});

describe('Function: decide', () => {
  it.each([
    ['new', 'working'],
    ['open', 'working'],
    ['pending', 'awaiting_requester'],
    ['on_hold', 'with_vendor'],
    ['resolved', 'reopen_window'],
    ['closed', 'closed'],
  ] as const)('waits in the phase of the status: %s → %s', (status, phase) => {
    const decision = decide(
      storedTicket({ status, version: 7 }),
      { generation: 2, loops: 4 },
      new Date(MONDAY),
    );
    expect(decision).toMatchObject({ ticketNumber: 42, generation: 2, loops: 5, version: 7, phase });
    expect(decision.action).toBe('none');
  });

  it('looks again after the idle wait when nothing is scheduled (no policy pinned yet)', () => {
    expect(decide(storedTicket(), { generation: 0 }, new Date(MONDAY))).toMatchObject({
      phase: 'working',
      action: 'none',
      waitSeconds: IDLE_WAIT_SECONDS,
    });
  });
});

describe('Function: applyClockEvent', () => {
  it('warn: records the warning and notifies the assignee', async () => {
    const number = await triaged({ category: 'network/vpn' });
    const { assignee } = await ticketOf(number);
    clock.set(at(1.5 * HOUR));

    const { actions, decision } = await runDue(number);

    expect(actions).toEqual(['warn']);
    const events = await timeline(number);
    // Fired at 10:30 Berlin, 75 % into the 2-hour Tier 1 OLA; what is due is the OLA, at 11:00.
    const due = at(2 * HOUR).toISOString();
    expect(events.slice(-2)).toMatchObject([
      {
        type: 'clock_warning',
        at: at(1.5 * HOUR).toISOString(),
        data: { key: 'ola.t1#0.warning', clock: 'ola', tier: 1, due },
      },
      {
        type: 'notification',
        data: { template: 'clock_warning', to: [assignee], key: 'ola.t1#0.warning', due },
      },
    ]);
    expect(decision).toMatchObject({ action: 'none', next: { key: 'ola.t1#0.breach' }, waitSeconds: 1800 });
  });

  it("warn: the notice states the clock's deadline, not the instant the warning fired", async () => {
    // P2 (high impact, medium urgency): first response within 2 business hours, warned at 75 %.
    const number = await triaged({ category: 'network/vpn', priority: 'P2' });
    clock.set(at(1.5 * HOUR));

    // Both warnings fall on one instant: one action state records them, in one write.
    expect((await runDue(number)).actions).toEqual(['warn']);

    const ticket = await ticketOf(number);
    const notices = (await timeline(number)).filter((event) => event.type === 'notification');
    const mails = notices.flatMap((notice) => mailsFor(notice, ticket, { actorIsStaff: false }));
    const rendered = mails.map(
      (mail) =>
        renderMail(TEMPLATES, mail.template, mailView(ticket, mail.view, 'support@example.com')).subject,
    );
    // Monday 09:00 Berlin + 2 business hours = 11:00 Berlin = 10:00 UTC; the warnings fired at 09:30 UTC.
    expect(rendered).toEqual([
      `[#${number}] Warning: first response due 2026-11-23 10:00 UTC`,
      `[#${number}] Warning: OLA due 2026-11-23 10:00 UTC`,
    ]);
  });

  it('escalate: an OLA breach at Tier 1 moves the ticket to Tier 2, automatically, and assigns it there', async () => {
    const number = await triaged({ category: 'network/vpn' });
    const { assignee, version } = await ticketOf(number);
    clock.set(at(2 * HOUR));

    const { actions } = await runDue(number);

    expect(actions).toEqual(['warn', 'escalate']);
    const ticket = await ticketOf(number);
    expect(ticket).toMatchObject({ tier: 2, group: 'tier2', assignee: TIER2_AGENT });
    // One write per action: the escalation and its assignment are one version.
    expect(ticket.version).toBe(version + 2);
    const events = await timeline(number);
    const breach = events.findIndex((event) => event.type === 'clock_breach');
    expect(events.slice(breach)).toMatchObject([
      { type: 'clock_breach', data: { key: 'ola.t1#0.breach', clock: 'ola', tier: 1 } },
      {
        type: 'escalated',
        actor: 'tierdesk',
        data: { fromTier: 1, toTier: 2, automatic: true, trigger: 'ola_breach' },
      },
      { type: 'notification', data: { template: 'escalated', to: ['group:tier2', assignee] } },
      { type: 'assigned', data: { assignee: TIER2_AGENT, mode: 'least_loaded', group: 'tier2' } },
    ]);
  });

  it('breach: a first-response breach is recorded and the supervisors are told', async () => {
    const number = await triaged({ category: 'security/incident' });
    clock.set(at(4 * HOUR));

    const { actions } = await runDue(number);

    expect(actions).toEqual(['warn', 'breach']);
    expect((await timeline(number)).slice(-2)).toMatchObject([
      { type: 'clock_breach', data: { key: 'first_response.breach', clock: 'first_response' } },
      {
        type: 'notification',
        data: { template: 'clock_breach', to: ['group:tier2-security', 'role:supervisors'] },
      },
    ]);
    expect((await ticketOf(number)).tier).toBe(2);
  });

  it('notify_supervisors: an OLA breach at Tier 3 has no tier to go to; the supervisors hear of it', async () => {
    const number = await triaged({ tier: 3 });
    // Wednesday 17:00 Berlin: three business days at Tier 3.
    clock.set(at(2 * DAY + 8 * HOUR));

    const { actions } = await runDue(number);

    expect(actions).toContain('notify_supervisors');
    expect(actions).not.toContain('escalate');
    const ticket = await ticketOf(number);
    expect(ticket.tier).toBe(3);
    const events = await timeline(number);
    expect(events.some((event) => event.type === 'escalated')).toBe(false);
    expect(events.find((event) => event.data?.template === 'ola_breach_last_tier')).toMatchObject({
      data: { to: ['role:supervisors', 'group:tier3'], key: 'ola.t3#0.breach' },
    });
  });

  it('remind_vendor: a UC breach reminds the vendor and tells the owner; then a reminder every wall day', async () => {
    const number = await triaged({ tier: 3 });
    await change(number, (ticket, now) =>
      handOff(ticket, sam, { vendor: DEMO_PRINTER_VENDOR, message: 'Fuser fault.' }, now),
    );
    const vendor = DEMO_PRINTER_VENDOR.email;
    // The contract's 4 business hours to respond, in the vendor's calendar.
    clock.set(at(4 * HOUR));

    expect((await runDue(number)).actions).toEqual(['warn', 'remind_vendor']);
    expect((await timeline(number)).slice(-4)).toMatchObject([
      { type: 'clock_breach', data: { clock: 'uc_response', key: 'uc_response#0.breach' } },
      { type: 'reminder', data: { to: vendor, vendorId: 'printix' } },
      { type: 'notification', data: { template: 'vendor_reminder', to: [vendor] } },
      { type: 'notification', data: { template: 'uc_breach', to: ['group:tier3'] } },
    ]);

    clock.set(at(DAY));
    expect((await runDue(number)).actions).toEqual(['remind_vendor']);
    // The reminder is about the response the contract asked for by Monday 13:00 Berlin, not about
    // the instant it is sent.
    const responseDue = at(4 * HOUR).toISOString();
    expect((await timeline(number)).slice(-2)).toMatchObject([
      { type: 'reminder', data: { to: vendor, key: 'vendor_reminder#0.1', due: responseDue } },
      { type: 'notification', data: { template: 'vendor_reminder', to: [vendor], due: responseDue } },
    ]);
  });

  it('remind_requester, then close: pending too long reminds the requester, later auto-closes', async () => {
    const number = await triaged({ category: 'network/vpn' });
    await change(number, (ticket, now) => setPending(ticket, sam, { reason: 'Which VPN client?' }, now));
    const requester = (await ticketOf(number)).requester;

    clock.set(at(3 * DAY - 60_000));
    expect((await runDue(number)).actions).toEqual([]);
    clock.set(at(3 * DAY));
    expect((await runDue(number)).actions).toEqual(['remind_requester']);
    expect((await timeline(number)).slice(-2)).toMatchObject([
      { type: 'reminder', public: true, data: { to: requester } },
      { type: 'notification', data: { template: 'pending_reminder', to: [requester] } },
    ]);

    clock.set(at(7 * DAY));
    const { actions, decision } = await runDue(number);
    expect(actions).toEqual(['close']);
    expect(decision.phase).toBe('closed');
    expect(await ticketOf(number)).toMatchObject({ status: 'closed', closeReason: 'auto_closed' });
    expect((await timeline(number)).at(-1)).toMatchObject({
      type: 'closed',
      actor: 'tierdesk',
      data: { reason: 'auto_closed' },
    });
  });

  it('close: the end of the reopen window closes a resolved ticket as resolved', async () => {
    const number = await triaged({ category: 'network/vpn' });
    await change(number, (ticket, now) => resolve(ticket, sam, { resolution: 'Reinstalled.' }, now));

    clock.set(at(5 * DAY));
    const { actions, decision } = await runDue(number);

    expect(actions).toEqual(['close']);
    expect(decision.phase).toBe('closed');
    expect(await ticketOf(number)).toMatchObject({ status: 'closed', closeReason: 'resolved' });
  });

  it('applies a duplicated event once: the second run writes nothing', async () => {
    const number = await triaged({ category: 'network/vpn' });
    clock.set(at(1.5 * HOUR));
    const decision = await evaluate(deps, request(number));
    expect(decision.action).toBe('warn');

    const first = await applyDecision(decision);
    const second = await applyDecision(decision);

    expect(second.version).toBe(first.version);
    expect((await ticketOf(number)).version).toBe(first.version);
    const warnings = (await timeline(number)).filter((event) => event.type === 'clock_warning');
    expect(warnings).toHaveLength(1);
  });

  it('applies two concurrent runs of the same event once', async () => {
    const number = await triaged({ category: 'network/vpn' });
    clock.set(at(2 * HOUR));
    await applyDecision(await evaluate(deps, request(number))); // the warning
    const breach = await evaluate(deps, request(number));
    expect(breach.action).toBe('escalate');

    await Promise.all([applyDecision(breach), applyDecision(breach)]);

    expect((await ticketOf(number)).tier).toBe(2);
    const events = await timeline(number);
    expect(events.filter((event) => event.type === 'escalated')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'clock_breach')).toHaveLength(1);
  });

  it('writes nothing for an event no longer due: the first response came before the warning', async () => {
    const number = await triaged({ category: 'security/incident' });
    clock.set(at(3 * HOUR));
    const decision = await evaluate(deps, request(number));
    expect(decision).toMatchObject({ action: 'warn', due: { key: 'first_response.warning' } });
    // The reply was sent a minute before the warning, but landed after Evaluate read the ticket.
    await change(number, (ticket) =>
      comment(ticket, sam, { body: 'Isolate the laptop, please.', public: true }, at(3 * HOUR - 60_000)),
    );
    const before = await ticketOf(number);

    const after = await applyDecision(decision);

    expect((await ticketOf(number)).version).toBe(before.version);
    expect((await timeline(number)).some((event) => event.type === 'clock_warning')).toBe(false);
    expect(after).toMatchObject({
      version: before.version,
      action: 'none',
      next: { key: 'ola.t2#0.warning' },
    });
  });

  it('writes nothing when a reopen beats the close at the end of the window', async () => {
    const number = await triaged({ category: 'network/vpn' });
    await change(number, (ticket, now) => resolve(ticket, sam, { resolution: 'Reinstalled.' }, now));
    clock.set(at(5 * DAY));
    const decision = await evaluate(deps, request(number));
    expect(decision.action).toBe('close');
    await change(number, (ticket, now) => reopen(ticket, sam, { reason: 'It drops again.' }, now));

    const after = await applyDecision(decision);

    expect((await ticketOf(number)).status).toBe('open');
    expect(after).toMatchObject({ phase: 'working', action: 'none' });
  });

  it('records an OLA breach without escalating when the ticket left the tier after the breach', async () => {
    const number = await triaged({ category: 'network/vpn' });
    clock.set(at(2 * HOUR + 5 * 60_000));
    await applyDecision(await evaluate(deps, request(number))); // the warning
    const breach = await evaluate(deps, request(number));
    expect(breach).toMatchObject({ action: 'escalate', due: { key: 'ola.t1#0.breach' } });
    // An agent escalates by hand after the breach, before the workflow's EscalateTier runs.
    await change(number, (ticket, now) =>
      escalate(ticket, sam, { reason: 'Needs the network team', summary: 'Reset the VPN profile.' }, now),
    );

    const after = await applyDecision(breach);

    const ticket = await ticketOf(number);
    expect(ticket.tier).toBe(2);
    const events = await timeline(number);
    expect(events.filter((event) => event.type === 'escalated')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'clock_breach')).toMatchObject([
      { data: { key: 'ola.t1#0.breach' } },
    ]);
    expect(after).toMatchObject({ version: ticket.version, action: 'none' });
  });

  it('records an OLA breach without escalating when the ticket was resolved after the breach', async () => {
    const number = await triaged({ category: 'network/vpn' });
    clock.set(at(2 * HOUR + 5 * 60_000));
    await applyDecision(await evaluate(deps, request(number))); // the warning
    const breach = await evaluate(deps, request(number));
    expect(breach.action).toBe('escalate');
    await change(number, (ticket, now) => resolve(ticket, sam, { resolution: 'Reinstalled.' }, now));

    const after = await applyDecision(breach);

    expect(await ticketOf(number)).toMatchObject({ tier: 1, status: 'resolved' });
    const events = await timeline(number);
    expect(events.some((event) => event.type === 'escalated')).toBe(false);
    expect(events.filter((event) => event.type === 'clock_breach')).toMatchObject([
      { data: { key: 'ola.t1#0.breach' } },
    ]);
    expect(after).toMatchObject({ phase: 'reopen_window', action: 'none' });
  });
});

/** What a park state passes its function after a decision (the token is the test's). */
const parkRequest = (decision: Decision) => ({
  ticketNumber: decision.ticketNumber,
  version: decision.version,
  phase: decision.phase === 'closed' ? ('working' as const) : decision.phase,
  decided: { phase: decision.phase, action: decision.action },
  token: 'token',
  waitSeconds: decision.waitSeconds,
  execution: EXECUTION,
});

describe('Function: park', () => {
  it('stores the token on the version it decided from', async () => {
    const number = await triaged({ category: 'network/vpn' });
    const decision = await evaluate(deps, request(number));

    const result = await park(deps, {
      ticketNumber: number,
      version: decision.version,
      phase: 'working',
      decided: { phase: 'working', action: 'none' },
      token: 'token-1',
      waitSeconds: decision.waitSeconds,
      execution: EXECUTION,
    });

    expect(result).toEqual({ parked: true });
    expect(await workflows.parked(number)).toEqual({
      ticketNumber: number,
      token: 'token-1',
      version: decision.version,
      phase: 'working',
      parkedAt: MONDAY,
      execution: EXECUTION,
    });
    expect(woken).toEqual([]);
  });

  it('wakes itself when the ticket changed between the decision and the park (a lost race)', async () => {
    const number = await triaged({ category: 'network/vpn' });
    const first = await evaluate(deps, request(number));
    await park(deps, { ...parkRequest(first), token: 'token-1' });
    const decision = await evaluate(deps, request(number));
    // The requester's reply lands after Evaluate read the ticket: its stream record finds token-1.
    await change(number, (ticket, now) =>
      comment(
        ticket,
        principalFromGroups(ticket.requester, []),
        { body: 'Still broken.', public: true },
        now,
      ),
    );

    const result = await park(deps, { ...parkRequest(decision), token: 'token-2' });

    expect(result).toEqual({ parked: false });
    expect(woken).toEqual([{ token: 'token-2', reasons: ['changed while parking'] }]);
    // The woken workflow decides again, from the new version, and parks on it.
    const next = await evaluate(deps, request(number));
    expect(next.version).toBe((await ticketOf(number)).version);
    expect(await park(deps, { ...parkRequest(next), token: 'token-3' })).toEqual({ parked: true });
    expect(await workflows.parked(number)).toMatchObject({ token: 'token-3', version: next.version });
  });
});

describe('Function: park, entered without Route (Triage parks in AwaitAgent)', () => {
  it('hands a decision for another phase to Evaluate: it wakes itself and stores no token', async () => {
    const number = await triaged({ category: 'network/vpn' });
    await change(number, (ticket, now) => resolve(ticket, sam, { resolution: 'Reinstalled.' }, now));
    const decision = await evaluate(deps, request(number));
    expect(decision.phase).toBe('reopen_window');

    const result = await park(deps, { ...parkRequest(decision), phase: 'working', token: 'token-4' });

    expect(result).toEqual({ parked: false });
    expect(woken).toEqual([{ token: 'token-4', reasons: ['decided to do something else'] }]);
    expect(await workflows.parked(number)).toBeUndefined();
  });

  it('hands a decision with a clock event due to Evaluate', async () => {
    const number = await triaged({ category: 'network/vpn' });
    clock.set(at(1.5 * HOUR));
    const decision = await evaluate(deps, request(number));
    expect(decision.action).toBe('warn');

    expect(await park(deps, { ...parkRequest(decision), token: 'token-5' })).toEqual({ parked: false });
    expect(woken).toEqual([{ token: 'token-5', reasons: ['decided to do something else'] }]);
  });
});

describe('Function: evaluate', () => {
  it('decides from the ticket as stored: the change itself brought dueAt up to date, Evaluate writes nothing', async () => {
    const number = await triaged({ category: 'network/vpn' });
    const before = await ticketOf(number);
    // An agent raises the priority to P1: its first response is due within one business hour.
    await change(number, (ticket, now) => ({
      ticket: priorityFacts(
        ticket,
        { ...ticket, priority: 'P1', priorityOverridden: true },
        now.toISOString(),
      ),
      events: [],
    }));
    const changed = await ticketOf(number);
    expect(changed.dueAt).toBe(at(HOUR).toISOString());
    expect(changed.version).toBe(before.version + 1);

    const decision = await evaluate(deps, request(number));

    expect((await ticketOf(number)).version).toBe(changed.version);
    expect(decision).toMatchObject({ version: changed.version, next: { key: 'first_response.warning' } });
  });
});
