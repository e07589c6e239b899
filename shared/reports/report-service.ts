import type { ConfigReader } from '#shared/config/reader';
import type { Clock } from '#shared/domain/clock';
import { ForbiddenError, ValidationError } from '#shared/domain/errors';
import { canReadReports } from '#shared/domain/policy';
import type { Principal } from '#shared/domain/principal';
import { PRIORITIES, TIERS } from '#shared/domain/ticket-fields';
import type { TicketStore } from '#shared/tickets/ticket-store';
import { DURATIONS, dayIn } from './report-facts.ts';
import type { ReportStore, StoredCell } from './report-store.ts';
import { mergeCounts, quantile, SKETCH_RELATIVE_ACCURACY, type SketchCounts } from './sketch.ts';

/**
 * The service-level reports, read: the cells of a range of days merged (counters added, sketches
 * merged), rates and quantiles computed from the sums, and the backlog read at query time from
 * the open tickets' tier queues. Supervisors and admins only.
 */

export interface ReportDeps {
  reports: Pick<ReportStore, 'cells'>;
  store: Pick<TicketStore, 'tierQueue'>;
  config: Pick<ConfigReader, 'current'>;
  clock: Clock;
}

export interface ReportFilter {
  from?: string;
  to?: string;
  tier?: number;
  group?: string;
  priority?: string;
}

const DAY_MS = 86_400_000;
/** The longest range one report reads: a year of days. */
const MAX_RANGE_DAYS = 366;
const SLA_CLOCKS = ['first_response', 'next_response', 'resolution', 'ola', 'uc_response', 'uc_resolution'];
const AGE_BUCKETS = ['<1d', '1-3d', '3-7d', '>7d'] as const;

const allowed = (principal: Principal) => {
  if (!canReadReports(principal)) throw new ForbiddenError('Reports are for supervisors and admins.');
};

const range = async (deps: ReportDeps, filter: ReportFilter) => {
  const timeZone = (await deps.config.current()).document.settings.timeZone;
  const today = dayIn(timeZone, deps.clock.now());
  const to = filter.to ?? today;
  const from = filter.from ?? dayIn(timeZone, new Date(Date.parse(`${to}T12:00:00Z`) - 29 * DAY_MS));
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days < 1 || days > MAX_RANGE_DAYS)
    throw new ValidationError([
      { field: 'query.from', message: `must not be after to (${to}), and a report covers at most 366 days` },
    ]);
  return { from, to, timeZone };
};

/** Desk-wide cells (deflections, quarantined mail) belong to no tier, group or priority. */
const matches = (cell: StoredCell, filter: ReportFilter) =>
  cell.tier === 0 ||
  ((filter.tier === undefined || cell.tier === filter.tier) &&
    (filter.group === undefined || cell.group === filter.group) &&
    (filter.priority === undefined || cell.priority === filter.priority));

interface Totals {
  counts: Record<string, number>;
  sketches: Record<string, Map<number | 'zero', number>>;
}

const total = (cells: readonly StoredCell[]): Totals => {
  const counts: Record<string, number> = {};
  const sketches: Totals['sketches'] = {};
  for (const cell of cells) {
    for (const [name, value] of Object.entries(cell.counts)) counts[name] = (counts[name] ?? 0) + value;
    for (const [name, buckets] of Object.entries(cell.sketches)) {
      const merged = sketches[name] ?? new Map<number | 'zero', number>();
      sketches[name] = merged;
      mergeCounts(merged, buckets);
    }
  }
  return { counts, sketches };
};

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const sizeOf = (counts: SketchCounts | undefined) => [...(counts?.values() ?? [])].reduce((a, b) => a + b, 0);

const figures = ({ counts, sketches }: Totals) => {
  const n = (name: string) => counts[name] ?? 0;
  const escalated = n('escalatedManual') + n('escalatedAutomatic');
  const csatScores = Object.fromEntries([1, 2, 3, 4, 5].map((score) => [score, n(`csat_${score}`)]));
  const scoreSum = Object.entries(csatScores).reduce((sum, [score, count]) => sum + Number(score) * count, 0);
  return {
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
    rates: {
      firstContactResolution: ratio(n('firstContactResolved'), n('resolved')),
      escalation: ratio(escalated, n('created')),
      deflection: ratio(n('deflections') + n('selfServed'), n('deflections') + n('created')),
    },
    serviceLevels: Object.fromEntries(
      SLA_CLOCKS.map((clock) => {
        const met = n(`met_${clock}`);
        const breached = n(`breached_${clock}`);
        return [clock, { met, breached, achievement: ratio(met, met + breached) }];
      }),
    ),
    durations: Object.fromEntries(
      DURATIONS.map((duration) => {
        const sketch = sketches[duration];
        return [
          duration,
          {
            count: sizeOf(sketch),
            p50: (sketch && quantile(sketch, 0.5)) ?? null,
            p90: (sketch && quantile(sketch, 0.9)) ?? null,
          },
        ];
      }),
    ),
    csat: {
      responses: n('csatResponses'),
      surveyed: n('surveyed'),
      responseRate: ratio(n('csatResponses'), n('surveyed')),
      average: ratio(scoreSum, n('csatResponses')),
      distribution: csatScores,
    },
    deflections: n('deflections'),
    quarantined: Object.fromEntries(
      Object.entries(counts)
        .filter(([name, value]) => name.startsWith('quarantined_') && value !== 0)
        .map(([name, value]) => [name.slice('quarantined_'.length), value]),
    ),
  };
};

