import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ARTICLES } from '#infra/local/demo/articles';
import { seedDemoConfig } from '#infra/local/seed';
import { type StreamPoller, startStreamPoller } from '#infra/local/stream-poller';
import { processChanges } from '#shared/changes/process-changes';
import { configReader } from '#shared/config/reader';
import { answerByLink, answerByMail, answerSignedIn, surveyToken } from '#shared/csat/csat-service';
import { staticKeyring } from '#shared/csat/survey-link';
import { fixedClock } from '#shared/domain/clock';
import { clockInputOf, evaluateClocks } from '#shared/domain/clocks';
import { type Principal, principalFromGroups } from '#shared/domain/principal';
import type { ClockState } from '#shared/domain/service-levels';
import type { Ticket } from '#shared/domain/ticket';
import type { TimelineEvent } from '#shared/domain/timeline';
import { DynamoArticleStore, DynamoRequestWindows } from '#shared/kb/adapters/dynamodb';
import { recordAnonymousDeflection, recordDeflection } from '#shared/kb/kb-service';
import { DynamoReportStore } from '#shared/reports/adapters/dynamodb';
import { type ReportFilter, reportSummary } from '#shared/reports/report-service';
import { TICKET_ENTITY } from '#shared/store/entities';
import {
  closeTicket,
  escalateTicket,
  handOffTicket,
  mergeTicket,
  recordVendorAnswer,
  reopenTicket,
  resolveTicket,
  setTicketPending,
} from '#shared/tickets/ticket-actions';
import { addComment, openTicket } from '#shared/tickets/ticket-service';
import { DynamoWorkflowStore } from '#shared/workflow/adapters/dynamodb';
import type { Decision, DecisionRequest } from '#shared/workflow/decision';
import { APPLY_STATE } from '#shared/workflow/definition';
import { applyClockEvent, evaluate, triage, type WorkflowDeps } from '#shared/workflow/workflow-service';
import { freshTable } from '#test/support/table';

/**
 * The acceptance test of the reports: a scripted day of 200+ tickets through the real use cases
 * and workflow tasks on DynamoDB Local — escalations by hand and by the OLA running out, SLA and
 * OLA breaches, pending pauses, vendor hand-offs, reopens, merges, deflections with and without a
 * ticket, CSAT by link, mail and portal — the stream's records handed to the real stream
 * processor, and every figure recomputed here from the tickets' timelines and clock facts, with
 * the ticket as it was at each event (each version's stream image: the group changes on
 * escalation). This file imports nothing of the reports but their store and the summary use case
 * it checks. Then every record of the day is processed a second time, shuffled, and the figures
 * must not move.
 */

const START = '2026-11-23T07:00:00.000Z'; // Monday, 08:00 in Berlin (the demo desk's zone)
const ZONE = 'Europe/Berlin';
const TICKETS = 210;
const ACCURACY = 0.01;
/** Stream records per processor call (the event source mapping's batch size), lanes in parallel. */
const BATCH = 100;
const LANES = 16;
const MINUTE = 60_000;

const clock = fixedClock(START);
const tick = (minutes = 3) => clock.set(new Date(clock.now().getTime() + minutes * MINUTE));
const keyring = staticKeyring([{ id: 'k1', secret: Buffer.from('acceptance key') }]);
const agents: Record<number, Principal> = {
  1: principalFromGroups('marco@example.com', ['tier1']),
  2: principalFromGroups('sven@example.com', ['tier2']),
  3: principalFromGroups('tess@example.com', ['tier3']),
};
const supervisor = principalFromGroups('sam@example.com', ['supervisors']);
const agentFor = (tier: number) => agents[tier] ?? supervisor;
const CATEGORIES = ['software', 'network/vpn', 'hardware/printer', 'email', 'security/incident'];
const LEVELS = ['high', 'medium', 'low'] as const;
const VENDORS = ['printix', 'netcarrier'];
const ARTICLES = DEMO_ARTICLES.slice(0, 3).map((article) => article.id);

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
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

