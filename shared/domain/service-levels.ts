import type { Priority, Status, Tier } from './ticket-fields.ts';

/**
 * Service levels as configuration and as ticket history. Everything here is data: the pure
 * clock engine (`clocks.ts`) turns a ticket's clock facts plus its pinned policy into clock
 * states, deadlines and the next clock event; the workflow sleeps until that event.
 *
 * Durations are milliseconds. SLA/OLA/UC targets are *business* time in the policy's calendar;
 * reopen window, pending reminder/auto-close and vendor reminders are calendar (wall) time.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `['09:00', '17:30']`, local time of the calendar's zone; `'24:00'` ends a day. */
export type WorkingSpan = readonly [start: string, end: string];

export interface Calendar {
  id: string;
  name: string;
  /** IANA zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** Working spans per weekday; a missing day is not worked. */
  weekly: Partial<Record<Weekday, readonly WorkingSpan[]>>;
  /** Local dates (`YYYY-MM-DD`) that are not worked at all. */
  holidays: readonly string[];
}

export interface SlaTargets {
  firstResponse: number;
  nextResponse: number;
  resolution: number;
}

/** An SLA policy version; a ticket pins a copy of the one it started with. */
export interface ServicePolicy {
  id: string;
  version: number;
  calendar: Calendar;
  sla: Record<Priority, SlaTargets>;
  /** Operational level: the business time a ticket may stay at a tier (Tier 4 is the UC's). */
  ola: Record<1 | 2 | 3, number>;
  /** The calendar a tier's OLA counts on, where it is not the policy's own. */
  olaCalendars?: Partial<Record<1 | 2 | 3, Calendar>>;
  /** Fraction of a target at which a warning is raised (default 0.75). */
  warnAt: number;
  /** Whether `on_hold` (waiting on a vendor) pauses the requester-facing SLA clocks. */
  onHoldPausesSla: boolean;
  /** Wall time after `resolved` during which a requester reply reopens; then the ticket closes. */
  reopenWindow: number;
  /** Wall time in `pending` before the requester is reminded, and before the ticket auto-closes. */
  pendingReminder: number;
  pendingAutoClose: number;
}

/** Underpinning contract with an outside vendor (Tier 4). */
export interface VendorContract {
  vendorId: string;
  name: string;
  /** Where hand-offs are sent. */
  email: string;
  /** Further addresses whose mail counts as the vendor's. */
  aliases?: readonly string[];
  calendar: Calendar;
  response: number;
  resolution: number;
  /** Wall time between reminders to a vendor that has not answered. */
  reminderEvery: number;
}

/**
 * What the clocks are computed from: appended to the ticket, in the same write as the change
 * they record, never edited. Pauses and stops derive from the `status` facts.
 */
export type ClockFact =
  | { at: string; type: 'created'; priority: Priority; tier: Tier; status: Status }
  | { at: string; type: 'priority'; priority: Priority }
  | { at: string; type: 'status'; status: Status }
  | { at: string; type: 'tier'; tier: Tier }
  /** A public reply by an agent (internal notes never count). */
  | { at: string; type: 'agent_reply' }
  /** A public message from the requester (or a watcher) that now waits for an answer. */
  | { at: string; type: 'requester_message' }
  | { at: string; type: 'vendor_handoff'; vendorId: string }
  | { at: string; type: 'vendor_response' }
  | { at: string; type: 'vendor_resolved' };

export const CLOCK_NAMES = [
  'first_response',
  'next_response',
  'resolution',
  'ola',
  'uc_response',
  'uc_resolution',
] as const;
export type ClockName = (typeof CLOCK_NAMES)[number];

/** In the order events of one instant are applied (a warning before its breach). */
export const CLOCK_EVENT_KINDS = [
  'warning',
  'breach',
  'pending_reminder',
  'pending_auto_close',
  'reopen_window_end',
  'vendor_reminder',
] as const;
export type ClockEventKind = (typeof CLOCK_EVENT_KINDS)[number];