/** Open tickets per tier × priority by age, from the tier queues (resolved tickets are in none). */
const backlog = async (deps: ReportDeps, filter: ReportFilter) => {
  const now = deps.clock.now().getTime();
  const rows = new Map<
    string,
    { tier: number; priority: string; ages: Record<string, number>; total: number }
  >();
  for (const tier of TIERS) {
    if (filter.tier !== undefined && filter.tier !== tier) continue;
    let cursor: string | undefined;
    do {
      const page = await deps.store.tierQueue(tier, undefined, { limit: 100, ...(cursor && { cursor }) });
      for (const ticket of page.items) {
        if (filter.group !== undefined && ticket.group !== filter.group) continue;
        if (filter.priority !== undefined && ticket.priority !== filter.priority) continue;
        const key = `${tier}#${ticket.priority}`;
        const row = rows.get(key) ?? {
          tier,
          priority: ticket.priority,
          ages: Object.fromEntries(AGE_BUCKETS.map((bucket) => [bucket, 0])),
          total: 0,
        };
        const days = (now - Date.parse(ticket.createdAt)) / DAY_MS;
        const bucket = days < 1 ? '<1d' : days < 3 ? '1-3d' : days < 7 ? '3-7d' : '>7d';
        row.ages[bucket] = (row.ages[bucket] ?? 0) + 1;
        row.total += 1;
        rows.set(key, row);
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  const order = (row: { tier: number; priority: string }) =>
    row.tier * 10 + PRIORITIES.indexOf(row.priority as (typeof PRIORITIES)[number]);
  return [...rows.values()].sort((a, b) => order(a) - order(b));
};

export const reportSummary = async (deps: ReportDeps, principal: Principal, filter: ReportFilter) => {
  allowed(principal);
  const { from, to, timeZone } = await range(deps, filter);
  const cells = (await deps.reports.cells(from, to)).filter((cell) => matches(cell, filter));
  return {
    from,
    to,
    timeZone,
    filter: {
      ...(filter.tier !== undefined && { tier: filter.tier }),
      ...(filter.group !== undefined && { group: filter.group }),
      ...(filter.priority !== undefined && { priority: filter.priority }),
    },
    sketchRelativeAccuracy: SKETCH_RELATIVE_ACCURACY,
    ...figures(total(cells)),
    backlog: await backlog(deps, filter),
  };
};

/** Monday of the ISO week of a day. */
const weekOf = (day: string) => {
  const date = new Date(`${day}T00:00:00Z`);
  return new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 10);
};

/**
 * One figure per day or ISO week (keyed by its Monday): a counter (`created`, `breached_ola`,
 * `csat_5`, …) or a duration's quantile (`resolution.p90`), merged over the interval.
 */
export const reportTimeseries = async (
  deps: ReportDeps,
  principal: Principal,
  request: ReportFilter & { metric: string; interval: 'day' | 'week' },
) => {
  allowed(principal);
  const { from, to, timeZone } = await range(deps, request);
  const cells = (await deps.reports.cells(from, to)).filter((cell) => matches(cell, request));
  const byPeriod = new Map<string, StoredCell[]>();
  for (const cell of cells) {
    const period = request.interval === 'week' ? weekOf(cell.day) : cell.day;
    byPeriod.set(period, [...(byPeriod.get(period) ?? []), cell]);
  }
  const [duration, q] = request.metric.split('.');
  const pointOf = (totals: Totals): number | null => {
    if (q === 'p50' || q === 'p90') {
      const sketch = totals.sketches[duration ?? ''];
      return (sketch && quantile(sketch, q === 'p50' ? 0.5 : 0.9)) ?? null;
    }
    return totals.counts[request.metric] ?? 0;
  };
  const points: { period: string; value: number | null }[] = [];
  const first = request.interval === 'week' ? weekOf(from) : from;
  for (let at = Date.parse(`${first}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); ) {
    const period = new Date(at).toISOString().slice(0, 10);
    points.push({ period, value: pointOf(total(byPeriod.get(period) ?? [])) });
    at += (request.interval === 'week' ? 7 : 1) * DAY_MS;
  }
  return { metric: request.metric, interval: request.interval, from, to, timeZone, points };
};
