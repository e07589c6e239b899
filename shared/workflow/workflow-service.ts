import { isDeepStrictEqual } from 'node:util';
import { defaultRoute, escalationGroup, policyForPriority, routingRules } from '#shared/config/compile';
import type { DeskConfig } from '#shared/config/desk';
import type { ConfigReader } from '#shared/config/reader';
import type { Clock } from '#shared/domain/clock';
import { type ClockView, clockInputOf, evaluateClocks } from '#shared/domain/clocks';
import { autoEscalate, closeBySystem, SYSTEM_ACTOR, type Transition } from '#shared/domain/lifecycle';
import type { ClockEvent, ServicePolicy, TicketClocks } from '#shared/domain/service-levels';
import { routeFor, type Ticket } from '#shared/domain/ticket';
import type { NewTimelineEvent } from '#shared/domain/timeline';
import { MetricUnit, metrics } from '#shared/runtime/observability';
import { type AssignmentPlan, applyAssignment } from '#shared/tickets/assignment';
import type { TicketStore } from '#shared/tickets/ticket-store';
import type { WorkflowStore } from '#shared/workflow/workflow-store';
import {
  type Decision,
  type DecisionRequest,
  IDLE_WAIT_SECONDS,
  type ParkRequest,
  phaseOf,
} from './decision.ts';
import type { WaitingPhase, WorkflowAction } from './definition.ts';

/**
 * What the workflow's tasks do. Level-triggered: each reads the ticket as stored and decides from
 * it alone, so a duplicated, lost or late signal changes nothing but timing. Every write is a
 * conditional ticket mutation, and a clock event is applied at most once (its key is recorded in
 * `clocks.applied` in the same write).
 */

/** The configuration the workflow needs (`ConfigReader` serves it): policies, routing, tiers. */
export type WorkflowConfig = Pick<ConfigReader, 'current' | 'liveServiceLevels'>;

export interface WorkflowDeps {
  store: TicketStore;
  clock: Clock;
  config: WorkflowConfig;
  workflows: Pick<WorkflowStore, 'park'>;
  /** Completes a task token (the park task wakes itself when it lost a race with a change). */
  wake(token: string, reasons: string[]): Promise<boolean>;
  /**
   * Whom the automatic assignment of its group gives a ticket that enters a tier (`planAssignment`),
   * if anyone: written in the same transaction as the routing or escalation that made it due.
   */
  assignment?(ticket: Ticket): Promise<AssignmentPlan | undefined>;
}

/** Which action state applies a due clock event. */
const actionFor = (event: ClockEvent): WorkflowAction => {
  switch (event.kind) {
    case 'warning':
      return 'warn';
    case 'breach':
      if (event.clock === 'ola')
        return event.tier !== undefined && event.tier < 3 ? 'escalate' : 'notify_supervisors';
      if (event.clock === 'uc_response' || event.clock === 'uc_resolution') return 'remind_vendor';
      return 'breach';
    case 'vendor_reminder':
      return 'remind_vendor';
    case 'pending_reminder':
      return 'remind_requester';
    case 'pending_auto_close':
    case 'reopen_window_end':
      return 'close';
  }
};

/**
 * Clock events that fall on one instant (a P2's first-response and Tier 1 OLA warnings, or their
 * breaches, when both targets are two hours) are applied by one action state, in one write
 * (`applyDueEvents`): the earliest due instant's events, one state per instant, not per event.
 * The state is the weightiest of them, so the history shows the escalation, not the breach
 * recorded with it.
 */
const ACTION_WEIGHT: Record<WorkflowAction, number> = {
  close: 6,
  escalate: 5,
  notify_supervisors: 4,
  breach: 3,
  remind_vendor: 2,
  remind_requester: 1,
  warn: 0,
};
const firstToApply = (due: readonly ClockEvent[]): ClockEvent | undefined =>
  due
    .filter((event) => event.at === due[0]?.at)
    .reduce<ClockEvent | undefined>(
      (best, event) =>
        best === undefined || ACTION_WEIGHT[actionFor(event)] > ACTION_WEIGHT[actionFor(best)] ? event : best,
      undefined,
    );

