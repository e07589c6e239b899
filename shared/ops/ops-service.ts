import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';
import { TIERS, type Tier } from '#shared/domain/ticket-fields';
import { logger, MetricUnit, metrics } from '#shared/runtime/observability';
import * as z from '#shared/runtime/zod';
import { decodeCursor, encodeCursor, positionSchema } from '#shared/store/cursor';
import { PARK_STATES } from '#shared/workflow/definition';
import { parseExecutionName } from '#shared/workflow/wake';
import { INCIDENT_STATUSES, type Incident, type IncidentStatus } from './incidents.ts';
import type { Job, JobKind } from './jobs.ts';
import {
  allExecutions,
  audited,
  latestExecution,
  type OpsDeps,
  RECONCILIATION_ACTOR,
  requireOperator,
  resolveIncidents,
  restartWorkflow,
  ticketOrNotFound,
} from './operations.ts';
import { reconcile } from './reconcile.ts';
import type { ExecutionDetail } from './workflow-control.ts';

/**
 * The ops view of the ticket workflows and what operators do to them: list executions by status
 * (failures from the incident records, running ones from the tickets' own queues, Step Functions
 * only for detail), show a ticket's every generation, redrive, restart, and the jobs (bulk redrive,
 * reconciliation). Every action is recorded on the ticket's timeline (`operator_action`).
 */

export const EXECUTION_STATUSES = ['RUNNING', ...INCIDENT_STATUSES, 'PENDING_REDRIVE'] as const;
export type ExecutionStatusFilter = (typeof EXECUTION_STATUSES)[number];

export interface ExecutionItem {
  ticket: number;
  tier: Tier;
  status: string;
  execution?: string;
  currentState?: string;
  startedAt?: string;
  stoppedAt?: string;
  error?: string;
  cause?: string;
  failedState?: string;
  redriveCount?: number;
}

const incidentItem = (incident: Incident): ExecutionItem => ({
  ticket: incident.ticketNumber,
  tier: incident.tier,
  status: incident.status,
  execution: incident.execution,
  ...(incident.failedState && { currentState: incident.failedState, failedState: incident.failedState }),
  startedAt: incident.startedAt,
  stoppedAt: incident.stoppedAt,
  ...(incident.error && { error: incident.error }),
  ...(incident.cause && { cause: incident.cause }),
  redriveCount: incident.redriveCount,
});

const iso = (date: Date | undefined) => date?.toISOString();

const RunningCursorSchema = /* @__PURE__ */ positionSchema(() =>
  z.strictObject({
    tier: z.union(TIERS.map((tier) => z.literal(tier))),
    cursor: z.optional(z.string()),
  }),
);
const PendingCursorSchema = /* @__PURE__ */ positionSchema(() => z.string());
const RUNNING_LIST = 'ops-running';
const PENDING_LIST = 'ops-pending-redrive';

/** Open tickets, tier by tier (the sparse queue index), with where each one's workflow is parked. */
const runningPage = async (deps: OpsDeps, tier: Tier | undefined, limit: number, cursor?: string) => {
  const at = decodeCursor(cursor, RUNNING_LIST, RunningCursorSchema) ?? { tier: tier ?? 1 };
  const tiers = tier ? [tier] : TIERS.filter((candidate) => candidate >= at.tier);
  const [current, ...rest] = tiers as [Tier, ...Tier[]];
  const page = await deps.tickets.tierQueue(current, undefined, {
    limit,
    ...(at.cursor && { cursor: at.cursor }),
  });
  const parked = await deps.parking.parkedOf(page.items.map((ticket) => ticket.number));
  const items = page.items.map((ticket): ExecutionItem => {
    const record = parked.get(ticket.number);
    return {
      ticket: ticket.number,
      tier: ticket.tier,
      status: 'RUNNING',
      ...(record && {
        execution: record.execution.split(':').at(-1),
        currentState: PARK_STATES[record.phase],
        startedAt: record.parkedAt,
      }),
    };
  });
  const next = page.nextCursor
    ? { tier: current, cursor: page.nextCursor }
    : rest[0] !== undefined
      ? { tier: rest[0] }
      : undefined;
  return { items, ...(next && { nextCursor: encodeCursor(RUNNING_LIST, next) }) };
};

