import { addBusinessTime, businessTimeBetween } from './calendar.ts';
import type {
  Calendar,
  ClockCheckpoint,
  ClockEvent,
  ClockEventKind,
  ClockFact,
  ClockInstanceState,
  ClockName,
  ClockState,
  ClockStatus,
  ServicePolicy,
  TicketClocks,
  VendorContract,
} from './service-levels.ts';
import { CLOCK_EVENT_KINDS } from './service-levels.ts';
import type { Priority, Status, Tier } from './ticket-fields.ts';

/**
 * The clock engine: a ticket's clock facts and its pinned policy in, its clocks and their
 * deadlines, warnings, breaches and reminders out. Pure and deterministic; `now` only decides
 * what has happened yet (running or breached, due or upcoming) and how much time has elapsed.
 *
 * How the clocks run (PRODUCT.md, "Service levels"):
 * - `first_response`: `created` → first public agent reply. `resolution`: `created` → `resolved`
 *   or `closed`; a reopen resumes it (elapsed time is kept, not reset).
 * - `next_response#n`: a requester message after the first response, while none is waiting,
 *   → the next public agent reply.
 * - Those three are requester-facing: `pending` pauses them, and `on_hold` does when the policy
 *   says so. While the ticket is resolved or closed they are stopped, and a reopen resumes them.
 * - `ola.t<tier>#n`: one per stay at Tiers 1–3, from entering the tier to leaving it or the
 *   ticket's resolution; a reopen starts a new stay with a full target. It pauses in `pending`
 *   and in `on_hold` alike — waiting on the requester or on a vendor is not the tier's doing —
 *   so an OLA breach (which escalates automatically) only ever measures the tier's own time.
 * - `uc_response#h`, `uc_resolution#h`: the h-th hand-off to the contracted vendor, in the
 *   vendor's calendar, never paused (the vendor works whatever the requester does); stopped by
 *   the vendor's response / resolution (a resolution answers too), by the ticket leaving Tier 4
 *   or by its resolution. A hand-off while the vendor's clocks run is a resend: nothing restarts.
 * - A priority change keeps each clock's start, elapsed time and pauses; the target becomes the
 *   new priority's from then on. A target already exceeded at the change is crossed *at* the
 *   change, never retroactively, so a reprioritized ticket is not breached in the past.
 * - A clock crosses its warning (policy `warnAt` × target) and breach (the target) when its
 *   elapsed business time reaches them; a clock that stops before a crossing never has it. A
 *   stop exactly at the deadline is met, unless the breach was applied first and the stop is its
 *   consequence (an automatic escalation ends the stay at the breach instant): that clock is
 *   breached. Crossings already applied are not listed again.
 */

export interface ClockInput {
  /** The facts recorded after `checkpoint` (every fact when there is none). */
  facts: readonly ClockFact[];
  /** The clocks as of the facts before `facts` (`foldClocks`), for this policy and vendor. */
  checkpoint?: ClockCheckpoint;
  /** Keys of clock events already applied (`TicketClocks.applied`). */
  applied: readonly string[];
  policy: ServicePolicy;
  /** The contract of the vendor the ticket is (or was) handed to; hand-offs to others run no UC clock. */
  vendor?: VendorContract;
  now: Date;
}

export interface ClockView {
  /** Every clock instance, in the order they started. */
  clocks: ClockState[];
  /** Every event not yet applied, in time order: due ones first, then upcoming ones. */
  events: ClockEvent[];
  /** The first upcoming event (after `now`): what the workflow sleeps until. */
  next?: ClockEvent;
  /** Events at or before `now`, in order: to be applied now. */
  due: ClockEvent[];
  /**
   * The earliest deadline of a running SLA or OLA clock, past deadlines included (an overdue
   * ticket leads its queue); absent while every such clock is paused or stopped.
   */
  dueAt?: string;
}

// ---- clock instances ------------------------------------------------------------------------

type Mode = 'running' | 'paused' | 'stopped';

/** A stretch in which a clock is alive: accruing time (`running`) or not (`paused`). */
interface Period {
  from: number;
  /** Infinity while the period lasts. */
  to: number;
  running: boolean;
  /** Closed by a stop (a satisfying event, the ticket's resolution): reaching the target at its end is met. */
  stopped: boolean;
}

/**
 * What the periods folded into a checkpoint add up to: business time elapsed (`elapsed`, as
 * `elapsedBy` sums it; `run`, as `crossing` does, piece by piece), and the crossings they hold
 * (by `variantOf`; absent: not crossed yet). Computed for the variants in `variants` only.
 */
interface Folded {
  elapsed: number;
  run: number;
  crossed: Record<string, number>;
  variants: string[];
}

/** A crossing asked for: the fraction of the target, and whether a stop at the threshold crosses. */
const variantOf = (fraction: number, stopAtThresholdCrosses: boolean): string =>
  `${fraction}${stopAtThresholdCrosses ? '!' : ''}`;

class ClockInstance {
  periods: Period[] = [];
  /** Target changes after the start, one per priority change: `[instant, target from then on]`. */
  private retargets: [at: number, target: number][] = [];
  /** The periods a checkpoint folded away (the oldest, long closed), summed up. */
  folded?: Folded;
  /** Stopped for good: `met` when its own stop condition happened. */
  ended?: { at: number; met: boolean };
  /** Stopped while the ticket is resolved or closed; a reopen resumes it. */
  stoppedAt?: number;

