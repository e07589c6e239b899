import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DESK_DOCUMENT } from '#infra/local/demo/service-levels';
import type { DevIdentity } from '#infra/local/dev-key';
import { DynamoConfigStore } from '#shared/config/adapters/dynamodb';
import { applyConfig } from '#shared/config/admin';
import { fixedClock } from '#shared/domain/clock';
import { principalFromGroups } from '#shared/domain/principal';
import { TransactWriteCommand } from '#shared/store/sdk';
import { planAssignment } from '#shared/tickets/assignment';
import type { Decision, DecisionRequest } from '#shared/workflow/decision';
import { APPLY_STATE, type WorkflowAction } from '#shared/workflow/definition';
import { applyClockEvent, evaluate, triage, type WorkflowDeps } from '#shared/workflow/workflow-service';
import { type ApiCall, type ApiResponse, apiFor } from '#test/support/api';
import { freshTable } from '#test/support/table';

/**
 * The configuration through the admin API on DynamoDB Local: a whole desk applied at once and
 * again (a no-op), invalid documents refused naming their field with nothing half-applied,
 * items changed, deleted and restored under If-Match and audited — and what the configuration
 * does to tickets: routing, round-robin assignment, the OLA on the desk's calendar across a
 * weekend, public holidays and a DST change, pinned policy versions, the what-if dry run.
 */

// Good Friday, 26 March 2027, 16:00 in Berlin (CET, UTC+1): a public holiday, before the weekend
// on which clocks go forward (Sunday 28 March) and Easter Monday (29 March), another holiday.
const GOOD_FRIDAY_4PM = '2027-03-26T15:00:00.000Z';
// The Tier 1 OLA (2 business hours) starts with the first working hour after that — Tuesday 30
// March, 09:00 CEST (UTC+2) = 07:00Z — and ends two working hours later: 11:00 CEST = 09:00Z.
const OLA_BREACH = '2027-03-30T09:00:00.000Z';
const SECOND = 1_000;

const clock = fixedClock('2026-12-01T10:00:00.000Z');
const lena: DevIdentity = { email: 'lena@example.com', role: 'admin' };
const sam: DevIdentity = { email: 'sam@example.com', role: 'supervisor' };
const priya: DevIdentity = { email: 'priya@example.com', role: 'agent', tiers: [1] };

let env: Awaited<ReturnType<typeof freshTable>>;
let api: (call: ApiCall) => Promise<ApiResponse>;
let workflow: WorkflowDeps;

// biome-ignore lint/suspicious/noExplicitAny: the tests spoil documents field by field
type Document = Record<string, any>;
const desk = (): Document => structuredClone(DEMO_DESK_DOCUMENT) as Document;
const apply = (document: unknown, ifMatch = '*') =>
  api({ method: 'PUT', url: '/admin/config', as: lena, body: document, headers: { 'if-match': ifMatch } });
const current = async () => (await api({ method: 'GET', url: '/admin/config', as: sam })).json;

const request = (ticketNumber: number, state = 'Evaluate'): DecisionRequest => ({
  ticketNumber,
  state,
  execution: 'arn:aws:states:local:000000000000:execution:tierdesk-ticket-lifecycle:admin',
  generation: 0,
  loops: 0,
});

/** What the state machine does after a wait: Evaluate, then every due clock event in order. */
const runDue = async (number: number) => {
  const actions: WorkflowAction[] = [];
  let decision: Decision = await evaluate(workflow, request(number));
  while (decision.action !== 'none') {
    actions.push(decision.action);
    decision = await applyClockEvent(workflow, request(number, APPLY_STATE));
  }
  return actions;
};

/** A ticket filed through the API by a requester, then triaged as the workflow's first step. */
const fileTicket = async (category: string, impact = 'medium', urgency = 'medium') => {
  const created = await api({
    method: 'POST',
    url: '/tickets',
    as: { email: 'alice@example.com', role: 'requester' },
    body: {
      subject: 'No network on the 3rd floor',
      description: 'The port is dead.',
      category,
      impact,
      urgency,
    },
  });
  expect(created.status).toBe(201);
  const number = created.json.number as number;
  await triage(workflow, request(number, 'Triage'));
  return number;
};