/** A point in time at which the workflow must act. `key` is unique per ticket and stable. */
export interface ClockEvent {
  key: string;
  kind: ClockEventKind;
  clock?: ClockName;
  /** The tier an OLA event concerns. */
  tier?: Tier;
  at: string;
  /**
   * The deadline of the clock the event is about (its breach instant, if nothing changes), where
   * that is not the event's own instant: a warning fires before it, a vendor reminder is about
   * the contract's response clock. A notice states this, never the instant it fired.
   */
  deadline?: string;
}

export type ClockStatus = 'running' | 'paused' | 'met' | 'breached' | 'stopped';

export interface ClockState {
  clock: ClockName;
  /** Instance key: `ola.t2#1` = the second stay at Tier 2, `next_response#3`, … */
  key: string;
  tier?: Tier;
  status: ClockStatus;
  target: number;
  /** Business time spent against the target so far (pauses excluded). */
  elapsed: number;
  /** When it breaches (or breached) if nothing changes; absent while paused. */
  deadline?: string;
  startedAt: string;
  stoppedAt?: string;
}

/**
 * One clock instance as a checkpoint keeps it: its calendar by reference (the policy's, the OLA
 * calendar of its tier, the vendor's), instants as epoch milliseconds, an open period's end as null.
 */
export interface ClockInstanceState {
  clock: ClockName;
  key: string;
  calendar: 'policy' | 'ola' | 'vendor';
  tier?: Tier;
  startedAt: number;
  target: number;
  periods: [from: number, to: number | null, running: boolean, stopped: boolean][];
  retargets: [at: number, target: number][];
  ended?: [at: number, met: boolean];
  stoppedAt?: number;
  /**
   * The periods folded away (closed long before the checkpoint): the business time they add up
   * to, as elapsed and as the crossings count it, and the crossings they hold, by variant.
   */
  folded?: { elapsed: number; run: number; crossed?: Record<string, number>; variants: string[] };
}

/**
 * The clock engine's state after a prefix of a ticket's facts (`foldClocks` in `clocks.ts`), so the
 * clocks are computed from it and the facts recorded after it: a ticket's clocks cost the same to
 * store and to compute whatever its history. It keeps the clocks still counting or still owing an
 * event, not the ones that finished for good (the fact items keep the whole history). Valid for the
 * policy and vendor contract it was computed with (`basis`, a fingerprint of both).
 */
export interface ClockCheckpoint {
  basis: string;
  /** The latest fact instant folded in (epoch ms): later facts are replayed after it. */
  through: number;
  status: Status;
  priority: Priority;
  tier: Tier;
  pendingSince?: number;
  resolvedSince?: number;
  nextResponses: number;
  /** Stays begun per tier (1–4). */
  stays: [number, number, number, number];
  handoffs: number;
  handoffAt?: number;
  instances: ClockInstanceState[];
  /** The instances (indexes into `instances`) the replay follows by role. */
  roles: {
    firstResponse: number;
    resolution: number;
    nextResponse?: number;
    ola?: number;
    ucResponse?: number;
    ucResolution?: number;
  };
  /** What the history says besides the clocks: a public agent reply ever, the tiers, a vendor's answer. */
  answered: boolean;
  createdTier: Tier;
  /** The highest tier a `tier` fact named (0: none). */
  highestTier: number;
  /** The vendor answered since the latest hand-off. */
  vendorResponded: boolean;
}

/** The clock part of a ticket. */
export interface TicketClocks {
  /** Pinned by triage (the workflow's first step); absent for the moments before it. */
  policy?: ServicePolicy;
  vendor?: VendorContract;
  /**
   * The facts after `checkpoint` (all of them while there is none). A stored ticket carries those
   * of the version that wrote it; every fact also has an item of its own (the ticket's history).
   */
  facts: ClockFact[];
  /** The clocks as of the facts before `facts` (see ClockCheckpoint); absent before triage. */
  checkpoint?: ClockCheckpoint;
  /**
   * Every fact of the ticket also has an item of its own (set by the store); a ticket stored
   * before fact items keeps its whole history here until its next change.
   */
  itemized?: boolean;
  /** Keys of clock events already applied (warnings, breaches, reminders): never applied twice. */
  applied: string[];
}