/** GET /ops/executions: one page of executions in `status`, optionally of one tier. */
export const listExecutions = async (
  deps: OpsDeps,
  principal: Principal,
  query: { status: ExecutionStatusFilter; tier?: Tier; limit: number; cursor?: string },
): Promise<{ items: ExecutionItem[]; nextCursor?: string }> => {
  requireOperator(principal);
  const { status, tier, limit, cursor } = query;
  if (status === 'RUNNING') return runningPage(deps, tier, limit, cursor);
  if (status === 'PENDING_REDRIVE') {
    // A transient status (a redrive asked for, not yet running): a short list, so Step Functions
    // serves it, joined with the tickets for their tier.
    const token = decodeCursor(cursor, PENDING_LIST, PendingCursorSchema);
    const page = await deps.control.list(status, token);
    const items: ExecutionItem[] = [];
    for (const execution of page.executions) {
      const named = parseExecutionName(execution.name);
      const ticket = named && (await deps.tickets.getTicket(named.ticketNumber));
      if (!ticket || (tier && ticket.tier !== tier)) continue;
      items.push({
        ticket: ticket.number,
        tier: ticket.tier,
        status,
        execution: execution.name,
        startedAt: iso(execution.startedAt),
      });
    }
    return { items, ...(page.nextToken && { nextCursor: encodeCursor(PENDING_LIST, page.nextToken) }) };
  }
  const page = await deps.incidents.open(status as IncidentStatus, tier, {
    limit,
    ...(cursor && { cursor }),
  });
  return { items: page.items.map(incidentItem), ...(page.nextCursor && { nextCursor: page.nextCursor }) };
};

const executionView = async (deps: OpsDeps, detail: ExecutionDetail) => ({
  name: detail.name,
  arn: detail.arn,
  generation: parseExecutionName(detail.name)?.generation ?? 0,
  status: detail.status,
  currentState: await deps.control.lastState(detail.arn),
  startedAt: detail.startedAt.toISOString(),
  ...(detail.stoppedAt && { stoppedAt: detail.stoppedAt.toISOString() }),
  ...(detail.error && { error: detail.error }),
  ...(detail.cause && { cause: detail.cause }),
  redriveCount: detail.redriveCount,
});

/** GET /ops/executions/{number}: every generation of the ticket's workflow, and its incidents. */
export const ticketExecutions = async (deps: OpsDeps, principal: Principal, number: number) => {
  requireOperator(principal);
  const ticket = await ticketOrNotFound(deps, number);
  const executions = await allExecutions(deps, number);
  return {
    ticket: ticket.number,
    tier: ticket.tier,
    ticketStatus: ticket.status,
    executions: await Promise.all(executions.map((detail) => executionView(deps, detail))),
    incidents: (await deps.incidents.ofTicket(number)).map((incident) => ({
      ...incidentItem(incident),
      ...(incident.resolved && { resolved: incident.resolved }),
    })),
  };
};

const restartHint = (number: number) =>
  `Restart it instead: POST /ops/executions/${number}/restart starts a new generation from the ticket as it is now.`;

const redriveOne = async (deps: OpsDeps, number: number, by: string, extra: Record<string, unknown>) => {
  const ticket = await ticketOrNotFound(deps, number);
  const { detail } = await latestExecution(deps, number);
  if (!detail)
    throw new ConflictError(`Ticket #${number} has no workflow execution to redrive. ${restartHint(number)}`);
  if (detail.status === 'RUNNING' || detail.status === 'PENDING_REDRIVE')
    throw new ConflictError(
      `The workflow of ticket #${number} (${detail.name}) is ${detail.status}: there is nothing to redrive.`,
    );
  if (ticket.status === 'closed')
    throw new ConflictError(`Ticket #${number} is closed: its workflow has nothing left to do.`);
  await audited(deps, number, by, 'redrive', {
    data: { execution: detail.name, previousStatus: detail.status, ...extra },
    act: async () => {
      const outcome = await deps.control.redrive(detail.arn);
      if (!outcome.redriven)
        throw new ConflictError(
          `The workflow of ticket #${number} (${detail.name}, ${detail.status}) cannot be redriven: ${outcome.reason} ${restartHint(number)}`,
        );
    },
  });
  await resolveIncidents(deps, number, by, 'redrive', (incident) => incident.execution === detail.name);
  return {
    ticket: number,
    action: 'redrive' as const,
    execution: detail.name,
    previousStatus: detail.status,
  };
};

/** POST /ops/executions/{number}/redrive: resumes the newest generation from where it stopped. */
export const redriveExecution = async (
  deps: OpsDeps,
  principal: Principal,
  number: number,
  reason?: string,
) => {
  requireOperator(principal);
  return redriveOne(deps, number, principal.id, reason ? { reason } : {});
};

/** POST /ops/executions/{number}/restart: a new generation from the ticket's current state. */
export const restartExecution = async (
  deps: OpsDeps,
  principal: Principal,
  number: number,
  reason?: string,
) => {
  requireOperator(principal);
  const ticket = await ticketOrNotFound(deps, number);
  const { execution } = await restartWorkflow(deps, ticket, principal.id, reason ? { reason } : {});
  return { ticket: number, action: 'restart' as const, execution };
};

// ---- jobs -------------------------------------------------------------------------------------