let env: Awaited<ReturnType<typeof freshTable>>;
let poller: StreamPoller;
let kb: Parameters<typeof recordDeflection>[0];
let windows: DynamoRequestWindows;
let workflow: WorkflowDeps;
/** The ticket use cases' deps, the configuration read once a minute as the functions do. */
let tickets: typeof env.tickets;
const delivered: DynamoDBRecord[] = [];

beforeAll(async () => {
  env = await freshTable(clock);
  await seedDemoConfig(env.admin);
  tickets = { ...env.tickets, config: configReader(env.configs, { ttlMs: 60_000 }) };
  const articles = new DynamoArticleStore(env.db, env.tableName);
  for (const article of DEMO_ARTICLES) await articles.createArticle(article);
  kb = { ...tickets, articles };
  windows = new DynamoRequestWindows(env.db, env.tableName);
  workflow = {
    store: env.store,
    clock,
    config: tickets.config,
    workflows: new DynamoWorkflowStore(env.db, env.tableName),
    wake: async () => true,
  };
});
afterAll(async () => {
  await poller?.stop();
  await env?.drop();
});

// ---- the day ---------------------------------------------------------------------------------

const requester = (i: number): Principal => principalFromGroups(`user${i}@example.com`, ['requesters']);
const request = (ticketNumber: number, state = 'Evaluate'): DecisionRequest => ({
  ticketNumber,
  generation: 0,
  state,
  execution: 'arn:test',
});
const ticketOf = async (n: number) => (await env.store.getTicket(n)) as Ticket;

/** What the workflow's ApplyClockEvent state does with a due event (as `workflow-service.test.ts`). */
const apply = (decision: Decision) => {
  return applyClockEvent(workflow, request(decision.ticketNumber, APPLY_STATE));
};

/**
 * Nobody works the ticket: the day's clock runs on to each next clock event of it, and the
 * workflow applies what is due (warnings, breaches, the OLA's automatic escalation), until the
 * ticket left its tier or `events` clock events passed.
 */
const neglect = async (n: number, events = 8) => {
  const from = (await ticketOf(n)).tier;
  for (let step = 0; step < events; step++) {
    let decision = await evaluate(workflow, request(n));
    while (decision.action !== 'none') decision = await apply(decision);
    if ((await ticketOf(n)).tier !== from || !decision.next) return;
    const at = Date.parse(decision.next.at) + 1000;
    if (at > clock.now().getTime()) clock.set(new Date(at));
  }
};

/** Open tickets another one may be merged into. */
const mergeTargets: number[] = [];

const deflect = async (i: number) => {
  const who = requester(1000 + (i % 7));
  const articleId = pick(ARTICLES);
  await recordDeflection(kb, who, { articleId });
  // Said again the same day: counted once.
  if (chance(0.3)) await recordDeflection(kb, who, { articleId });
  if (chance(0.5))
    await recordAnonymousDeflection({ ...kb, windows }, `10.0.0.${i % 5}`, { articleId: pick(ARTICLES) });
};

const answerSurvey = async (i: number, who: Principal, n: number) => {
  const score = 1 + Math.floor(random() * 5);
  const closed = await ticketOf(n);
  const answer = { score, comment: 'ok' };
  const csat = { tickets, keyring };
  if (i % 3 === 0) await answerSignedIn(csat, who, n, answer);
  else if (i % 3 === 1) await answerByLink(csat, await surveyToken(keyring, closed), answer);
  else await answerByMail(csat, n, who.id, answer);
  if (chance(0.2)) {
    tick(30);
    await answerSignedIn(csat, who, n, { score: 1 + ((score + 1) % 5) });
  }
};