  constructor(
    readonly clock: ClockName,
    readonly key: string,
    readonly calendarRef: ClockInstanceState['calendar'],
    readonly calendar: Calendar,
    readonly startedAt: number,
    private initialTarget: number,
    mode: Mode | undefined,
    readonly tier?: Tier,
  ) {
    if (mode) this.setMode(mode, startedAt);
  }

  /**
   * Folds the periods that closed by `boundary` into `folded`: what they add up to stays, their
   * list goes. The crossings of the given variants are computed over them first; the target then
   * starts from what was in force at the last folded period's end.
   */
  fold(boundary: number, variants: readonly [fraction: number, stopAtThresholdCrosses: boolean][]): void {
    let count = 0;
    while (count < this.periods.length) {
      const period = this.periods[count] as Period;
      if (period.to === Infinity || period.to > boundary) break;
      count++;
    }
    if (count === 0) return;
    const head = this.periods.slice(0, count);
    const folded: Folded = this.folded
      ? { ...this.folded, crossed: { ...this.folded.crossed } }
      : { elapsed: 0, run: 0, crossed: {}, variants: variants.map(([f, s]) => variantOf(f, s)) };
    for (const [fraction, stopAtThresholdCrosses] of variants) {
      const variant = variantOf(fraction, stopAtThresholdCrosses);
      if (!folded.variants.includes(variant)) throw new Error(`Clock ${this.key} has no folded ${variant}.`);
      if (folded.crossed[variant] !== undefined) continue;
      const { at } = walk(this, head, fraction, stopAtThresholdCrosses, this.folded?.run ?? 0);
      if (at !== undefined) folded.crossed[variant] = at;
    }
    for (const period of head) {
      if (period.to <= period.from || !period.running) continue;
      folded.elapsed += between(this.calendar, period.from, period.to);
      for (const [from, to] of this.pieces(period)) folded.run += between(this.calendar, from, to);
    }
    const end = (head.at(-1) as Period).to;
    this.initialTarget = this.targetAt(end);
    this.retargets = this.retargets.filter(([at]) => at > end);
    this.periods = this.periods.slice(count);
    this.folded = folded;
  }

  /** The instance as a checkpoint keeps it. */
  toState(): ClockInstanceState {
    return {
      clock: this.clock,
      key: this.key,
      calendar: this.calendarRef,
      ...(this.tier !== undefined && { tier: this.tier }),
      startedAt: this.startedAt,
      target: this.initialTarget,
      periods: this.periods.map(({ from, to, running, stopped }) => [
        from,
        to === Infinity ? null : to,
        running,
        stopped,
      ]),
      retargets: this.retargets.map(([at, target]) => [at, target]),
      ...(this.ended && { ended: [this.ended.at, this.ended.met] }),
      ...(this.stoppedAt !== undefined && { stoppedAt: this.stoppedAt }),
      ...(this.folded && {
        folded: {
          elapsed: this.folded.elapsed,
          run: this.folded.run,
          // No empty map: DynamoDB Local's stream images cannot carry one.
          ...(Object.keys(this.folded.crossed).length > 0 && { crossed: this.folded.crossed }),
          variants: this.folded.variants,
        },
      }),
    };
  }

  static fromState(state: ClockInstanceState, calendar: Calendar): ClockInstance {
    const instance = new ClockInstance(
      state.clock,
      state.key,
      state.calendar,
      calendar,
      state.startedAt,
      state.target,
      undefined,
      state.tier,
    );
    for (const [from, to, running, stopped] of state.periods)
      instance.periods.push({ from, to: to ?? Infinity, running, stopped });
    for (const [at, target] of state.retargets) instance.retargets.push([at, target]);
    if (state.ended) instance.ended = { at: state.ended[0], met: state.ended[1] };
    if (state.stoppedAt !== undefined) instance.stoppedAt = state.stoppedAt;
    if (state.folded) instance.folded = { ...state.folded, crossed: { ...state.folded.crossed } };
    return instance;
  }

  get alive(): boolean {
    return this.ended === undefined;
  }

  private get open(): Period | undefined {
    const last = this.periods.at(-1);
    return last?.to === Infinity ? last : undefined;
  }

  get running(): boolean {
    return this.open?.running === true;
  }

  setMode(mode: Mode, at: number): void {
    if (!this.alive) return;
    const open = this.open;
    if (mode === 'stopped') {
      if (open) Object.assign(open, { to: at, stopped: true });
      this.stoppedAt ??= at;
      return;
    }
    const running = mode === 'running';
    if (open?.running === running) return;
    if (open) open.to = at;
    this.stoppedAt = undefined;
    this.periods.push({ from: at, to: Infinity, running, stopped: false });
  }

  retarget(target: number, at: number): void {
    if (this.alive && this.target !== target) this.retargets.push([at, target]);
  }

  end(at: number, met: boolean): void {
    if (!this.alive) return;
    this.setMode('stopped', at);
    this.ended = { at, met };
  }

  /** The target now, after every change. */
  get target(): number {
    return this.targetAt(Infinity);
  }

  targetAt(instant: number): number {
    let target = this.initialTarget;
    for (const [at, changed] of this.retargets) if (at <= instant) target = changed;
    return target;
  }

  /** `[from, to, target]` pieces of a period, split where the target changes. */
  pieces(period: Period): [number, number, number][] {
    const cuts = this.retargets.map(([at]) => at).filter((at) => at > period.from && at < period.to);
    const bounds = [period.from, ...cuts, period.to];
    return cuts.concat(period.to).map((to, index) => {
      const from = bounds[index] as number;
      return [from, to, this.targetAt(from)];
    });
  }
}