/** Jobs are kept 30 days (the TTL), long enough to read a result after a weekend. */
const JobTierSchema = /* @__PURE__ */ z.built(() => z.union(TIERS.map((tier) => z.literal(tier))));
/** What a bulk redrive takes: open incidents of a status, of a tier, stopped since an instant. */
export const RedriveJobSchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    status: z.enum(INCIDENT_STATUSES),
    tier: z.optional(JobTierSchema),
    since: z.optional(z.iso.datetime()),
  }),
);
/** What a reconciliation takes: every tier, or one. */
export const ReconcileJobSchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({ tier: z.optional(JobTierSchema) }),
);
const JOB_PARAMS = { reconcile: ReconcileJobSchema, redrive: RedriveJobSchema } as const;

/** POST /ops/reconcile, POST /ops/executions/redrive: records the job and has it run; 202 with it. */
export const requestJob = async (
  deps: OpsDeps,
  principal: Principal,
  kind: JobKind,
  params: Record<string, unknown>,
): Promise<Job> => {
  requireOperator(principal);
  return createJob(deps, kind, principal.id, params);
};

const createJob = async (deps: OpsDeps, kind: JobKind, by: string, params: Record<string, unknown>) => {
  const at = deps.clock.now().toISOString();
  const job: Job = {
    // Sortable by time, unguessable by design only in part: jobs are for operators, who may read any.
    id: `${at.replaceAll(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`,
    kind,
    status: 'queued',
    requestedBy: by,
    requestedAt: at,
    params: JOB_PARAMS[kind].parse(params),
    progress: { phase: 'queued', done: 0 },
  };
  await deps.jobs.create(job);
  await deps.launcher.launch(job.id);
  return job;
};

/** The scheduled reconciliation (hourly on AWS): a job like any other, requested by the system. */
export const scheduledReconciliation = (deps: OpsDeps) =>
  createJob(deps, 'reconcile', RECONCILIATION_ACTOR, {});

/** GET /ops/jobs/{id}. */
export const jobStatus = async (deps: OpsDeps, principal: Principal, id: string): Promise<Job> => {
  requireOperator(principal);
  const job = await deps.jobs.get(id);
  if (!job) throw new NotFoundError(`No job ${id}.`);
  return job;
};

/** Redrives every open incident in `status` (of a tier, stopped since): one ticket at a time. */
const bulkRedrive = async (deps: OpsDeps, job: Job, progress: (done: number) => Promise<void>) => {
  const params = JOB_PARAMS.redrive.parse(job.params);
  const incidents: Incident[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.incidents.open(params.status, params.tier, {
      limit: 100,
      ...(cursor && { cursor }),
    });
    // Newest first: past `since`, the rest is older still.
    const recent = page.items.filter((incident) => !params.since || incident.stoppedAt >= params.since);
    incidents.push(...recent);
    cursor = recent.length === page.items.length ? page.nextCursor : undefined;
  } while (cursor);
  const redriven: number[] = [];
  const refused: { ticket: number; reason: string }[] = [];
  for (const [index, incident] of incidents.entries()) {
    try {
      await redriveOne(deps, incident.ticketNumber, job.requestedBy, { job: job.id });
      redriven.push(incident.ticketNumber);
    } catch (error) {
      if (!(error instanceof ConflictError || error instanceof NotFoundError)) throw error;
      refused.push({ ticket: incident.ticketNumber, reason: error.message });
    }
    await progress(index + 1);
  }
  return { matched: incidents.length, redriven, refused };
};

/** Runs a queued job to its end (or failure), recording progress and the result on the job. */
export const runJob = async (deps: OpsDeps, id: string): Promise<void> => {
  const startedAt = deps.clock.now().toISOString();
  if (!(await deps.jobs.claim(id, startedAt))) return;
  const job = await deps.jobs.get(id);
  if (!job) return;
  try {
    let result: Record<string, unknown>;
    if (job.kind === 'reconcile') {
      const report = await reconcile(
        deps,
        job.requestedBy === RECONCILIATION_ACTOR ? RECONCILIATION_ACTOR : job.requestedBy,
        JOB_PARAMS.reconcile.parse(job.params),
        (progress) => deps.jobs.progress(id, progress),
      );
      // The alarm "reconciliation repaired something" watches this metric.
      metrics.addMetric('ReconciliationRepairs', MetricUnit.Count, report.repairs);
      result = { ...report };
    } else {
      result = await bulkRedrive(deps, job, (done) => deps.jobs.progress(id, { phase: 'redriving', done }));
    }
    await deps.jobs.finish(id, { status: 'succeeded', finishedAt: deps.clock.now().toISOString(), result });
    logger.info('Ops job done', { job: id, kind: job.kind, result });
  } catch (error) {
    logger.error('Ops job failed', error as Error);
    await deps.jobs.finish(id, {
      status: 'failed',
      finishedAt: deps.clock.now().toISOString(),
      error: (error as Error).message,
    });
  }
};

/** The queued jobs, run one after another (the scheduled runner on AWS). */
export const runQueuedJobs = async (deps: OpsDeps): Promise<number> => {
  const ids = await deps.jobs.queued(10);
  for (const id of ids) await runJob(deps, id);
  return ids.length;
};