/** At most this many due events are applied in one write (a ticket rarely has more than three). */
const MAX_EVENTS_PER_WRITE = 20;

const clockView = (ticket: Ticket, now: Date) =>
  ticket.clocks.policy
    ? evaluateClocks({ ...clockInputOf(ticket.clocks), policy: ticket.clocks.policy, now })
    : undefined;

/** The decision for the ticket as it is now. */
export const decide = (
  ticket: Ticket,
  request: Pick<DecisionRequest, 'generation' | 'loops'>,
  now: Date,
): Decision => {
  const base = {
    ticketNumber: ticket.number,
    generation: request.generation,
    loops: (request.loops ?? 0) + 1,
    version: ticket.version,
  };
  if (ticket.status === 'closed') return { ...base, phase: 'closed', action: 'none', waitSeconds: 1 };
  const view = clockView(ticket, now);
  const due = view && firstToApply(view.due);
  const next = view?.next;
  const waitSeconds = next
    ? Math.max(1, Math.ceil((new Date(next.at).getTime() - now.getTime()) / 1000))
    : IDLE_WAIT_SECONDS;
  return {
    ...base,
    phase: phaseOf(ticket.status) as WaitingPhase,
    action: due ? actionFor(due) : 'none',
    ...(due && { due }),
    ...(next && !due && { next }),
    waitSeconds,
  };
};

/**
 * Triage: pins the SLA policy the ticket will keep for life and routes it by category to its
 * first tier and group (the category may ask for a specialist group straight away).
 */
export const triage = async (deps: WorkflowDeps, request: DecisionRequest): Promise<Decision> => {
  // One read of the configuration; what depends on the ticket is decided on the version written.
  const { document: desk } = await deps.config.current();
  const rules = routingRules(desk);
  const fallback = defaultRoute(desk);
  const now = deps.clock.now();
  const at = now.toISOString();
  const triaged = (current: Ticket): Transition | null => {
    if (current.clocks.policy) return null;
    const policy = policyForPriority(desk, current.priority);
    // Every ticket starts at Tier 1: where no category route matches, the default route decides
    // which group (and tier) takes it; a ticket placed elsewhere on purpose stays there.
    const route =
      routeFor(rules, current.category) ??
      (current.tier === 1 ? { ...fallback, categoryPrefix: undefined } : undefined);
    const next: Ticket = { ...current, clocks: { ...current.clocks, policy }, updatedAt: at };
    const facts = [...next.clocks.facts];
    if (route && (route.tier !== current.tier || route.group !== current.group)) {
      if (route.tier !== current.tier) facts.push({ at, type: 'tier', tier: route.tier });
      next.tier = route.tier;
      next.group = route.group;
    }
    next.clocks = { ...next.clocks, facts };
    return {
      ticket: next,
      events: [
        {
          type: 'routed',
          at,
          actor: SYSTEM_ACTOR,
          public: false,
          data: {
            tier: next.tier,
            group: next.group,
            rule: route?.categoryPrefix ?? null,
            policy: `${policy.id}@v${policy.version}`,
          },
        },
      ],
    };
  };
  // The ticket is read first and routed in memory, so that its group's automatic assignment is
  // planned on it and written with the routing: one transaction, one version.
  const read = deps.assignment && (await deps.store.getTicket(request.ticketNumber));
  const routed = read && triaged(read);
  const plan = routed ? await deps.assignment?.(routed.ticket) : undefined;
  const { ticket } = await deps.store.mutateTicket(
    request.ticketNumber,
    (current) => withAssignment(triaged(current), plan, now),
    read ? { current: read } : {},
  );
  // Decided from the version this task wrote (no second read): should anyone have changed the
  // ticket since, the park finds it moved on and wakes itself.
  return decide(ticket, request, deps.clock.now());
};