const between = (calendar: Calendar, from: number, to: number): number =>
  businessTimeBetween(calendar, new Date(from), new Date(to));

const after = (calendar: Calendar, from: number, ms: number): number =>
  addBusinessTime(calendar, new Date(from), ms).getTime();

/**
 * The first instant at which the clock's elapsed time reaches `fraction` of the target in force,
 * if it does (or, running on unchanged, will). At a target change the new threshold applies at
 * once: one already exceeded is crossed at the change. A stop exactly at the threshold is no
 * crossing (met), unless `stopAtThresholdCrosses`: the breach was recorded and the stop is what
 * it set off.
 */
const crossing = (
  instance: ClockInstance,
  fraction: number,
  stopAtThresholdCrosses = false,
): number | undefined => {
  const { folded } = instance;
  if (folded) {
    const variant = variantOf(fraction, stopAtThresholdCrosses);
    if (!folded.variants.includes(variant)) {
      throw new Error(`Clock ${instance.key} was folded without its ${variant} crossing.`);
    }
    const at = folded.crossed[variant];
    if (at !== undefined) return at;
  }
  return walk(instance, instance.periods, fraction, stopAtThresholdCrosses, folded?.run ?? 0).at;
};

/**
 * The crossing over these periods, starting with `elapsed` business time already spent: the
 * instant (`at`), or, where there is none in them, the business time spent by their end.
 */
const walk = (
  instance: ClockInstance,
  periods: readonly Period[],
  fraction: number,
  stopAtThresholdCrosses: boolean,
  spent: number,
): { at?: number; elapsed: number } => {
  // Instants at which the clock stopped, whatever else changed at the same instant.
  const stops = new Set(
    stopAtThresholdCrosses ? [] : periods.filter((period) => period.stopped).map((period) => period.to),
  );
  let elapsed = spent;
  for (const period of periods) {
    if (period.to <= period.from) continue;
    for (const [from, to, target] of instance.pieces(period)) {
      const threshold = Math.round(target * fraction);
      if (elapsed >= threshold) return { at: from, elapsed };
      if (!period.running) continue;
      const needed = threshold - elapsed;
      if (to === Infinity) return { at: after(instance.calendar, from, needed), elapsed };
      const available = between(instance.calendar, from, to);
      if (available >= needed) {
        const at = after(instance.calendar, from, needed);
        if (at < to || !stops.has(to)) return { at, elapsed };
      }
      elapsed += available;
    }
  }
  return { elapsed };
};

const elapsedBy = (instance: ClockInstance, now: number): number =>
  instance.periods
    .filter((period) => period.running && period.from < now)
    .reduce(
      (sum, period) => sum + between(instance.calendar, period.from, Math.min(period.to, now)),
      instance.folded?.elapsed ?? 0,
    );

// ---- replaying the facts --------------------------------------------------------------------

/** Whether a status pauses the requester-facing clocks: `pending`, and `on_hold` if the policy says so. */
export const requesterClocksPaused = (
  status: Status,
  policy: Pick<ServicePolicy, 'onHoldPausesSla'>,
): boolean => status === 'pending' || (status === 'on_hold' && policy.onHoldPausesSla);

const isDone = (status: Status): boolean => status === 'resolved' || status === 'closed';

const iso = (instant: number): string => new Date(instant).toISOString();

/** Replays a ticket's facts in time order (ties keep their recorded order) into clock instances. */
class Replay {
  instances: ClockInstance[] = [];
  pendingSince?: number;
  resolvedSince?: number;
  private firstResponse!: ClockInstance;
  private resolution!: ClockInstance;
  private nextResponse?: ClockInstance;
  private nextResponses = 0;
  private ola?: ClockInstance;
  private stays: Record<Tier, number> = { 1: 0, 2: 0, 3: 0, 4: 0 };
  ucResponse?: ClockInstance;
  private ucResolution?: ClockInstance;
  handoffs = 0;
  handoffAt?: number;

  private constructor(
    private readonly policy: ServicePolicy,
    private readonly vendor: VendorContract | undefined,
    public status: Status,
    public priority: Priority,
    public tier: Tier,
  ) {}

  /** The replay of a ticket from its `created` fact. */
  static from(
    policy: ServicePolicy,
    vendor: VendorContract | undefined,
    created: Extract<ClockFact, { type: 'created' }>,
    at: number,
  ): Replay {
    const replay = new Replay(policy, vendor, created.status, created.priority, created.tier);
    const targets = policy.sla[created.priority];
    replay.firstResponse = replay.start('first_response', 'first_response', targets.firstResponse, at);
    replay.resolution = replay.start('resolution', 'resolution', targets.resolution, at);
    replay.enterTier(at);
    replay.enterStatus(at);
    return replay;
  }

  /** The replay where a checkpoint left it (computed with this policy and vendor). */
  static restore(
    policy: ServicePolicy,
    vendor: VendorContract | undefined,
    checkpoint: ClockCheckpoint,
  ): Replay {
    const replay = new Replay(policy, vendor, checkpoint.status, checkpoint.priority, checkpoint.tier);
    replay.instances = checkpoint.instances.map((state) =>
      ClockInstance.fromState(state, calendarOf(state, policy, vendor)),
    );
    const role = (index: number | undefined) => (index === undefined ? undefined : replay.instances[index]);
    const { roles } = checkpoint;
    const firstResponse = role(roles.firstResponse);
    const resolution = role(roles.resolution);
    if (!firstResponse || !resolution) throw new RangeError('A clock checkpoint lacks its SLA clocks.');
    replay.firstResponse = firstResponse;
    replay.resolution = resolution;
    replay.nextResponse = role(roles.nextResponse);
    replay.ola = role(roles.ola);
    replay.ucResponse = role(roles.ucResponse);
    replay.ucResolution = role(roles.ucResolution);
    replay.nextResponses = checkpoint.nextResponses;
    const [t1, t2, t3, t4] = checkpoint.stays;
    replay.stays = { 1: t1, 2: t2, 3: t3, 4: t4 };
    replay.handoffs = checkpoint.handoffs;
    if (checkpoint.pendingSince !== undefined) replay.pendingSince = checkpoint.pendingSince;
    if (checkpoint.resolvedSince !== undefined) replay.resolvedSince = checkpoint.resolvedSince;
    if (checkpoint.handoffAt !== undefined) replay.handoffAt = checkpoint.handoffAt;
    return replay;
  }

