import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoConfig } from '#infra/local/seed';
import { type StreamPoller, startStreamPoller } from '#infra/local/stream-poller';
import { processChanges } from '#shared/changes/process-changes';
import { answerByLink, answerByMail, answerSignedIn, surveyToken } from '#shared/csat/csat-service';
import { staticKeyring } from '#shared/csat/survey-link';
import { fixedClock } from '#shared/domain/clock';
import { evaluateClocks } from '#shared/domain/clocks';
import { type Principal, principalFromGroups } from '#shared/domain/principal';
import type { Ticket } from '#shared/domain/ticket';
import type { TimelineEvent } from '#shared/domain/timeline';
import { DynamoReportStore } from '#shared/reports/adapters/dynamodb';
import { reportSummary } from '#shared/reports/report-service';
import {
  closeTicket,
  escalateTicket,
  reopenTicket,
  resolveTicket,
  setTicketPending,
} from '#shared/tickets/ticket-actions';
import { addComment, openTicket } from '#shared/tickets/ticket-service';
import { DynamoWorkflowStore } from '#shared/workflow/adapters/dynamodb';
import { triage, type WorkflowDeps } from '#shared/workflow/workflow-service';
import { freshTable } from '#test/support/table';

/**
 * The acceptance test of the reports: a scripted day of 200 tickets through the real use cases on
 * DynamoDB Local, the stream's records handed to the real stream processor, and every figure
 * recomputed here from the tickets' timelines and clock facts alone — this file imports nothing
 * of the reports but their store and the summary use case it checks. Then every record of the
 * day is processed a second time, shuffled, and the figures must not move.
 */

const START = '2026-11-23T07:00:00.000Z'; // Monday, 08:00 in Berlin (the demo desk's zone)
const ZONE = 'Europe/Berlin';
const TICKETS = 200;
const ACCURACY = 0.01;

const clock = fixedClock(START);
const tick = (minutes = 3) => clock.set(new Date(clock.now().getTime() + minutes * 60_000));
const keyring = staticKeyring([{ id: 'k1', secret: Buffer.from('acceptance key') }]);
const tier1 = principalFromGroups('marco@example.com', ['tier1']);
const tier2 = principalFromGroups('sven@example.com', ['tier2']);
const supervisor = principalFromGroups('sam@example.com', ['supervisors']);

/** A small deterministic generator (mulberry32), so the day is the same on every run. */
const random = (() => {
  let seed = 20261123;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})();
const chance = (p: number) => random() < p;

let env: Awaited<ReturnType<typeof freshTable>>;
let poller: StreamPoller;
const delivered: DynamoDBRecord[] = [];

beforeAll(async () => {
  env = await freshTable(clock);
  await seedDemoConfig(env.admin);
  poller = await startStreamPoller({
    endpoint: env.endpoint,
    tableName: env.tableName,
    intervalMs: 20,
    handler: async (event) => {
      delivered.push(...event.Records);
      return { batchItemFailures: [] };
    },
  });
});
afterAll(async () => {
  await poller?.stop();
  await env?.drop();
});

// ---- the day ---------------------------------------------------------------------------------

const requester = (i: number): Principal => principalFromGroups(`user${i}@example.com`, ['requesters']);