/** A change with the planned assignment written with it, where it still applies. */
const withAssignment = <T extends Transition>(
  change: T | null,
  plan: AssignmentPlan | undefined,
  at: Date,
): T | null => {
  const assigned = change && plan && applyAssignment(change.ticket, plan, at);
  return assigned && change
    ? { ...change, ticket: assigned.ticket, events: [...change.events, ...assigned.events] }
    : change;
};

/** Calendars and OLAs are followed live: an admin's change reaches the ticket when its workflow next runs. */
const followLive = (current: Ticket, live: (pinned: ServicePolicy) => ServicePolicy): Ticket => {
  const pinned = current.clocks.policy;
  const policy = pinned && live(pinned);
  return policy && !isDeepStrictEqual(policy, pinned)
    ? { ...current, clocks: { ...current.clocks, policy } }
    : current;
};

/**
 * Evaluate: after a wake, re-reads the ticket and decides. The live service levels are followed
 * first (written before deciding, so that the workflow parks on the version it wrote); the queue
 * order (`dueAt`) needs nothing here: the ticket store keeps it current on every write.
 */
export const evaluate = async (deps: WorkflowDeps, request: DecisionRequest): Promise<Decision> => {
  const now = deps.clock.now();
  const live = await deps.config.liveServiceLevels();
  const { ticket } = await deps.store.mutateTicket(request.ticketNumber, (current) => {
    const followed = followLive(current, live);
    return followed === current ? null : { ticket: followed, events: [] };
  });
  return decide(ticket, request, now);
};

/**
 * Parks the workflow on the ticket version it decided from. If the ticket moved on meanwhile,
 * nobody will wake this token (the change's stream record came and went), so it wakes itself.
 */
export const park = async (deps: WorkflowDeps, request: ParkRequest): Promise<{ parked: boolean }> => {
  // Entered without Route (Triage parks in AwaitAgent): a decision that does not wait here is
  // handed to Evaluate, which decides again and routes it.
  if (request.decided.phase !== request.phase || request.decided.action !== 'none') {
    await deps.wake(request.token, ['decided to do something else']);
    return { parked: false };
  }
  const parked = await deps.workflows.park({
    ticketNumber: request.ticketNumber,
    token: request.token,
    version: request.version,
    phase: request.phase,
    parkedAt: deps.clock.now().toISOString(),
    execution: request.execution,
  });
  if (!parked) await deps.wake(request.token, ['changed while parking']);
  return { parked };
};

// ---- applying a due clock event -----------------------------------------------------------------

const notification = (
  at: string,
  template: string,
  to: string[],
  data: Record<string, unknown>,
): NewTimelineEvent => ({
  type: 'notification',
  at,
  actor: SYSTEM_ACTOR,
  public: false,
  data: { template, to, ...data },
});

/** Who hears about a ticket's clock: its assignee, or its whole group while nobody has it. */
const owners = (ticket: Ticket): string[] =>
  ticket.assignee ? [ticket.assignee] : [`group:${ticket.group}`];
const SUPERVISORS = 'role:supervisors';

/**
 * What a clock event's timeline entries and notices say about it. `due` is the clock's deadline:
 * a warning fires before it and a vendor reminder is about the contract's response, so their own
 * instant is not what anyone is due by (when it fired is the timeline event's `at`).
 */
const clockEventData = (event: ClockEvent) => ({
  key: event.key,
  clock: event.clock,
  tier: event.tier,
  due: event.deadline ?? event.at,
});