  /** The instances the replay follows by role: never dropped from a checkpoint. */
  followed(): Set<ClockInstance> {
    return new Set(
      [
        this.firstResponse,
        this.resolution,
        this.nextResponse,
        this.ola,
        this.ucResponse,
        this.ucResolution,
      ].filter((instance) => instance !== undefined),
    );
  }

  /** The replay's state with only `kept` of its instances (the followed ones among them). */
  state(kept: readonly ClockInstance[]): Omit<ClockCheckpoint, 'basis' | 'through' | keyof History> {
    const index = (instance: ClockInstance | undefined) => {
      if (instance === undefined) return undefined;
      const at = kept.indexOf(instance);
      if (at < 0) throw new Error(`Clock ${instance.key} is followed but not kept.`);
      return at;
    };
    const roles: ClockCheckpoint['roles'] = {
      firstResponse: index(this.firstResponse) as number,
      resolution: index(this.resolution) as number,
    };
    const optional = {
      nextResponse: this.nextResponse,
      ola: this.ola,
      ucResponse: this.ucResponse,
      ucResolution: this.ucResolution,
    };
    for (const [name, instance] of Object.entries(optional)) {
      const at = index(instance);
      if (at !== undefined) roles[name as keyof typeof optional] = at;
    }
    return {
      status: this.status,
      priority: this.priority,
      tier: this.tier,
      ...(this.pendingSince !== undefined && { pendingSince: this.pendingSince }),
      ...(this.resolvedSince !== undefined && { resolvedSince: this.resolvedSince }),
      nextResponses: this.nextResponses,
      stays: [this.stays[1], this.stays[2], this.stays[3], this.stays[4]],
      handoffs: this.handoffs,
      ...(this.handoffAt !== undefined && { handoffAt: this.handoffAt }),
      instances: kept.map((instance) => instance.toState()),
      roles,
    };
  }

  apply(fact: ClockFact, at: number): void {
    switch (fact.type) {
      case 'created':
        break;
      case 'priority':
        this.changePriority(fact.priority, at);
        break;
      case 'status':
        this.changeStatus(fact.status, at);
        break;
      case 'tier':
        this.changeTier(fact.tier, at);
        break;
      case 'agent_reply':
        this.answer(at);
        break;
      case 'requester_message':
        this.awaitAnswer(at);
        break;
      case 'vendor_handoff':
        this.handOff(fact.vendorId, at);
        break;
      case 'vendor_response':
        this.ucResponse?.end(at, true);
        break;
      case 'vendor_resolved':
        this.ucResponse?.end(at, true);
        this.ucResolution?.end(at, true);
        break;
    }
  }

  private answer(at: number): void {
    if (this.firstResponse.alive) {
      this.firstResponse.end(at, true);
    } else {
      this.nextResponse?.end(at, true);
      this.nextResponse = undefined;
    }
  }

  private awaitAnswer(at: number): void {
    // Before the first response the first-response clock already covers the message.
    if (this.firstResponse.alive || this.nextResponse) return;
    const key = `next_response#${this.nextResponses++}`;
    this.nextResponse = this.start('next_response', key, this.policy.sla[this.priority].nextResponse, at);
  }

  private slaMode(): Mode {
    if (isDone(this.status)) return 'stopped';
    return requesterClocksPaused(this.status, this.policy) ? 'paused' : 'running';
  }

  private olaMode(): Mode {
    return this.status === 'pending' || this.status === 'on_hold' ? 'paused' : 'running';
  }

  private start(
    clock: 'first_response' | 'next_response' | 'resolution',
    key: string,
    target: number,
    at: number,
  ) {
    const instance = new ClockInstance(
      clock,
      key,
      'policy',
      this.policy.calendar,
      at,
      target,
      this.slaMode(),
    );
    this.instances.push(instance);
    return instance;
  }

  private slaClocks(): ClockInstance[] {
    return [this.firstResponse, this.resolution, this.nextResponse].filter(
      (instance): instance is ClockInstance => instance?.alive === true,
    );
  }

  private changePriority(priority: Priority, at: number): void {
    this.priority = priority;
    const targets = this.policy.sla[priority];
    this.firstResponse.retarget(targets.firstResponse, at);
    this.resolution.retarget(targets.resolution, at);
    this.nextResponse?.retarget(targets.nextResponse, at);
  }

  private changeStatus(status: Status, at: number): void {
    const before = this.status;
    if (status === before) return;
    this.status = status;
    for (const instance of this.slaClocks()) instance.setMode(this.slaMode(), at);
    if (isDone(status)) {
      this.leaveTier(at);
      this.ucResponse?.end(at, false);
      this.ucResolution?.end(at, false);
    } else if (isDone(before)) {
      this.enterTier(at);
    } else {
      this.ola?.setMode(this.olaMode(), at);
    }
    this.enterStatus(at);
  }

