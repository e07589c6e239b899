import { clockInputOf, evaluateClocks } from '#shared/domain/clocks';
import { ConflictError } from '#shared/domain/errors';
import type { Ticket } from '#shared/domain/ticket';
import { TIERS, type Tier } from '#shared/domain/ticket-fields';
import { parseExecutionName } from '#shared/workflow/wake';
import type { ParkingRecord } from '#shared/workflow/workflow-store';
import { INCIDENT_STATUSES, type Incident } from './incidents.ts';
import type { JobProgress } from './jobs.ts';
import {
  latestExecution,
  type OpsDeps,
  recordOperatorAction,
  resolveIncidents,
  restartWorkflow,
} from './operations.ts';

/**
 * The reconciliation: finds tickets whose workflow is missing, stale or orphaned, and repairs each
 * idempotently (a second run finds nothing).
 *
 * - open tickets without a running execution → a new generation (restart);
 * - running executions of closed tickets → woken (the workflow re-reads the ticket and ends in
 *   `Closed`), or stopped when no token is parked;
 * - a lost wake: the parked token is older than the ticket's next clock event, which fell due
 *   more than a grace period ago → woken;
 * - incidents of tickets that are not closed and have no running execution → restarted
 *   (resolved tickets in their reopen window are not on the tier queues; their failures are);
 * - dead-lettered stream batches → every ticket they name is checked as above, then the entry goes;
 *   a batch whose records could not be read again (`unrecoverable`) is reported, and goes once a
 *   walk of every tier queue (this run, unless it was asked for one tier) has covered its tickets.
 *
 * Reads by key and index only: the tier queues (a sparse index of unresolved tickets), the parking
 * records in batches of 100, ListExecutions(RUNNING) pages of 1,000, the incident listings. At
 * 1 M open tickets that is about 10,000 queue pages and BatchGets (on-demand: roughly 0.75 M read
 * units, well under a dollar) and 1,000 ListExecutions pages (throttled at 2 a second after a burst
 * of 100: under 10 minutes, inside one 15-minute Lambda run); past that, run it per tier (the
 * job's `tier` parameter) and the list of running executions is the one figure to shard further.
 */

/** How long past a clock event a workflow may still be waking on its own (the stream alarm's threshold). */
const LOST_WAKE_GRACE_MS = 5 * 60_000;
const PAGE = 100;

/** A lost wake: the workflow parked before the ticket's next clock event, which is long overdue. */
const wakeOverdue = (ticket: Ticket, parked: ParkingRecord, now: Date): boolean => {
  if (ticket.status === 'closed' || !ticket.clocks.policy) return false;
  const next = evaluateClocks({
    ...clockInputOf(ticket.clocks),
    policy: ticket.clocks.policy,
    now: new Date(parked.parkedAt),
  }).next;
  return next !== undefined && Date.parse(next.at) + LOST_WAKE_GRACE_MS < now.getTime();
};

export interface ReconcileReport {
  scanned: { openTickets: number; runningExecutions: number; incidents: number; deadLetters: number };
  found: {
    missing: number[];
    orphaned: number[];
    lostWakes: number[];
    deadLettered: number[];
    /** Dead-lettered batches whose tickets are unknown (see `DeadLetter.unrecoverable`), by id. */
    unrecoverable: string[];
  };
  repaired: { restarted: number[]; woken: number[]; stopped: number[]; incidentsResolved: number };
  /** Repairs made: restarted + woken + stopped. The job publishes it (`ReconciliationRepairs`). */
  repairs: number;
}

type Progress = (progress: JobProgress) => Promise<void>;