/** The change an action makes to the ticket, on top of recording the event as applied. */
const applyAction = (
  action: WorkflowAction,
  ticket: Ticket,
  event: ClockEvent,
  now: Date,
  escalationGroup: string | undefined,
): Transition => {
  const at = now.toISOString();
  const recorded = (type: 'clock_warning' | 'clock_breach'): NewTimelineEvent => ({
    type,
    at,
    actor: SYSTEM_ACTOR,
    public: false,
    data: clockEventData(event),
  });
  switch (action) {
    case 'warn':
      return {
        ticket,
        events: [
          recorded('clock_warning'),
          notification(at, 'clock_warning', owners(ticket), clockEventData(event)),
        ],
      };
    case 'breach':
      return {
        ticket,
        events: [
          recorded('clock_breach'),
          notification(at, 'clock_breach', [...owners(ticket), SUPERVISORS], clockEventData(event)),
        ],
      };
    case 'escalate': {
      const escalated = autoEscalate(
        ticket,
        {
          trigger: 'ola_breach',
          reason: `The Tier ${ticket.tier} OLA was breached.`,
          summary: `No resolution at Tier ${ticket.tier} within the operational level; escalated automatically.`,
          ...(escalationGroup && { group: escalationGroup }),
        },
        now,
      );
      return {
        ticket: escalated.ticket,
        events: [
          recorded('clock_breach'),
          ...escalated.events,
          notification(
            at,
            'escalated',
            [`group:${escalated.ticket.group}`, ...owners(ticket)],
            clockEventData(event),
          ),
        ],
      };
    }
    case 'notify_supervisors':
      return {
        ticket,
        events: [
          recorded('clock_breach'),
          notification(at, 'ola_breach_last_tier', [SUPERVISORS, ...owners(ticket)], clockEventData(event)),
        ],
      };
    case 'remind_vendor': {
      const vendor = ticket.clocks.vendor;
      const breach = event.kind === 'breach';
      return {
        ticket,
        events: [
          ...(breach ? [recorded('clock_breach')] : []),
          {
            type: 'reminder',
            at,
            actor: SYSTEM_ACTOR,
            public: false,
            data: { to: vendor?.email, vendorId: vendor?.vendorId, ...clockEventData(event) },
          },
          notification(at, 'vendor_reminder', vendor ? [vendor.email] : [], clockEventData(event)),
          ...(breach ? [notification(at, 'uc_breach', owners(ticket), clockEventData(event))] : []),
        ],
      };
    }
    case 'remind_requester':
      return {
        ticket,
        events: [
          {
            type: 'reminder',
            at,
            actor: SYSTEM_ACTOR,
            public: true,
            data: { to: ticket.requester, ...clockEventData(event) },
          },
          notification(at, 'pending_reminder', [ticket.requester], clockEventData(event)),
        ],
      };
    case 'close':
      return closeBySystem(
        ticket,
        event.kind === 'pending_auto_close'
          ? { reason: 'auto_closed', note: 'No answer from the requester while pending.' }
          : { reason: 'resolved', note: 'The reopen window ended.' },
        now,
      );
  }
};

/**
 * Breaches as metrics, for the dashboard and the alarm: one metric per kind of clock, with only
 * the service dimension (the alarm watches exactly that metric).
 */
const recordMetric = (event: ClockEvent) => {
  if (event.kind !== 'breach') return;
  const kind =
    event.clock === 'ola' ? 'OlaBreaches' : event.clock?.startsWith('uc_') ? 'UcBreaches' : 'SlaBreaches';
  metrics.addMetric(kind, MetricUnit.Count, 1);
};

/** Whether the tier stay an OLA event belongs to (`ola.t1#0` for `ola.t1#0.breach`) still goes on. */
const stayGoesOn = (view: ClockView, event: ClockEvent): boolean =>
  view.clocks.some(
    (clock) =>
      clock.clock === 'ola' && event.key.startsWith(`${clock.key}.`) && clock.stoppedAt === undefined,
  );

/** What applying the due clock events wrote: the ticket, its timeline entries, the events applied. */
export interface AppliedEvents extends Transition {
  applied: ClockEvent[];
  /** The action of the instant (its weightiest event's), as the ops view names the step. */
  action: WorkflowAction;
  /** The ticket entered another tier (an OLA escalation): it goes to that group's assignment. */
  escalated: boolean;
}