  private enterStatus(at: number): void {
    if (this.status === 'pending') this.pendingSince = at;
    if (this.status === 'resolved') this.resolvedSince = at;
  }

  private changeTier(tier: Tier, at: number): void {
    if (tier === this.tier) return;
    if (this.tier === 4) {
      // Taken back from the vendor: the contract clocks have nothing left to measure.
      this.ucResponse?.end(at, false);
      this.ucResolution?.end(at, false);
    }
    this.leaveTier(at);
    this.tier = tier;
    if (!isDone(this.status)) this.enterTier(at);
  }

  private leaveTier(at: number): void {
    this.ola?.end(at, true);
    this.ola = undefined;
  }

  private enterTier(at: number): void {
    const tier = this.tier;
    if (tier === 4 || isDone(this.status)) return;
    const key = `ola.t${tier}#${this.stays[tier]++}`;
    this.ola = new ClockInstance(
      'ola',
      key,
      'ola',
      this.policy.olaCalendars?.[tier] ?? this.policy.calendar,
      at,
      this.policy.ola[tier],
      this.olaMode(),
      tier,
    );
    this.instances.push(this.ola);
  }

  private handOff(vendorId: string, at: number): void {
    const vendor = this.vendor;
    if (!vendor || vendorId !== vendor.vendorId || isDone(this.status)) return;
    if (this.ucResponse?.alive || this.ucResolution?.alive) return;
    const handoff = this.handoffs++;
    this.handoffAt = at;
    this.ucResponse = new ClockInstance(
      'uc_response',
      `uc_response#${handoff}`,
      'vendor',
      vendor.calendar,
      at,
      vendor.response,
      'running',
    );
    this.ucResolution = new ClockInstance(
      'uc_resolution',
      `uc_resolution#${handoff}`,
      'vendor',
      vendor.calendar,
      at,
      vendor.resolution,
      'running',
    );
    this.instances.push(this.ucResponse, this.ucResolution);
  }
}

// ---- the view -------------------------------------------------------------------------------

const KIND_ORDER: readonly ClockEventKind[] = CLOCK_EVENT_KINDS;