const playTicket = async (i: number) => {
  const who = requester(i);
  const { ticket } = await openTicket(tickets, who, {
    subject: `Request ${i}`,
    description: 'Something is broken.',
    category: CATEGORIES[i % CATEGORIES.length],
    impact: LEVELS[i % 3] as (typeof LEVELS)[number],
    urgency: LEVELS[Math.floor(i / 3) % 3] as (typeof LEVELS)[number],
    tags: [],
    watchers: [],
  });
  const n = ticket.number;
  await triage(workflow, request(n, 'Triage'));
  if (i % 6 === 0) await deflect(i);
  tick(2 + Math.floor(random() * 30));
  let tier: number = (await ticketOf(n)).tier;
  if (chance(0.12)) {
    await neglect(n);
    tier = (await ticketOf(n)).tier;
  }
  if (chance(0.85)) await addComment(tickets, agentFor(tier), n, { body: 'Looking into it.', public: true });
  tick(1 + Math.floor(random() * 20));
  if (chance(0.05)) {
    // A requester finds the answer in the knowledge base: the ticket is resolved as self-served.
    await recordDeflection(kb, who, { articleId: pick(ARTICLES), ticket: n });
    tick(2);
  } else {
    if (tier < 3 && chance(0.3)) {
      await escalateTicket(tickets, agentFor(tier), n, {
        reason: 'Needs a specialist',
        summary: 'Tried.',
      });
      tier += 1;
      tick(5);
      if (chance(0.7)) await addComment(tickets, agentFor(tier), n, { body: 'On it.', public: true });
    }
    if (tier === 3 && chance(0.4)) {
      await handOffTicket(tickets, agentFor(3), n, { vendorId: pick(VENDORS), message: 'Please look.' });
      tick(20);
      await recordVendorAnswer(tickets, supervisor, n, { message: 'Looking.', resolved: false });
      tick(40);
      if (chance(0.7)) {
        await recordVendorAnswer(tickets, supervisor, n, {
          message: 'Replaced the part.',
          resolved: true,
        });
        tier = 4;
      }
    }
    if (tier !== 4 && chance(0.08) && mergeTargets.length > 0) {
      await mergeTicket(tickets, supervisor, n, { into: pick(mergeTargets) });
      return;
    }
    if (tier !== 4 && chance(0.15)) {
      await setTicketPending(tickets, agentFor(tier), n, { reason: 'Which floor?' });
      tick(10);
      await addComment(tickets, who, n, { body: 'Third floor.', public: true });
    }
    tick(1 + Math.floor(random() * 40));
    if (!chance(0.8)) {
      if ((await ticketOf(n)).status !== 'on_hold') mergeTargets.push(n);
      return;
    }
    if (tier !== 4) await resolveTicket(tickets, agentFor(tier), n, { resolution: 'Fixed.' });
  }
  tier = Math.min((await ticketOf(n)).tier, 3);
  tick(2);
  if (chance(0.15)) {
    await reopenTicket(tickets, who, n, { reason: 'Broken again.' });
    tick(15);
    await resolveTicket(tickets, agentFor(tier), n, { resolution: 'Fixed for good.' });
    tick(2);
  }
  if (!chance(0.7)) return;
  await closeTicket(tickets, agentFor(tier), n, {});
  tick(1);
  if (chance(0.6)) await answerSurvey(i, who, n);
};

// ---- the independent recomputation -------------------------------------------------------------

const dayOf = (at: string, timeZone = ZONE) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone,
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

/** The ticket as each version left it: the stream's images of the ticket item. */
const versionsOf = (records: readonly DynamoDBRecord[]) => {
  const versions = new Map<number, Map<number, Ticket>>();
  for (const record of records) {
    const image = record.dynamodb?.NewImage;
    if (!image) continue;
    const item = unmarshall(image as never);
    if (item.entity !== TICKET_ENTITY.ticket) continue;
    const ticket = item as Ticket;
    const of = versions.get(ticket.number) ?? new Map<number, Ticket>();
    of.set(ticket.version, ticket);
    versions.set(ticket.number, of);
  }
  return versions;
};

/** Where a figure is filed: the filters it must show under. */
interface Dims {
  tier: number;
  group: string;
  priority: string;
}
const FILTERS_OF = (dims: Dims) => [
  '*',
  `tier:${dims.tier}`,
  `group:${dims.group}`,
  `priority:${dims.priority}`,
];