const timeline = async (number: number) =>
  (await env.store.timeline(number, { limit: 100, includeInternal: true })).items;

beforeAll(async () => {
  env = await freshTable(clock);
  api = apiFor(env.tickets, env.tableName, env.endpoint);
  workflow = {
    store: env.store,
    clock,
    config: env.config,
    workflows: { park: async () => true },
    wake: async () => true,
    assignment: (ticket) => planAssignment(env.tickets, ticket),
  };
});
afterAll(() => env?.drop());

describe('Routes: the whole configuration', () => {
  it('runs on the built-in desk until the first apply; applying the same file again changes nothing', async () => {
    expect(await current()).toMatchObject({ version: 0, document: { policies: [{ id: 'standard' }] } });

    const first = await apply(desk(), '"0"');
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe('"1"');
    expect(first.json).toMatchObject({ version: 1, changed: true });
    expect(first.json.changes).toContainEqual(
      expect.objectContaining({ kind: 'vendors', id: 'netcarrier', change: 'added' }),
    );

    const again = await apply(desk(), '"1"');
    expect(again.json).toEqual({ version: 1, changed: false, changes: [] });
    const audit = await api({ method: 'GET', url: '/admin/audit', as: sam });
    expect(audit.json.items.map((record: { version: number }) => record.version)).toEqual([1]);
    expect(audit.json.items[0]).toMatchObject({ by: 'lena@example.com', action: 'apply' });

    const diff = await api({ method: 'POST', url: '/admin/config/diff', as: sam, body: desk() });
    expect(diff.json).toEqual({ version: 1, changes: [] });
  });

  it('refuses a stale If-Match with 412, no If-Match with 428, and non-admins with 403', async () => {
    expect((await apply(desk(), '"0"')).status).toBe(412);
    expect((await api({ method: 'PUT', url: '/admin/config', as: lena, body: desk() })).status).toBe(428);
    expect(
      (
        await api({
          method: 'PUT',
          url: '/admin/config',
          as: sam,
          body: desk(),
          headers: { 'if-match': '*' },
        })
      ).status,
    ).toBe(403);
    expect((await api({ method: 'GET', url: '/admin/config', as: priya })).status).toBe(403);
  });

  const INVALID: [string, (d: Document) => void, string][] = [
    [
      'a zone that does not exist',
      (d) => {
        d.calendars[0].timeZone = 'Europe/Atlantis';
      },
      'body.calendars[0].timeZone',
    ],
    [
      'overlapping working spans',
      (d) => {
        d.calendars[0].weekly.mon = ['09:00-13:00', '12:00-17:00'];
      },
      'body.calendars[0].weekly.mon',
    ],
    [
      'a span that ends before it starts',
      (d) => {
        d.calendars[0].weekly.tue = ['17:00-09:00'];
      },
      'body.calendars[0].weekly.tue[0]',
    ],
    [
      'a span in another format',
      (d) => {
        d.calendars[0].weekly.wed = ['9-17'];
      },
      'body.calendars[0].weekly.wed[0]',
    ],
    [
      'a holiday that is no date',
      (d) => {
        d.calendars[0].holidays[0].date = '2026-02-30';
      },
      'body.calendars[0].holidays[0].date',
    ],
    [
      'a holiday in the wrong format',
      (d) => {
        d.calendars[0].holidays[1].date = '08.03.2026';
      },
      'body.calendars[0].holidays[1].date',
    ],
    [
      'a holiday listed twice',
      (d) => {
        d.calendars[0].holidays[1].date = d.calendars[0].holidays[0].date;
      },
      'body.calendars[0].holidays[1].date',
    ],
    [
      'a calendar with no working time',
      (d) => {
        delete d.calendars[1].alwaysOpen;
      },
      'body.calendars[1].weekly',
    ],
    [
      'holidays on a 24×7 calendar',
      (d) => {
        d.calendars[1].holidays = [{ date: '2027-01-01', name: 'New Year' }];
      },
      'body.calendars[1].holidays',
    ],
    [
      'a calendar defined twice',
      (d) => {
        d.calendars.push({ ...d.calendars[1] });
      },
      'body.calendars[2].id',
    ],
    [
      'a policy on a missing calendar',
      (d) => {
        d.policies[0].calendar = 'office-hours';
      },
      'body.policies[0].calendar',
    ],
    [
      'a warning fraction above 1',
      (d) => {
        d.policies[0].warnAt = 1.2;
      },
      'body.policies[0].warnAt',
    ],
    [
      'a warning fraction of 0',
      (d) => {
        d.policies[1].warnAt = 0;
      },
      'body.policies[1].warnAt',
    ],
    [
      'a target that is no duration',
      (d) => {
        d.policies[0].targets.P1.resolution = '4 hours';
      },
      'body.policies[0].targets.P1.resolution',
    ],
    [
      'a priority without targets',
      (d) => {
        delete d.policies[0].targets.P4;
      },
      'body.policies[0].targets.P4',
    ],
    [
      'an OLA on a missing calendar',
      (d) => {
        d.tiers[0].calendar = 'nope';
      },
      'body.tiers[0].calendar',
    ],
    [
      'escalations into a group of another tier',
      (d) => {
        d.tiers[2].group = 'tier2';
      },
      'body.tiers[2].group',
    ],
    [
      'a tier left out',
      (d) => {
        d.tiers.pop();
      },
      'body.tiers',
    ],
    [
      'a group of a tier with no OLA',
      (d) => {
        d.tiers.pop();
      },
      'body.groups[3].tier',
    ],
    [
      'an unknown assignment mode',
      (d) => {
        d.groups[0].assignment = 'random';
      },
      'body.groups[0].assignment',
    ],
    [
      'a group at Tier 4',
      (d) => {
        d.groups[0].tier = 4;
      },
      'body.groups[0].tier',
    ],
    [
      'a group defined twice',
      (d) => {
        d.groups.push({ ...d.groups[0] });
      },
      'body.groups[4].id',
    ],
    [
      'a vendor on a missing calendar',
      (d) => {
        d.vendors[0].calendar = 'nope';
      },
      'body.vendors[0].calendar',
    ],
    [
      'an address of another vendor',
      (d) => {
        d.vendors[1].addresses[1] = d.vendors[0].addresses[0];
      },
      'body.vendors[1].addresses[1]',
    ],
    [
      'a vendor address that is no address',
      (d) => {
        d.vendors[0].addresses = ['printix'];
      },
      'body.vendors[0].addresses[0]',
    ],
    [
      'a default route to a missing group',
      (d) => {
        d.routing.default = 'helpdesk';
      },
      'body.routing.default',
    ],
    [
      'a route to a missing group',
      (d) => {
        d.routing.categories[0].group = 'network-team';
      },
      'body.routing.categories[0].group',
    ],
    [
      'a category written as a sentence',
      (d) => {
        d.routing.categories[0].category = 'Network stuff';
      },
      'body.routing.categories[0].category',
    ],
    [
      'a category routed twice',
      (d) => {
        d.routing.categories.push({ ...d.routing.categories[0] });
      },
      'body.routing.categories[10].category',
    ],
    [
      'a default policy that does not exist',
      (d) => {
        d.settings.policies.default = 'gold';
      },
      'body.settings.policies.default',
    ],
    [
      'a P1 policy that does not exist',
      (d) => {
        d.settings.policies.byPriority.P1 = 'gold';
      },
      'body.settings.policies.byPriority.P1',
    ],
    [
      'a matrix cell that is no priority',
      (d) => {
        d.settings.priorityMatrix.high.high = 'P0';
      },
      'body.settings.priorityMatrix.high.high',
    ],
    [
      'a mail domain that is none',
      (d) => {
        d.settings.orgDomains = ['example com'];
      },
      'body.settings.orgDomains[0]',
    ],
    [
      'a negative reopen window',
      (d) => {
        d.settings.reopenWindow = '-5d';
      },
      'body.settings.reopenWindow',
    ],
    [
      'a field the desk does not know',
      (d) => {
        d.bogus = true;
      },
      'body.bogus',
    ],
  ];

  it.each(INVALID)(
    'refuses %s with a 422 naming the field, and changes nothing',
    async (_label, spoil, field) => {
      const document = desk();
      spoil(document);
      const before = await current();

      const response = await apply(document);

      expect(response.status).toBe(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json.errors.map((issue: { field: string }) => issue.field)).toContain(field);
      expect(await current()).toEqual(before);
    },
  );

  it('changes nothing when the one write of an apply fails (a fault at DynamoDB)', async () => {
    const before = await current();
    const failing = {
      send: (command: unknown) =>
        command instanceof TransactWriteCommand
          ? Promise.reject(Object.assign(new Error('injected'), { name: 'InternalServerError' }))
          : env.db.send(command as never),
    };
    const document = desk();
    document.settings.reopenWindow = '3d';
    const deps = {
      configs: new DynamoConfigStore(failing as never, env.tableName),
      clock,
      tickets: env.store,
    };

    await expect(
      applyConfig(deps, principalFromGroups('lena@example.com', ['admins']), document, 1),
    ).rejects.toThrow('injected');

    expect(await current()).toEqual(before);
    const audit = await api({ method: 'GET', url: '/admin/audit', as: sam });
    expect(audit.json.items).toHaveLength(1);
  });
});

