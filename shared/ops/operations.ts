import type { Clock } from '#shared/domain/clock';
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/domain/errors';
import { canOperate } from '#shared/domain/policy';
import type { Principal } from '#shared/domain/principal';
import type { Ticket } from '#shared/domain/ticket';
import type { TicketStore } from '#shared/tickets/ticket-store';
import { executionName, parseExecutionName } from '#shared/workflow/wake';
import type { ParkingRecord } from '#shared/workflow/workflow-store';
import type { DeadLetterStore } from './dead-letters.ts';
import type { Incident, IncidentStore } from './incidents.ts';
import type { JobLauncher, JobStore } from './jobs.ts';
import type { ExecutionDetail, WorkflowControl } from './workflow-control.ts';

/**
 * What every operation on the ticket workflows shares: its dependencies, who may act, finding a
 * ticket's executions (its generations), restarting one, and the audit of each action on the
 * ticket's timeline.
 */

/** The parking records of many tickets at once (BatchGetItem): the reconciliation reads them per page. */
export interface ParkingRecords {
  parkedOf(ticketNumbers: readonly number[]): Promise<Map<number, ParkingRecord>>;
}

export interface OpsDeps {
  tickets: Pick<TicketStore, 'getTicket' | 'mutateTicket' | 'tierQueue'>;
  parking: ParkingRecords;
  incidents: IncidentStore;
  control: WorkflowControl;
  jobs: JobStore;
  launcher: JobLauncher;
  deadLetters: DeadLetterStore;
  clock: Clock;
}

/** Who the reconciliation's own actions are recorded as. */
export const RECONCILIATION_ACTOR = 'system:reconciliation';

export const requireOperator = (principal: Principal): void => {
  if (!canOperate(principal))
    throw new ForbiddenError('Operating the ticket workflows is for ops, supervisors and admins.');
};

export const ticketOrNotFound = async (deps: Pick<OpsDeps, 'tickets'>, number: number): Promise<Ticket> => {
  const ticket = await deps.tickets.getTicket(number);
  if (!ticket) throw new NotFoundError(`Ticket #${number} does not exist.`);
  return ticket;
};

const generationOf = (parked: ParkingRecord | undefined): number =>
  (parked && parseExecutionName(parked.execution.split(':').at(-1) ?? '')?.generation) ?? 0;

/**
 * The newest generation of a ticket's workflow: from the one that last parked (or the first),
 * on while a next one exists. Generations are few (one per 1,000 loops, one per restart).
 */
export const latestExecution = async (
  deps: Pick<OpsDeps, 'parking' | 'control'>,
  number: number,
): Promise<{ generation: number; detail?: ExecutionDetail }> => {
  const parked = (await deps.parking.parkedOf([number])).get(number);
  let generation = generationOf(parked);
  let detail = await deps.control.describe(deps.control.arnOf(executionName(number, generation)));
  if (!detail) return { generation };
  for (;;) {
    const next = await deps.control.describe(deps.control.arnOf(executionName(number, generation + 1)));
    if (!next) return { generation, detail };
    generation += 1;
    detail = next;
  }
};

/** Every generation of a ticket's workflow, oldest first. */
export const allExecutions = async (
  deps: Pick<OpsDeps, 'control'>,
  number: number,
): Promise<ExecutionDetail[]> => {
  const executions: ExecutionDetail[] = [];
  for (let generation = 0; ; generation++) {
    const detail = await deps.control.describe(deps.control.arnOf(executionName(number, generation)));
    if (!detail) return executions;
    executions.push(detail);
  }
};

/** An operator action as an internal timeline event: the audit record, seen by the ticket's staff. */
export const recordOperatorAction = async (
  deps: Pick<OpsDeps, 'tickets' | 'clock'>,
  number: number,
  by: string,
  action: string,
  data: Record<string, unknown>,
): Promise<void> => {
  const at = deps.clock.now().toISOString();
  await deps.tickets.mutateTicket(number, (current) => ({
    ticket: current,
    events: [{ type: 'operator_action', at, actor: by, public: false, data: { action, by, ...data } }],
  }));
};

/**
 * An operator action, audited before it is taken: the record is written first (a failed write
 * means nothing was done, and the caller may retry), then the action; should the action then fail,
 * a second record says so (best effort: the first one already tells who asked for what, when).
 */
export const audited = async <T>(
  deps: Pick<OpsDeps, 'tickets' | 'clock'>,
  number: number,
  by: string,
  action: string,
  { data, act }: { data: Record<string, unknown>; act: () => Promise<T> },
): Promise<T> => {
  await recordOperatorAction(deps, number, by, action, data);
  try {
    return await act();
  } catch (error) {
    const failure = { execution: data.execution, outcome: 'failed', error: (error as Error).name };
    await recordOperatorAction(deps, number, by, action, failure).catch(() => undefined);
    throw error;
  }
};

/** Takes the ticket's open incidents off the lists: the action that dealt with them is recorded. */
export const resolveIncidents = async (
  deps: Pick<OpsDeps, 'incidents' | 'clock'>,
  number: number,
  by: string,
  action: string,
  only?: (incident: Incident) => boolean,
): Promise<number> => {
  const open = (await deps.incidents.ofTicket(number)).filter(
    (incident) => !incident.resolved && (!only || only(incident)),
  );
  const at = deps.clock.now().toISOString();
  for (const incident of open) await deps.incidents.resolve(incident, { at, by, action });
  return open.length;
};

/**
 * A new generation of the ticket's workflow, started from the ticket as it is now: the workflow
 * is level-triggered, so Triage (the policy stays pinned) and the first decision read the ticket
 * and park it in the phase it is in. Refused while the newest generation still runs.
 */
export const restartWorkflow = async (
  deps: Pick<OpsDeps, 'parking' | 'control' | 'tickets' | 'incidents' | 'clock'>,
  ticket: Ticket,
  by: string,
  reason: Record<string, unknown>,
): Promise<{ execution: string; outcome: 'started' | 'exists' }> => {
  if (ticket.status === 'closed')
    throw new ConflictError(`Ticket #${ticket.number} is closed: its workflow has nothing left to do.`);
  const latest = await latestExecution(deps, ticket.number);
  if (latest.detail?.status === 'RUNNING')
    throw new ConflictError(
      `The workflow of ticket #${ticket.number} (${latest.detail.name}) is running: there is nothing to restart.`,
    );
  const generation = latest.detail ? latest.generation + 1 : 0;
  const execution = executionName(ticket.number, generation);
  const outcome = await audited(deps, ticket.number, by, 'restart', {
    data: {
      execution,
      ...(latest.detail && { previous: latest.detail.name, previousStatus: latest.detail.status }),
      ...reason,
    },
    act: () => deps.control.start(ticket.number, generation),
  });
  await resolveIncidents(deps, ticket.number, by, 'restart');
  return { execution, outcome };
};