const clocksOf = (ticket: Ticket): ClockState[] =>
  ticket.clocks.policy
    ? evaluateClocks({
        // The image's checkpoint and the facts its version recorded.
        ...clockInputOf(ticket.clocks),
        policy: ticket.clocks.policy,
        now: new Date(ticket.updatedAt),
      }).clocks
    : [];

interface Expected {
  counts: Map<string, number>;
  samples: Record<'firstResponse' | 'resolution' | 'timeInTier', { value: number; dims: Dims }[]>;
  days: Set<string>;
  filters: Set<string>;
}

const recompute = async (numbers: number[], records: readonly DynamoDBRecord[]): Promise<Expected> => {
  const counts = new Map<string, number>();
  const days = new Set<string>();
  const filters = new Set<string>();
  const add = (day: string, dims: Dims | 'desk', name: string, amount = 1) => {
    days.add(day);
    for (const filter of dims === 'desk' ? ['desk'] : FILTERS_OF(dims)) {
      filters.add(filter);
      const key = `${day}|${filter}|${name}`;
      counts.set(key, (counts.get(key) ?? 0) + amount);
    }
  };
  const samples: Expected['samples'] = { firstResponse: [], resolution: [], timeInTier: [] };
  const versions = versionsOf(records);
  const dimsOf = (ticket: Ticket, tier = ticket.tier): Dims => ({
    tier,
    group: ticket.group,
    priority: ticket.priority,
  });

  for (const n of numbers) {
    const images = versions.get(n) ?? new Map<number, Ticket>();
    const at = (version: number) => {
      const ticket = images.get(version);
      if (!ticket) throw new Error(`#${n}: no stream image of version ${version}`);
      return ticket;
    };
    const before = (version: number) => images.get(version - 1) ?? at(version);
    const events = await fullTimeline(n);
    let replied = false;
    let escalatedYet = false;
    let answer: { day: string; dims: Dims; score: number } | undefined;
    for (const event of events) {
      const version = Number(event.id.split('#')[0]);
      const now = dimsOf(at(version));
      const was = dimsOf(before(version));
      const day = dayOf(event.at);
      const data = event.data ?? {};
      switch (event.type) {
        case 'created':
          add(day, now, 'created');
          break;
        case 'resolved': {
          add(day, now, 'resolved');
          if (data.selfServed === true) add(day, now, 'selfServed');
          if (now.tier <= 1 && !escalatedYet) add(day, now, 'firstContactResolved');
          const resolution = clocksOf(at(version)).find(
            (state) => state.clock === 'resolution' && state.stoppedAt === event.at,
          );
          samples.resolution.push({ value: resolution?.elapsed ?? Number.NaN, dims: was });
          break;
        }
        case 'closed': {
          add(day, now, 'closed');
          const byMerge = events.some(
            (other) => other.type === 'merged' && other.id.startsWith(`${event.id.split('#')[0]}#`),
          );
          if (!byMerge) add(day, now, 'surveyed');
          break;
        }
        case 'reopened':
          add(day, now, 'reopened');
          break;
        case 'escalated':
          escalatedYet = true;
          add(day, was, data.automatic === true ? 'escalatedAutomatic' : 'escalatedManual');
          break;
        case 'handoff':
          add(day, was, 'handedOff');
          break;
        case 'merged':
          if (data.into !== undefined) add(day, now, 'merged');
          break;
        case 'clock_breach':
          // A tier's OLA breach is that tier's, whatever the breach did to the ticket.
          add(
            day,
            typeof data.tier === 'number' ? { ...was, tier: data.tier } : now,
            `breached_${data.clock}`,
          );
          break;
        case 'comment':
          if (!replied && event.public && event.actor !== at(version).requester) {
            replied = true;
            add(day, was, 'firstResponded');
            const first = clocksOf(at(version)).find(
              (state) => state.clock === 'first_response' && state.stoppedAt === event.at,
            );
            samples.firstResponse.push({ value: first?.elapsed ?? Number.NaN, dims: was });
          }
          break;
        case 'csat_recorded': {
          const score = Number(data.score);
          if (answer) {
            add(answer.day, answer.dims, `csat_${answer.score}`, -1);
            add(answer.day, answer.dims, 'csatResponses', -1);
          }
          answer = { day, dims: now, score };
          add(day, now, `csat_${score}`);
          add(day, now, 'csatResponses');
          break;
        }
        default:
          break;
      }
    }
    // Clocks that stopped: met (within target) per clock, and the time spent in each tier.
    for (const [version, ticket] of images) {
      const earlier = new Map(
        (images.has(version - 1) ? clocksOf(before(version)) : []).map((state) => [state.key, state]),
      );
      for (const state of clocksOf(ticket)) {
        if (state.stoppedAt === undefined || earlier.get(state.key)?.stoppedAt !== undefined) continue;
        const dims = dimsOf(before(version), state.tier ?? before(version).tier);
        const day = dayOf(ticket.updatedAt);
        if (state.status === 'met') add(day, dims, `met_${state.clock}`);
        if (state.clock === 'ola') samples.timeInTier.push({ value: state.elapsed, dims });
      }
    }
  }
  // Deflections without a ticket: one per person (or address) × article × UTC day.
  for (const record of records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || !image) continue;
    const mark = /^KBDEFLECTED#[^#]+#(\d{4}-\d{2}-\d{2})#([^#]+)$/.exec(
      String(unmarshall(image as never).pk),
    );
    if (mark?.[1]) add(mark[1], 'desk', 'deflections');
  }
  return { counts, samples, days, filters };
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