/** Time, then kind (a warning before the breach at the same instant), then key: a total order. */
const byTime = (a: ClockEvent, b: ClockEvent): number =>
  Date.parse(a.at) - Date.parse(b.at) ||
  KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
  (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

const statusOf = (instance: ClockInstance, breachAt: number | undefined, now: number): ClockStatus => {
  if (breachAt !== undefined && breachAt <= now) return 'breached';
  if (instance.ended) return instance.ended.met ? 'met' : 'stopped';
  // A resolved ticket has met its resolution clock; the response clocks just stopped waiting.
  if (instance.stoppedAt !== undefined) return instance.clock === 'resolution' ? 'met' : 'stopped';
  return instance.running ? 'running' : 'paused';
};

/** Wall-time timers of the ticket's current state: reminders, auto-close, the reopen window. */
const timers = (replay: Replay, policy: ServicePolicy, vendor: VendorContract | undefined, now: number) => {
  const events: ClockEvent[] = [];
  const timer = (kind: ClockEventKind, key: string, at: number) => events.push({ key, kind, at: iso(at) });
  const { pendingSince, resolvedSince, handoffAt } = replay;
  if (replay.status === 'pending' && pendingSince !== undefined) {
    timer('pending_reminder', `pending_reminder@${iso(pendingSince)}`, pendingSince + policy.pendingReminder);
    timer(
      'pending_auto_close',
      `pending_auto_close@${iso(pendingSince)}`,
      pendingSince + policy.pendingAutoClose,
    );
  }
  if (replay.status === 'resolved' && resolvedSince !== undefined) {
    timer(
      'reopen_window_end',
      `reopen_window_end@${iso(resolvedSince)}`,
      resolvedSince + policy.reopenWindow,
    );
  }
  const { ucResponse } = replay;
  if (ucResponse?.alive && vendor && handoffAt !== undefined && vendor.reminderEvery > 0) {
    // Only the latest due reminder and the next one: a vendor is not sent a backlog of reminders.
    const due = Math.max(0, Math.floor((now - handoffAt) / vendor.reminderEvery));
    const handoff = replay.handoffs - 1;
    // What the vendor is reminded of: the response the contract asks for, due at its deadline.
    const deadline = crossing(ucResponse, 1);
    for (const n of due > 0 ? [due, due + 1] : [1]) {
      events.push({
        key: `vendor_reminder#${handoff}.${n}`,
        kind: 'vendor_reminder',
        at: iso(handoffAt + n * vendor.reminderEvery),
        ...(deadline !== undefined && { deadline: iso(deadline) }),
      });
    }
  }
  return events;
};

const parseInstant = (at: string): number => {
  const instant = Date.parse(at);
  if (Number.isNaN(instant)) throw new RangeError(`Clock fact time '${at}' is not an ISO instant.`);
  return instant;
};

/** Facts in time order (ties keep their recorded order), none before `from`. */
const inOrder = (recorded: readonly ClockFact[], from = -Infinity) =>
  recorded
    .map((fact, index) => ({ fact, at: Math.max(from, parseInstant(fact.at)), index }))
    .sort((a, b) => a.at - b.at || a.index - b.index);

/**
 * The facts replayed in time order (ties keep their recorded order); none before `created`. After
 * a checkpoint, its state and then the facts after it (one recorded earlier than the checkpoint's
 * last fact counts at that instant: the store never records one so).
 */
const replayOf = ({
  facts: recorded,
  checkpoint,
  policy,
  vendor,
}: Omit<ClockInput, 'applied' | 'now'>): Replay | undefined => {
  if (checkpoint) {
    if (checkpoint.basis !== clockBasis(policy, vendor)) throw new ClockHistoryNeeded();
    const replay = Replay.restore(policy, vendor, checkpoint);
    for (const { fact, at } of inOrder(recorded, checkpoint.through)) replay.apply(fact, at);
    return replay;
  }
  const facts = inOrder(recorded);
  const createdAt = facts.findIndex(({ fact }) => fact.type === 'created');
  const created = facts[createdAt];
  if (created?.fact.type !== 'created') return undefined;
  const replay = Replay.from(policy, vendor, created.fact, created.at);
  for (const { fact, at } of facts.slice(createdAt + 1)) replay.apply(fact, at);
  return replay;
};

const calendarOf = (
  state: Pick<ClockInstanceState, 'calendar' | 'tier' | 'key'>,
  policy: ServicePolicy,
  vendor: VendorContract | undefined,
): Calendar => {
  switch (state.calendar) {
    case 'policy':
      return policy.calendar;
    case 'ola':
      return (
        (state.tier !== 4 && state.tier !== undefined && policy.olaCalendars?.[state.tier]) || policy.calendar
      );
    case 'vendor':
      if (!vendor) throw new RangeError(`Clock ${state.key} runs on a vendor contract the ticket lacks.`);
      return vendor.calendar;
  }
};

/** JSON with object keys sorted: the same value, however a store ordered its maps. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/** A 53-bit string hash (cyrb53): a fingerprint, not a secret. */
const hash53 = (text: string): string => {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
};

/** What a checkpoint's clocks depend on besides the facts: the policy and the vendor contract. */
export const clockBasis = (policy: ServicePolicy, vendor: VendorContract | undefined): string =>
  hash53(canonical({ policy, vendor: vendor ?? null }));

/** A ticket's clocks as of `now`: see the module comment for the rules. */
export const evaluateClocks = (input: ClockInput): ClockView => {
  const { policy, vendor } = input;
  const now = input.now.getTime();
  const replay = replayOf(input);
  if (!replay) return { clocks: [], events: [], due: [] };

  const applied = new Set(input.applied);
  const clocks: ClockState[] = [];
  const events: ClockEvent[] = [];
  let dueAt: number | undefined;
  for (const instance of replay.instances) {
    // A stay that ended the instant it began (a resolution at Tier 4 passes Tier 3) is no stay.
    if (instance.ended?.at === instance.startedAt) continue;
    const warningAt = crossing(instance, policy.warnAt);
    // An OLA breach escalates at the breach instant, which ends the stay at its deadline; a stop
    // there is met by the rule above, but this one came because of the recorded breach.
    const breachAt =
      crossing(instance, 1) ??
      (applied.has(`${instance.key}.breach`) ? crossing(instance, 1, true) : undefined);
    const about = { clock: instance.clock, ...(instance.tier !== undefined && { tier: instance.tier }) };
    if (warningAt !== undefined)
      events.push({
        key: `${instance.key}.warning`,
        kind: 'warning',
        ...about,
        at: iso(warningAt),
        ...(breachAt !== undefined && { deadline: iso(breachAt) }),
      });
    if (breachAt !== undefined)
      events.push({ key: `${instance.key}.breach`, kind: 'breach', ...about, at: iso(breachAt) });
    const isContract = instance.clock === 'uc_response' || instance.clock === 'uc_resolution';
    if (!isContract && instance.running && breachAt !== undefined)
      dueAt = Math.min(dueAt ?? breachAt, breachAt);
    const stoppedAt = instance.ended?.at ?? instance.stoppedAt;
    clocks.push({
      clock: instance.clock,
      key: instance.key,
      ...(instance.tier !== undefined && { tier: instance.tier }),
      status: statusOf(instance, breachAt, now),
      target: instance.target,
      elapsed: elapsedBy(instance, now),
      ...(breachAt !== undefined && { deadline: iso(breachAt) }),
      startedAt: iso(instance.startedAt),
      ...(stoppedAt !== undefined && { stoppedAt: iso(stoppedAt) }),
    });
  }
  events.push(...timers(replay, policy, vendor, now));

  const pending = events.filter((event) => !applied.has(event.key)).sort(byTime);
  const due = pending.filter((event) => Date.parse(event.at) <= now);
  const next = pending.find((event) => Date.parse(event.at) > now);
  return {
    clocks,
    events: pending,
    due,
    ...(next && { next }),
    ...(dueAt !== undefined && { dueAt: iso(dueAt) }),
  };
};

/** The clocks the requester is promised: first response, next response, resolution. */
const REQUESTER_CLOCKS: ReadonlySet<ClockName> = new Set(['first_response', 'next_response', 'resolution']);

/**
 * Of the requester-facing clocks still counting (running or paused, not stopped by a resolution),
 * the one with the least business time left as of `now`, as `evaluateClocks` would state it. Only
 * those clocks are measured, and only the chosen one's deadline is computed: a list computes this
 * for every ticket of its page.
 */
export const nextRequesterClock = (
  input: Omit<ClockInput, 'applied'>,
): Pick<ClockState, 'clock' | 'target' | 'elapsed' | 'deadline'> | undefined => {
  const replay = replayOf(input);
  const now = input.now.getTime();
  const [next] = (replay?.instances ?? [])
    .filter(
      (instance) =>
        REQUESTER_CLOCKS.has(instance.clock) && instance.alive && instance.stoppedAt === undefined,
    )
    .map((instance) => ({ instance, elapsed: elapsedBy(instance, now) }))
    .sort((a, b) => a.instance.target - a.elapsed - (b.instance.target - b.elapsed));
  if (!next) return undefined;
  const deadline = crossing(next.instance, 1);
  return {
    clock: next.instance.clock,
    target: next.instance.target,
    elapsed: next.elapsed,
    ...(deadline !== undefined && { deadline: iso(deadline) }),
  };
};

// ---- checkpoints: clocks that cost the same whatever the history ------------------------------

/**
 * A checkpoint's clocks were computed with another policy or vendor contract than the ticket's
 * (an admin's change followed live, a hand-off): they are computed again from the whole history.
 */
export class ClockHistoryNeeded extends Error {
  constructor() {
    super('The clock checkpoint was computed with another policy or vendor contract.');
    this.name = 'ClockHistoryNeeded';
  }
}

/** What the history says besides the clocks, kept in a checkpoint so no reader needs old facts. */
type History = Pick<ClockCheckpoint, 'answered' | 'createdTier' | 'highestTier' | 'vendorResponded'>;

const historyOf = (checkpoint: History | undefined, facts: readonly ClockFact[]): History | undefined => {
  let history = checkpoint ? { ...checkpoint } : undefined;
  for (const fact of facts) {
    if (!history) {
      if (fact.type !== 'created') continue;
      history = { answered: false, createdTier: fact.tier, highestTier: 0, vendorResponded: false };
    }
    if (fact.type === 'agent_reply') history.answered = true;
    if (fact.type === 'tier') history.highestTier = Math.max(history.highestTier, fact.tier);
    if (fact.type === 'vendor_response') history.vendorResponded = true;
    if (fact.type === 'vendor_handoff') history.vendorResponded = false;
  }
  if (!history) return undefined;
  // Facts recorded before `created` count too (as the whole list did).
  const early = facts.slice(
    0,
    Math.max(
      0,
      facts.findIndex((fact) => fact.type === 'created'),
    ),
  );
  if (!checkpoint && early.length > 0) {
    history.answered ||= early.some((fact) => fact.type === 'agent_reply');
    for (const fact of early)
      if (fact.type === 'tier') history.highestTier = Math.max(history.highestTier, fact.tier);
  }
  return {
    answered: history.answered,
    createdTier: history.createdTier,
    highestTier: history.highestTier,
    vendorResponded: history.vendorResponded,
  };
};

/**
 * How long before its latest fact a checkpoint keeps the periods of its clocks as they are: the
 * clocks computed from it are those of every fact as of any instant after that (a function whose
 * clock runs a little behind the one that recorded the facts included).
 */
const FOLD_MARGIN_MS = 60 * 60_000;

/** Whether an ended clock owes no event: none to fire, or every one applied already. */
const settled = (instance: ClockInstance, warnAt: number, applied: ReadonlySet<string>): boolean => {
  if (!instance.ended) return false;
  if (instance.ended.at === instance.startedAt) return true;
  const owes = (kind: string, at: number | undefined) =>
    at !== undefined && !applied.has(`${instance.key}.${kind}`);
  const breachAt =
    crossing(instance, 1) ??
    (applied.has(`${instance.key}.breach`) ? crossing(instance, 1, true) : undefined);
  return !owes('warning', crossing(instance, warnAt)) && !owes('breach', breachAt);
};

/**
 * Folds facts into a checkpoint: the clocks after `checkpoint` (if any) and `facts`, without the
 * clocks that ended and owe no event (they are final; the fact items keep them). Evaluating the
 * checkpoint with the facts recorded after it gives what evaluating every fact gives, minus those
 * finished clocks in `clocks`. Undefined while there is no `created` fact. The applied keys stay
 * as they are: a replay of the whole history needs them all.
 */
const foldClocks = (input: Omit<ClockInput, 'now'>): ClockCheckpoint | undefined => {
  const replay = replayOf(input);
  const history = historyOf(input.checkpoint, input.facts);
  if (!replay || !history) return undefined;
  const applied = new Set(input.applied);
  const followed = replay.followed();
  const kept = replay.instances.filter(
    (instance) => followed.has(instance) || !settled(instance, input.policy.warnAt, applied),
  );
  let through = input.checkpoint?.through ?? -Infinity;
  for (const fact of input.facts) through = Math.max(through, parseInstant(fact.at));
  // Periods long closed add up to a sum: the clocks cost the same however often they paused.
  const variants: [number, boolean][] = [
    [input.policy.warnAt, false],
    [1, false],
    [1, true],
  ];
  for (const instance of kept) instance.fold(through - FOLD_MARGIN_MS, variants);
  return {
    basis: clockBasis(input.policy, input.vendor),
    through,
    ...replay.state(kept),
    ...history,
  };
};

/** The engine's input from a ticket's clocks (its checkpoint, the facts after it, what was applied). */
export const clockInputOf = (
  clocks: TicketClocks,
): Pick<ClockInput, 'facts' | 'applied' | 'vendor'> & { checkpoint?: ClockCheckpoint } => ({
  facts: clocks.facts,
  applied: clocks.applied,
  ...(clocks.checkpoint && { checkpoint: clocks.checkpoint }),
  ...(clocks.vendor && { vendor: clocks.vendor }),
});

/** Whether a public agent reply was ever recorded on the ticket. */
export const everAnswered = (clocks: Pick<TicketClocks, 'facts' | 'checkpoint'>): boolean =>
  clocks.checkpoint?.answered === true || clocks.facts.some((fact) => fact.type === 'agent_reply');

/** Whether the ticket was ever escalated: a `tier` fact above the tier it was created (or routed) at. */
export const everEscalated = (clocks: Pick<TicketClocks, 'facts' | 'checkpoint'>): boolean => {
  const created = clocks.facts.find((fact) => fact.type === 'created');
  const start = clocks.checkpoint?.createdTier ?? (created?.type === 'created' ? created.tier : 1);
  let highest = clocks.checkpoint?.highestTier ?? 0;
  for (const fact of clocks.facts) if (fact.type === 'tier') highest = Math.max(highest, fact.tier);
  return highest > Math.max(start, 1);
};

/** Whether the vendor has answered since the latest hand-off. */
export const vendorAnsweredSinceHandOff = (clocks: Pick<TicketClocks, 'facts' | 'checkpoint'>): boolean => {
  for (const fact of [...clocks.facts].reverse()) {
    if (fact.type === 'vendor_response') return true;
    if (fact.type === 'vendor_handoff') return false;
  }
  return clocks.checkpoint?.vendorResponded ?? false;
};

/**
 * What a store keeps of a change's clocks: the facts the change recorded (`recorded`, each at no
 * earlier instant than the facts before it: the store orders them as the versions are ordered), and
 * the ticket's clocks with everything before them folded into the checkpoint. `before` is the
 * clocks the change was computed from, `after` what it proposes (its facts: those of `before`, then
 * the new ones). Throws ClockHistoryNeeded when the checkpoint no longer fits the policy or vendor:
 * the change is to be made again on the whole history (`before` without checkpoint, every fact).
 */
export const recordClocks = (
  before: TicketClocks,
  after: TicketClocks,
): { clocks: TicketClocks; recorded: ClockFact[]; archived: string[] } => {
  const known = before.facts.length;
  if (after.facts.length < known) throw new Error('A change may add clock facts, never remove them.');
  let last = before.checkpoint?.through ?? -Infinity;
  for (const fact of before.facts) last = Math.max(last, parseInstant(fact.at));
  const recorded = after.facts.slice(known).map((fact) => {
    const at = parseInstant(fact.at);
    if (at < last) return { ...fact, at: iso(last) };
    last = at;
    return fact;
  });
  const prior = after.facts.slice(0, known);
  const { checkpoint: _stale, ...rest } = after;
  const { policy } = after;
  const unfolded = { clocks: { ...rest, facts: [...prior, ...recorded] }, recorded, archived: [] };
  if (!policy) return unfolded;
  if (after.checkpoint && after.checkpoint.basis !== clockBasis(policy, after.vendor)) {
    throw new ClockHistoryNeeded();
  }
  const checkpoint = foldClocks({
    facts: prior,
    ...(after.checkpoint && { checkpoint: after.checkpoint }),
    applied: after.applied,
    policy,
    ...(after.vendor && { vendor: after.vendor }),
  });
  if (!checkpoint) return unfolded;
  const archived = after.applied.filter((key) => !stillApplies(checkpoint, key));
  const applied = after.applied.filter((key) => stillApplies(checkpoint, key));
  return { clocks: { ...rest, checkpoint, applied, facts: recorded }, recorded, archived };
};

/**
 * Whether an applied event key can still matter to the clocks after a checkpoint. A clock's warning
 * or breach no longer does once the checkpoint dropped that clock (it began, and it is not kept: it
 * finished for good); a timer no longer does once the pause, resolution or hand-off it belonged to
 * is over (a new one has keys of its own, and no later fact can go back before the checkpoint).
 * The store keeps those keys with the history (`archived`); the ticket sheds them.
 */
const stillApplies = (checkpoint: ClockCheckpoint, key: string): boolean => {
  const timer = /^(pending_reminder|pending_auto_close|reopen_window_end)@(.+)$/.exec(key);
  if (timer) {
    const instant = Date.parse(timer[2] as string);
    const current =
      timer[1] === 'reopen_window_end'
        ? checkpoint.status === 'resolved' && instant === checkpoint.resolvedSince
        : checkpoint.status === 'pending' && instant === checkpoint.pendingSince;
    return current || !(instant < checkpoint.through);
  }
  const reminder = /^vendor_reminder#(\d+)\.\d+$/.exec(key);
  if (reminder) {
    const handoff = Number(reminder[1]);
    const response = checkpoint.roles.ucResponse;
    const waiting = response !== undefined && checkpoint.instances[response]?.ended === undefined;
    return handoff >= checkpoint.handoffs - (waiting ? 1 : 0);
  }
  const clock = /^(.+)\.(warning|breach)$/.exec(key);
  if (!clock) return true;
  const instance = clock[1] as string;
  return checkpoint.instances.some(({ key }) => key === instance) || !begun(checkpoint, instance);
};

/** Whether the clock of this key had begun by the checkpoint (its counter went past it). */
const begun = (checkpoint: ClockCheckpoint, key: string): boolean => {
  const next = /^next_response#(\d+)$/.exec(key);
  if (next) return Number(next[1]) < checkpoint.nextResponses;
  const ola = /^ola\.t([1-4])#(\d+)$/.exec(key);
  if (ola) return Number(ola[2]) < (checkpoint.stays[Number(ola[1]) - 1] ?? 0);
  const contract = /^uc_(?:response|resolution)#(\d+)$/.exec(key);
  if (contract) return Number(contract[1]) < checkpoint.handoffs;
  return false;
};