describe('Routes: one item at a time', () => {
  it('changes an item under its ETag, restores the earlier version, and audits both by kind', async () => {
    const read = await api({ method: 'GET', url: '/admin/config/settings', as: lena });
    expect(read.headers.etag).toBe('"1"');
    const settings = { ...read.json, reopenWindow: '3d' };

    expect(
      (await api({ method: 'PUT', url: '/admin/config/settings', as: lena, body: settings })).status,
    ).toBe(428);
    expect(
      (
        await api({
          method: 'PUT',
          url: '/admin/config/settings',
          as: lena,
          body: settings,
          headers: { 'if-match': '"0"' },
        })
      ).status,
    ).toBe(412);
    const changed = await api({
      method: 'PUT',
      url: '/admin/config/settings',
      as: lena,
      body: settings,
      headers: { 'if-match': '"1"' },
    });
    expect(changed.json).toMatchObject({
      version: 2,
      changed: true,
      changes: [{ kind: 'settings', fields: [{ field: 'reopenWindow', before: '5d', after: '3d' }] }],
    });

    const restored = await api({
      method: 'POST',
      url: '/admin/config/restore',
      as: lena,
      body: { version: 1, kind: 'settings' },
    });
    expect(restored.json).toMatchObject({ version: 3, changed: true });
    expect((await current()).document.settings.reopenWindow).toBe('5d');

    const audit = await api({ method: 'GET', url: '/admin/audit?kind=settings', as: sam });
    expect(audit.json.items).toMatchObject([
      { version: 3, action: 'restore', restoredFrom: 1, by: 'lena@example.com' },
      { version: 2, action: 'put' },
      { version: 1, action: 'apply' },
    ]);
    const earlier = await api({ method: 'GET', url: '/admin/config/versions/2', as: sam });
    expect(earlier.json.document.settings.reopenWindow).toBe('3d');
  });

  it('creates a new item without If-Match, and refuses one that names what does not exist with 422 at its field', async () => {
    const calendar = {
      id: 'office-hours',
      name: 'Office hours',
      timeZone: 'Europe/Berlin',
      weekly: { mon: ['08:00-12:00'] },
    };
    const created = await api({
      method: 'PUT',
      url: '/admin/config/calendars/office-hours',
      as: lena,
      body: calendar,
    });
    expect(created.json).toMatchObject({
      changed: true,
      changes: [{ kind: 'calendars', id: 'office-hours', change: 'added' }],
    });

    const group = { id: 'field-service', name: 'Field service', tier: 2, assignment: 'manual' };
    expect(
      (
        await api({
          method: 'PUT',
          url: '/admin/config/groups/field-service',
          as: lena,
          body: { ...group, id: 'other' },
        })
      ).json.errors,
    ).toEqual([expect.objectContaining({ field: 'body.id' })]);
    const vendor = {
      id: 'acme',
      name: 'Acme',
      addresses: ['help@acme.example'],
      calendar: 'nope',
      response: '4h',
      resolution: '1d',
    };
    const refused = await api({ method: 'PUT', url: '/admin/config/vendors/acme', as: lena, body: vendor });
    expect(refused.status).toBe(422);
    expect(refused.json.errors).toEqual([expect.objectContaining({ field: 'body.calendar' })]);
  });

  it('refuses deleting what other configuration or open tickets still use, naming each user', async () => {
    const calendar = await api({
      method: 'DELETE',
      url: '/admin/config/calendars/24x7',
      as: lena,
      headers: { 'if-match': '*' },
    });
    expect(calendar.status).toBe(409);
    expect(calendar.json.users).toEqual(
      expect.arrayContaining(['policies[1].calendar', 'vendors[1].calendar']),
    );

    const number = await fileTicket('hardware/keyboard');
    const group = await api({
      method: 'DELETE',
      url: '/admin/config/groups/tier1',
      as: lena,
      headers: { 'if-match': '*' },
    });
    expect(group.status).toBe(409);
    expect(group.json.users.join(' ')).toContain('tiers[0].group');

    // A group nothing in the configuration names, but an open ticket is in.
    const spare = { id: 'spare', name: 'Spare', tier: 1, assignment: 'manual' };
    await api({ method: 'PUT', url: '/admin/config/groups/spare', as: lena, body: spare });
    await env.store.mutateTicket(number, (ticket) => ({ ticket: { ...ticket, group: 'spare' }, events: [] }));
    const inUse = await api({
      method: 'DELETE',
      url: '/admin/config/groups/spare',
      as: lena,
      headers: { 'if-match': '*' },
    });
    expect(inUse.status).toBe(409);
    expect(inUse.json.users).toEqual([`ticket #${number} (group spare)`]);

    // A category route an open ticket was filed under (hardware/keyboard, by the hardware route).
    const routing = await api({ method: 'GET', url: '/admin/config/routing', as: lena });
    const withoutHardware = {
      ...routing.json,
      categories: routing.json.categories.filter(
        (route: { category: string }) => route.category !== 'hardware',
      ),
    };
    const routeInUse = await api({
      method: 'PUT',
      url: '/admin/config/routing',
      as: lena,
      body: withoutHardware,
      headers: { 'if-match': String(routing.headers.etag) },
    });
    expect(routeInUse.status).toBe(409);
    expect(routeInUse.json.users).toEqual([`ticket #${number} (category hardware)`]);
  });

  it('reports calendars whose holidays run out within 60 days', async () => {
    clock.set(new Date('2027-11-15T10:00:00.000Z'));
    const { json } = await api({ method: 'GET', url: '/admin/warnings', as: sam });
    // The business-hours calendar lists holidays to the end of 2027; office-hours lists none.
    expect(json.warnings).toEqual([
      expect.objectContaining({
        field: 'calendars[0].holidays',
        message: expect.stringContaining('2027-12-26'),
      }),
      expect.objectContaining({
        field: 'calendars[2].holidays',
        message: expect.stringContaining('no holidays'),
      }),
    ]);
    clock.set(new Date('2026-12-01T10:00:00.000Z'));
    const later = (await api({ method: 'GET', url: '/admin/warnings', as: sam })).json.warnings;
    expect(later.map((warning: { field: string }) => warning.field)).toEqual(['calendars[2].holidays']);
  });
});