const playTicket = async (i: number, workflow: WorkflowDeps) => {
  const who = requester(i);
  const { ticket } = await openTicket(env.tickets, who, {
    subject: `Request ${i}`,
    description: 'Something is broken.',
    impact: i % 3 === 0 ? 'high' : 'medium',
    urgency: i % 2 === 0 ? 'low' : 'medium',
    tags: [],
    watchers: [],
  });
  const n = ticket.number;
  await triage(workflow, { ticketNumber: n, generation: 0, state: 'Triage', execution: 'arn:test' });
  tick(2 + Math.floor(random() * 30));
  let agent = tier1;
  if (chance(0.85)) await addComment(env.tickets, agent, n, { body: 'Looking into it.', public: true });
  tick(1 + Math.floor(random() * 20));
  if (chance(0.25)) {
    await escalateTicket(env.tickets, agent, n, {
      reason: 'Needs a specialist',
      summary: 'Tried the basics.',
    });
    agent = tier2;
    tick(5);
    if (chance(0.7)) await addComment(env.tickets, agent, n, { body: 'Specialist here.', public: true });
  }
  if (chance(0.15)) {
    await setTicketPending(env.tickets, agent, n, { reason: 'Which floor?' });
    tick(10);
    await addComment(env.tickets, who, n, { body: 'Third floor.', public: true });
  }
  tick(1 + Math.floor(random() * 40));
  if (!chance(0.8)) return;
  await resolveTicket(env.tickets, agent, n, { resolution: 'Fixed.' });
  tick(2);
  if (chance(0.15)) {
    await reopenTicket(env.tickets, who, n, { reason: 'Broken again.' });
    tick(15);
    await resolveTicket(env.tickets, agent, n, { resolution: 'Fixed for good.' });
    tick(2);
  }
  if (!chance(0.7)) return;
  await closeTicket(env.tickets, agent, n, {});
  tick(1);
  if (!chance(0.6)) return;
  const score = 1 + Math.floor(random() * 5);
  const closed = (await env.store.getTicket(n)) as Ticket;
  const answer = { score, comment: 'ok' };
  if (i % 3 === 0) await answerSignedIn({ tickets: env.tickets, keyring }, who, n, answer);
  else if (i % 3 === 1)
    await answerByLink({ tickets: env.tickets, keyring }, await surveyToken(keyring, closed), answer);
  else await answerByMail({ tickets: env.tickets }, n, who.id, answer);
  if (chance(0.2)) {
    tick(30);
    await answerSignedIn({ tickets: env.tickets, keyring }, who, n, { score: 1 + ((score + 1) % 5) });
  }
};

// ---- the independent recomputation -------------------------------------------------------------

const dayOf = (at: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(at));

const fullTimeline = async (n: number): Promise<TimelineEvent[]> => {
  const events: TimelineEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.store.timeline(n, {
      limit: 100,
      includeInternal: true,
      ...(cursor && { cursor }),
    });
    events.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return events;
};

/** The tier a ticket was at, at an instant: from its clock facts (created, then each tier move). */
const tierAt = (ticket: Ticket, at: string, before = false) => {
  let tier = 1;
  for (const fact of ticket.clocks.facts) {
    if (before ? fact.at >= at : fact.at > at) break;
    if (fact.type === 'created' || fact.type === 'tier') tier = fact.tier;
  }
  return tier;
};

/** Business time of a clock at the instant it stopped: the clock engine on the facts until then. */
const clockAt = (ticket: Ticket, at: string, clock: string) => {
  const policy = ticket.clocks.policy;
  if (!policy) return undefined;
  const view = evaluateClocks({
    facts: ticket.clocks.facts.filter((fact) => fact.at <= at),
    applied: [],
    policy,
    now: new Date(at),
  });
  return view.clocks.find((state) => state.clock === clock && state.stoppedAt === at)?.elapsed;
};

interface Expected {
  counts: Map<string, number>;
  firstResponse: number[];
  resolution: number[];
}

const recompute = async (numbers: number[]): Promise<Expected> => {
  const counts = new Map<string, number>();
  const add = (day: string, tier: number, name: string, amount = 1) => {
    for (const key of [`${day}#${tier}#${name}`, `${day}#*#${name}`])
      counts.set(key, (counts.get(key) ?? 0) + amount);
  };
  const firstResponse: number[] = [];
  const resolution: number[] = [];
  for (const n of numbers) {
    const ticket = (await env.store.getTicket(n)) as Ticket;
    let replied = false;
    let answer: { day: string; tier: number; score: number } | undefined;
    for (const event of await fullTimeline(n)) {
      const day = dayOf(event.at);
      const tier = tierAt(ticket, event.at);
      switch (event.type) {
        case 'created':
          add(day, tier, 'created');
          break;
        case 'resolved':
          add(day, tier, 'resolved');
          resolution.push(clockAt(ticket, event.at, 'resolution') ?? Number.NaN);
          break;
        case 'closed':
          add(day, tier, 'closed');
          add(day, tier, 'surveyed');
          break;
        case 'reopened':
          add(day, tier, 'reopened');
          break;
        case 'escalated':
          add(day, tierAt(ticket, event.at, true), 'escalatedManual');
          break;
        case 'comment':
          if (!replied && event.public && event.actor !== ticket.requester) {
            replied = true;
            add(day, tier, 'firstResponded');
            firstResponse.push(clockAt(ticket, event.at, 'first_response') ?? Number.NaN);
          }
          break;
        case 'csat_recorded': {
          const score = Number(event.data?.score);
          if (answer) {
            add(answer.day, answer.tier, `csat_${answer.score}`, -1);
            add(answer.day, answer.tier, 'csatResponses', -1);
          }
          answer = { day, tier, score };
          add(day, tier, `csat_${score}`);
          add(day, tier, 'csatResponses');
          break;
        }
        default:
          break;
      }
    }
  }
  return { counts, firstResponse, resolution };
};

const exactQuantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))] as number;
};

const shuffled = <T>(items: T[]): T[] => {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
};

describe('Acceptance: a day of reports', () => {
  it('counts every figure exactly, p50/p90 within 1 %, and again after the day is replayed shuffled', async () => {
    // Prepare: the day, through the use cases
    const workflow: WorkflowDeps = {
      store: env.store,
      clock,
      config: env.config,
      workflows: new DynamoWorkflowStore(env.db, env.tableName),
      wake: async () => true,
    };
    const numbers: number[] = [];
    for (let i = 0; i < TICKETS; i++) {
      const before = await env.store.getTicket(i + 1);
      expect(before).toBeUndefined();
      await playTicket(i, workflow);
      numbers.push(i + 1);
    }
    await poller.drain();
    const records = delivered.splice(0);
    const reports = new DynamoReportStore(env.db, env.tableName, () => clock.now());
    const process = processChanges({
      signals: { start: async () => 'started' as never, wake: async () => true },
      workflows: { parked: async () => undefined },
      reports: { reports, config: env.config },
    });
    const deps = { reports, store: env.store, config: env.config, clock };
    const expected = await recompute(numbers);
    const days = [...new Set([...expected.counts.keys()].map((key) => key.split('#')[0] as string))].sort();

    const check = async () => {
      for (const day of days) {
        for (const tier of ['*', 1, 2, 3] as const) {
          const summary = await reportSummary(deps, supervisor, {
            from: day,
            to: day,
            ...(tier !== '*' && { tier }),
          });
          const want = (name: string) => expected.counts.get(`${day}#${tier}#${name}`) ?? 0;
          expect({ day, tier, ...summary.tickets, csat: summary.csat.distribution }).toEqual({
            day,
            tier,
            ...summary.tickets,
            created: want('created'),
            firstResponded: want('firstResponded'),
            resolved: want('resolved'),
            closed: want('closed'),
            reopened: want('reopened'),
            escalated: { manual: want('escalatedManual'), automatic: 0 },
            csat: Object.fromEntries([1, 2, 3, 4, 5].map((s) => [String(s), want(`csat_${s}`)])),
          });
          expect(summary.csat.responses).toBe(want('csatResponses'));
          expect(summary.csat.surveyed).toBe(want('surveyed'));
        }
      }
      const all = await reportSummary(deps, supervisor, { from: days[0], to: days.at(-1) });
      for (const [name, values] of [
        ['firstResponse', expected.firstResponse],
        ['resolution', expected.resolution],
      ] as const) {
        expect(all.durations[name]?.count).toBe(values.length);
        for (const [q, key] of [
          [0.5, 'p50'],
          [0.9, 'p90'],
        ] as const) {
          const exact = exactQuantile(values, q);
          const estimate = all.durations[name]?.[key] as number;
          expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(ACCURACY * exact + 1e-9);
        }
      }
    };

    // Act: the day's records, in stream order
    expect(await process({ Records: records })).toEqual({ batchItemFailures: [] });
    // Assess
    await check();

    // Act: every record again, shuffled
    expect(await process({ Records: shuffled(records) })).toEqual({ batchItemFailures: [] });
    // Assess: nothing moved
    await check();
  }, 170_000);
});