export const reconcile = async (
  deps: OpsDeps,
  by: string,
  options: { tier?: Tier } = {},
  onProgress: Progress = async () => undefined,
): Promise<ReconcileReport> => {
  const now = deps.clock.now();
  const report: ReconcileReport = {
    scanned: { openTickets: 0, runningExecutions: 0, incidents: 0, deadLetters: 0 },
    found: { missing: [], orphaned: [], lostWakes: [], deadLettered: [], unrecoverable: [] },
    repaired: { restarted: [], woken: [], stopped: [], incidentsResolved: 0 },
    repairs: 0,
  };
  const handled = new Set<number>();

  const restart = async (ticket: Ticket, why: string) => {
    try {
      await restartWorkflow(deps, ticket, by, { reason: why });
      report.repaired.restarted.push(ticket.number);
    } catch (error) {
      // Started meanwhile (by the stream, an operator or another run): nothing left to repair.
      if (!(error instanceof ConflictError)) throw error;
    }
  };
  const wake = async (ticket: Ticket, parked: ParkingRecord, why: string): Promise<boolean> => {
    const woke = await deps.control.wake(parked.token, [why]);
    if (woke) {
      report.repaired.woken.push(ticket.number);
      await recordOperatorAction(deps, ticket.number, by, 'reconcile.wake', {
        reason: why,
        execution: parked.execution,
      });
    }
    return woke;
  };

  // 1. Every running execution, newest generation per ticket.
  const running = new Map<number, { generation: number; arn: string }>();
  let nextToken: string | undefined;
  do {
    const page = await deps.control.list('RUNNING', nextToken);
    for (const execution of page.executions) {
      const named = parseExecutionName(execution.name);
      if (!named) continue;
      report.scanned.runningExecutions++;
      const known = running.get(named.ticketNumber);
      if (!known || known.generation < named.generation)
        running.set(named.ticketNumber, { generation: named.generation, arn: execution.arn });
    }
    nextToken = page.nextToken;
    await onProgress({ phase: 'listing running executions', done: report.scanned.runningExecutions });
  } while (nextToken);

  // 2. Open tickets, tier queue by tier queue: missing executions and lost wakes.
  const open = new Set<number>();
  for (const tier of options.tier ? [options.tier] : TIERS) {
    let cursor: string | undefined;
    do {
      const page = await deps.tickets.tierQueue(tier, undefined, { limit: PAGE, ...(cursor && { cursor }) });
      const parked = await deps.parking.parkedOf(page.items.map((ticket) => ticket.number));
      for (const ticket of page.items) {
        open.add(ticket.number);
        report.scanned.openTickets++;
        if (!running.has(ticket.number)) {
          report.found.missing.push(ticket.number);
          handled.add(ticket.number);
          await restart(ticket, 'reconciliation: open ticket without a running workflow');
          continue;
        }
        const record = parked.get(ticket.number);
        if (record && wakeOverdue(ticket, record, now)) {
          report.found.lostWakes.push(ticket.number);
          handled.add(ticket.number);
          await wake(ticket, record, 'reconciliation: lost wake');
        }
      }
      cursor = page.nextCursor;
      await onProgress({ phase: `checking the Tier ${tier} queue`, done: report.scanned.openTickets });
    } while (cursor);
  }

  // 3. Running executions of tickets off the queues: resolved ones (their reopen window) are
  //    fine; closed or missing ones are orphans.
  for (const [number, execution] of running) {
    if (open.has(number) || options.tier) continue;
    const ticket = await deps.tickets.getTicket(number);
    if (ticket && ticket.status !== 'closed') continue;
    report.found.orphaned.push(number);
    handled.add(number);
    const parked = (await deps.parking.parkedOf([number])).get(number);
    if (
      ticket &&
      parked &&
      parked.execution === execution.arn &&
      (await wake(ticket, parked, 'reconciliation: ticket closed'))
    )
      continue;
    await deps.control.stop(execution.arn, 'reconciliation: the ticket is closed');
    report.repaired.stopped.push(number);
    if (ticket) await recordOperatorAction(deps, number, by, 'reconcile.stop', { execution: execution.arn });
  }

  // 4. Open incidents: a ticket still not closed and without a running execution is restarted.
  const incidents: Incident[] = [];
  for (const status of INCIDENT_STATUSES) {
    let cursor: string | undefined;
    do {
      const page = await deps.incidents.open(status, options.tier, {
        limit: PAGE,
        ...(cursor && { cursor }),
      });
      incidents.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
  }
  report.scanned.incidents = incidents.length;
  await onProgress({ phase: 'checking open incidents', done: report.scanned.openTickets });
  for (const incident of incidents) {
    const number = incident.ticketNumber;
    if (handled.has(number)) continue;
    handled.add(number);
    const ticket = await deps.tickets.getTicket(number);
    const latest = await latestExecution(deps, number);
    if (ticket && ticket.status !== 'closed' && latest.detail?.status !== 'RUNNING') {
      report.found.missing.push(number);
      await restart(ticket, `reconciliation: the workflow ${incident.status.toLowerCase()}`);
    } else {
      // Closed since, or running again (redriven by hand): the incident is over.
      report.repaired.incidentsResolved += await resolveIncidents(deps, number, by, 'reconcile.clear');
    }
  }

  // 5. Dead-lettered stream batches: each ticket they name is checked like the ones above.
  const deadLetters = await deps.deadLetters.list(PAGE);
  report.scanned.deadLetters = deadLetters.length;
  for (const deadLetter of deadLetters) {
    if (deadLetter.unrecoverable) {
      report.found.unrecoverable.push(deadLetter.id);
      // The walk of every tier queue above stands in for the tickets nobody can name any more.
      if (!options.tier) await deps.deadLetters.remove(deadLetter);
      continue;
    }
    for (const number of deadLetter.tickets) {
      if (!report.found.deadLettered.includes(number)) report.found.deadLettered.push(number);
      if (handled.has(number)) continue;
      handled.add(number);
      const ticket = await deps.tickets.getTicket(number);
      if (!ticket || ticket.status === 'closed') continue;
      const latest = await latestExecution(deps, number);
      if (latest.detail?.status !== 'RUNNING') {
        await restart(ticket, 'reconciliation: a stream record of the ticket was dead-lettered');
        continue;
      }
      const parked = (await deps.parking.parkedOf([number])).get(number);
      // The lost record may have been a change the workflow never heard of: a wake costs one
      // evaluation, and the workflow decides from the ticket as it is.
      if (parked)
        await wake(ticket, parked, 'reconciliation: a stream record of the ticket was dead-lettered');
    }
    await deps.deadLetters.remove(deadLetter);
  }

  report.repairs =
    report.repaired.restarted.length + report.repaired.woken.length + report.repaired.stopped.length;
  return report;
};