describe('What the configuration does to tickets', () => {
  beforeAll(async () => {
    for (const email of ['marco@example.com', 'priya@example.com']) {
      const url = `/admin/users/${encodeURIComponent(email)}`;
      const existing = await api({ method: 'GET', url, as: lena });
      const response = await api({
        method: 'PUT',
        url,
        as: lena,
        body: { name: email, role: 'agent', groups: ['tier1'], timeZone: 'Europe/Berlin' },
        ...(existing.status === 200 && { headers: { 'if-match': '*' } }),
      });
      expect([200, 201]).toContain(response.status);
    }
  });

  it('routes a network ticket filed on Good Friday at 16:00, assigns it in turn, and escalates at the hand-computed OLA instant', async () => {
    clock.set(new Date(GOOD_FRIDAY_4PM));
    const number = await fileTicket('network/switch');
    const ticket = await env.store.getTicket(number);
    expect(ticket).toMatchObject({
      tier: 1,
      group: 'tier1',
      clocks: { policy: { id: 'standard', version: 1 } },
    });
    expect(['marco@example.com', 'priya@example.com']).toContain(ticket?.assignee);

    clock.set(new Date(Date.parse(OLA_BREACH) - SECOND));
    expect(await runDue(number)).not.toContain('escalate');
    expect((await env.store.getTicket(number))?.tier).toBe(1);

    clock.set(new Date(Date.parse(OLA_BREACH) + SECOND));
    expect(await runDue(number)).toContain('escalate');
    const escalated = await env.store.getTicket(number);
    expect(escalated).toMatchObject({ tier: 2, group: 'tier2' });
    const breach = (await timeline(number)).find(
      (event) => event.type === 'clock_breach' && event.data?.clock === 'ola',
    );
    expect(breach?.data).toMatchObject({ key: 'ola.t1#0.breach', due: OLA_BREACH });
  });

  it("moves a running ticket's deadlines at its next wake when a holiday is added or an OLA changes", async () => {
    clock.set(new Date('2027-06-07T08:00:00.000Z')); // Monday 10:00 Berlin
    const number = await fileTicket('software/licence', 'low', 'low'); // P4: first response in 8 business hours
    const olaOf = async () => (await env.store.getTicket(number))?.clocks.policy?.ola[1];
    const deadline = async () => {
      const dryRun = await api({
        method: 'POST',
        url: '/admin/policies/standard/dry-run',
        as: sam,
        body: { ticket: number },
      });
      return dryRun.json.clocks.find((entry: { clock: string }) => entry.clock === 'first_response')
        .breachesAt;
    };
    // 8 business hours from Monday 10:00: Tuesday 10:00.
    expect(await deadline()).toBe('2027-06-08T08:00:00.000Z');
    expect((await env.store.getTicket(number))?.dueAt).toBe('2027-06-07T10:00:00.000Z'); // the 2 h Tier 1 OLA

    // Tuesday becomes a company holiday, and the Tier 1 OLA is raised to 4 business hours.
    const calendar = await api({ method: 'GET', url: '/admin/config/calendars/business-hours', as: lena });
    const holidays = [...calendar.json.holidays, { date: '2027-06-08', name: 'Company day' }];
    const put = await api({
      method: 'PUT',
      url: '/admin/config/calendars/business-hours',
      as: lena,
      body: { ...calendar.json, holidays },
      headers: { 'if-match': String(calendar.headers.etag) },
    });
    expect(put.status).toBe(200);
    const tier = await api({ method: 'GET', url: '/admin/config/tiers/1', as: lena });
    await api({
      method: 'PUT',
      url: '/admin/config/tiers/1',
      as: lena,
      body: { ...tier.json, ola: '4h' },
      headers: { 'if-match': String(tier.headers.etag) },
    });

    // Nothing moves until the ticket's workflow wakes; then both apply, without a redeploy.
    expect(await olaOf()).toBe(2 * 3_600_000);
    const holidaysOf = async () => (await env.store.getTicket(number))?.clocks.policy?.calendar.holidays;
    expect(await holidaysOf()).not.toContain('2027-06-08');
    clock.advance(60_000);
    await evaluate(workflow, request(number));
    expect(await olaOf()).toBe(4 * 3_600_000);
    expect((await env.store.getTicket(number))?.dueAt).toBe('2027-06-07T12:00:00.000Z');
    // The ticket's SLA clocks now count on the calendar with the holiday: Wednesday 10:00.
    expect(await holidaysOf()).toContain('2027-06-08');
    expect(await deadline()).toBe('2027-06-09T08:00:00.000Z');
  });

  it('keeps running tickets on the policy version they pinned; the dry run equals what the clocks then do', async () => {
    clock.set(new Date('2027-04-12T08:00:00.000Z')); // Monday 10:00 Berlin
    const before = await fileTicket('email/outlook', 'low', 'low'); // P4 on `standard` v1
    const dryRun = await api({
      method: 'POST',
      url: '/admin/policies/standard/dry-run',
      as: sam,
      body: { ticket: before },
    });
    expect(dryRun.status).toBe(200);
    const firstResponse = dryRun.json.clocks.find(
      (entry: { clock: string }) => entry.clock === 'first_response',
    );

    // The policy changes: P4 answers within 4 business hours from now on.
    const read = await api({ method: 'GET', url: '/admin/config/policies/standard', as: lena });
    const policy = structuredClone(read.json);
    policy.targets.P4.firstResponse = '4h';
    const changed = await api({
      method: 'PUT',
      url: '/admin/config/policies/standard',
      as: lena,
      body: policy,
      headers: { 'if-match': String(read.headers.etag) },
    });
    expect(changed.json.changes[0]).toMatchObject({ kind: 'policies', id: 'standard' });
    expect((await current()).document.policies[0].version).toBe(2);

    const after = await fileTicket('email/outlook', 'low', 'low');
    expect((await env.store.getTicket(after))?.clocks.policy).toMatchObject({ id: 'standard', version: 2 });
    expect((await env.store.getTicket(before))?.clocks.policy).toMatchObject({ id: 'standard', version: 1 });

    // The running ticket warns and breaches exactly when the dry run said, not a second before.
    for (const [kind, at] of [
      ['warning', firstResponse.warnsAt],
      ['breach', firstResponse.breachesAt],
    ] as const) {
      clock.set(new Date(Date.parse(at) - SECOND));
      await runDue(before);
      const early = (await timeline(before)).filter((event) => event.data?.key === `first_response.${kind}`);
      expect(early).toHaveLength(0);
      clock.set(new Date(Date.parse(at) + SECOND));
      await runDue(before);
      const recorded = (await timeline(before)).filter(
        (event) =>
          event.type === (kind === 'warning' ? 'clock_warning' : 'clock_breach') &&
          event.data?.key === `first_response.${kind}`,
      );
      expect(recorded).toHaveLength(1);
      expect(recorded[0]?.data?.due).toBe(firstResponse.breachesAt);
    }
    // And a draft answers for the same ticket without being stored.
    const draft = {
      ...policy,
      targets: { ...policy.targets, P4: { ...policy.targets.P4, firstResponse: '1h' } },
    };
    const whatIf = await api({
      method: 'POST',
      url: '/admin/policies/standard/dry-run',
      as: sam,
      body: { ticket: before, policy: draft },
    });
    expect(
      whatIf.json.clocks.find((entry: { clock: string }) => entry.clock === 'first_response').breachesAt,
    ).toBe('2027-04-12T09:00:00.000Z');
    expect((await current()).document.policies[0].targets.P4.firstResponse).toBe('4h');
  });
});