/**
 * Applies the clock events due first as the ticket has them now — every event due at the
 * earliest due instant, each once — as one change of the ticket. Null when nothing is due (the
 * event a park waited for was applied already, or a change moved it): then nothing is written.
 * Later instants are left to the next decision, so each instant is a step of its own.
 */
export const applyDueEvents = (
  current: Ticket,
  now: Date,
  desk: DeskConfig | undefined,
): AppliedEvents | null => {
  const first = clockView(current, now);
  const chosen = first && firstToApply(first.due);
  if (!first || !chosen) return null;
  let ticket = current;
  const events: NewTimelineEvent[] = [];
  const applied: ClockEvent[] = [];
  let action: WorkflowAction | undefined;
  for (let n = 0; n < MAX_EVENTS_PER_WRITE && ticket.status !== 'closed'; n++) {
    // The events as the ticket has them after the previous one: an escalation starts new clocks.
    const view = n === 0 ? first : clockView(ticket, now);
    const event = n === 0 ? chosen : view?.due.find((due) => due.at === chosen.at);
    if (!view || !event) break;
    const weighed = actionFor(event);
    // A breach stays due after its stay ended (it happened), but a ticket escalated by hand or
    // resolved between the breach and this run has left the tier: record it, escalate nothing.
    const effective = weighed === 'escalate' && !stayGoesOn(view, event) ? 'breach' : weighed;
    action ??= effective;
    const change = applyAction(
      effective,
      ticket,
      event,
      now,
      desk && ticket.tier < 3 ? escalationGroup(desk, (ticket.tier + 1) as 2 | 3) : undefined,
    );
    const clocks: TicketClocks = {
      ...change.ticket.clocks,
      applied: [...change.ticket.clocks.applied, event.key],
    };
    ticket = { ...change.ticket, clocks, updatedAt: now.toISOString() };
    events.push(...change.events);
    applied.push(event);
  }
  return {
    ticket,
    events,
    applied,
    action: action ?? actionFor(chosen),
    escalated: ticket.tier !== current.tier,
  };
};

/**
 * ApplyClockEvent: after a park timed out (or a decision found an event due), re-reads the ticket,
 * follows the live service levels as Evaluate does, and applies what is due by now — the event
 * the park waited for, unless a change moved or met it — once: an event applied already is not
 * due any more. Then decides from the version it wrote.
 */
export const applyClockEvent = async (deps: WorkflowDeps, request: DecisionRequest): Promise<Decision> => {
  const now = deps.clock.now();
  // Any of the due events may escalate: the next tier's group comes from the configuration.
  const stored = await deps.config.current();
  const desk = stored.document;
  const live = await deps.config.liveServiceLevels();
  // As in triage: an escalation's assignment is planned on the ticket read first and written
  // with the escalation.
  const read = deps.assignment && (await deps.store.getTicket(request.ticketNumber));
  const preview = read && applyDueEvents(followLive(read, live), now, desk);
  const plan = preview?.escalated ? await deps.assignment?.(preview.ticket) : undefined;
  let outcome: AppliedEvents | null = null;
  const { ticket } = await deps.store.mutateTicket(
    request.ticketNumber,
    (current) => {
      const followed = followLive(current, live);
      const applied = applyDueEvents(followed, now, desk);
      outcome = applied?.escalated ? withAssignment(applied, plan, now) : applied;
      if (outcome) return { ticket: outcome.ticket, events: outcome.events };
      return followed === current ? null : { ticket: followed, events: [] };
    },
    read ? { current: read } : {},
  );
  const done = outcome as AppliedEvents | null;
  for (const event of done?.applied ?? []) recordMetric(event);
  // As in triage: decided from the version written, without reading it again.
  const decision = decide(ticket, request, deps.clock.now());
  return done ? { ...decision, applied: done.action } : decision;
};