/** The filter a key of the recount names, as the summary takes it. */
const filterOf = (key: string): ReportFilter => {
  const [dimension, value] = key.split(':') as [string, string];
  if (dimension === 'tier') return { tier: Number(value) };
  if (dimension === 'group') return { group: value };
  if (dimension === 'priority') return { priority: value };
  return {};
};

const SLA_CLOCKS = ['first_response', 'next_response', 'resolution', 'ola', 'uc_response', 'uc_resolution'];

describe('Acceptance: a day of reports', () => {
  it('counts every figure exactly per tier, group and priority, p50/p90 within 1 %, and again after the day is replayed shuffled', async () => {
    // Prepare: the day, through the use cases and the workflow's tasks
    const numbers: number[] = [];
    for (let i = 0; i < TICKETS; i++) {
      await playTicket(i);
      numbers.push(i + 1);
    }
    // The stream's records of the day, read once it is over (from the trim horizon).
    poller = await startStreamPoller({
      endpoint: env.endpoint,
      tableName: env.tableName,
      intervalMs: 20,
      handler: async (event) => {
        delivered.push(...event.Records);
        return { batchItemFailures: [] };
      },
    });
    await poller.drain();
    const records = delivered.splice(0);
    const reports = new DynamoReportStore(env.db, env.tableName, () => clock.now());
    const processRecords = processChanges({
      signals: { start: async () => 'started' as never, wake: async () => true },
      workflows: { parked: async () => undefined },
      reports: { reports, config: tickets.config },
    });
    /**
     * The records as the event source mapping delivers them: batches of `BATCH`, a ticket's
     * records always in one lane and in order, lanes side by side (its parallelization factor).
     */
    const deliver = async (all: DynamoDBRecord[]) => {
      const lanes: DynamoDBRecord[][] = Array.from({ length: LANES }, () => []);
      for (const record of all) {
        const pk = String(record.dynamodb?.Keys?.pk?.S ?? '');
        let hash = 0;
        for (const char of pk) hash = (hash * 31 + char.charCodeAt(0)) | 0;
        lanes[Math.abs(hash) % LANES]?.push(record);
      }
      const failures = await Promise.all(
        lanes.map(async (lane) => {
          const failed: string[] = [];
          for (let start = 0; start < lane.length; start += BATCH) {
            const answer = await processRecords({ Records: lane.slice(start, start + BATCH) });
            failed.push(...answer.batchItemFailures.map((failure) => failure.itemIdentifier));
          }
          return failed;
        }),
      );
      return failures.flat();
    };
    const deps = { reports, store: env.store, config: tickets.config, clock };
    const expected = await recompute(numbers, records);
    const days = [...expected.days].sort();
    const want = (day: string | undefined, filter: string, name: string) =>
      (day ? [day] : days).reduce(
        (sum, one) =>
          sum +
          (expected.counts.get(`${one}|${filter}|${name}`) ?? 0) +
          (expected.counts.get(`${one}|desk|${name}`) ?? 0),
        0,
      );
    const filters = [...expected.filters].filter((filter) => filter !== 'desk').sort();

    // The day has what the acceptance asks for.
    const total = (name: string) => want(undefined, '*', name);
    expect(numbers.length).toBeGreaterThanOrEqual(200);
    for (const name of [
      'escalatedManual',
      'escalatedAutomatic',
      'breached_ola',
      'breached_first_response',
      'handedOff',
      'merged',
      'reopened',
      'selfServed',
      'deflections',
      'csatResponses',
    ])
      expect({ name, count: total(name) > 0 }).toEqual({ name, count: true });
    const channels = new Set(
      (await Promise.all(numbers.map(async (n) => (await ticketOf(n)).csat?.channel))).filter(Boolean),
    );
    expect([...channels].sort()).toEqual(['link', 'mail', 'portal']);

    // Every filter's summaries side by side: each day, then the whole range.
    const check = () =>
      Promise.all(
        filters.map(async (filter) => {
          for (const day of [...days, undefined]) {
            const summary = await reportSummary(deps, supervisor, {
              from: day ?? days[0],
              to: day ?? days.at(-1),
              ...filterOf(filter),
            });
            const n = (name: string) => want(day, filter, name);
            const where = { day: day ?? 'all', filter };
            expect({ ...where, tickets: summary.tickets }).toEqual({
              ...where,
              tickets: {
                created: n('created'),
                firstResponded: n('firstResponded'),
                resolved: n('resolved'),
                closed: n('closed'),
                reopened: n('reopened'),
                merged: n('merged'),
                handedOff: n('handedOff'),
                escalated: { manual: n('escalatedManual'), automatic: n('escalatedAutomatic') },
                firstContactResolved: n('firstContactResolved'),
                selfServed: n('selfServed'),
              },
            });
            expect({ ...where, deflections: summary.deflections, csat: summary.csat.distribution }).toEqual({
              ...where,
              deflections: n('deflections'),
              csat: Object.fromEntries([1, 2, 3, 4, 5].map((s) => [String(s), n(`csat_${s}`)])),
            });
            expect({ ...where, responses: summary.csat.responses, surveyed: summary.csat.surveyed }).toEqual({
              ...where,
              responses: n('csatResponses'),
              surveyed: n('surveyed'),
            });
            expect({ ...where, serviceLevels: summary.serviceLevels }).toMatchObject({
              ...where,
              serviceLevels: Object.fromEntries(
                SLA_CLOCKS.map((name) => [name, { met: n(`met_${name}`), breached: n(`breached_${name}`) }]),
              ),
            });
            if (day !== undefined) continue;
            // Percentiles over the whole day, under every filter.
            for (const [name, all] of Object.entries(expected.samples)) {
              const values = all
                .filter(({ dims }) => filter === '*' || FILTERS_OF(dims).includes(filter))
                .map(({ value }) => value);
              const figure = summary.durations[name];
              expect({ ...where, name, count: figure?.count }).toEqual({
                ...where,
                name,
                count: values.length,
              });
              if (values.length === 0) continue;
              for (const [q, key] of [
                [0.5, 'p50'],
                [0.9, 'p90'],
              ] as const) {
                const exact = exactQuantile(values, q);
                const estimate = figure?.[key] as number;
                expect({
                  ...where,
                  name,
                  key,
                  off: Math.abs(estimate - exact) <= ACCURACY * exact + 1e-9,
                }).toEqual({ ...where, name, key, off: true });
              }
            }
          }
        }),
      );

    // Act: the day's records, in stream order
    expect(await deliver(records)).toEqual([]);
    // Assess
    await check();

    // Act: every record again, shuffled
    expect(await deliver(shuffled(records))).toEqual([]);
    // Assess: nothing moved
    await check();
  }, 175_000);
});
