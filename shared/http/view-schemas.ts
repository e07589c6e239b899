import { CHANNELS, CLOSE_REASONS, LEVELS, PRIORITIES, STATUSES } from '#shared/domain/ticket-fields';
import { EVENT_TYPES } from '#shared/domain/timeline';
import * as z from '#shared/runtime/zod';

/**
 * What the API answers with about a ticket: its views and its timeline's events.
 */

const LevelSchema = /* @__PURE__ */ z.built(() => z.enum(LEVELS));
const PositiveIntSchema = /* @__PURE__ */ z.built(() => z.int().check(z.positive()));

/**
 * What the requester and the watchers of a ticket see of it: what they wrote, and what their
 * (public) timeline tells them. Triage after filing (impact, urgency, priority, category, tags),
 * routing (tier, group), the desk's people and deadlines (assignee, dueAt), the vendor and the
 * desk's knowledge-base articles (a "document the fix" draft) are the desk's: their changes are
 * internal on the timeline, so they are not on the ticket either.
 */
const REQUESTER_TICKET_FIELDS = /* @__PURE__ */ z.built(() => ({
  number: PositiveIntSchema,
  subject: z.string(),
  description: z.string(),
  requester: z.string(),
  channel: z.enum(CHANNELS),
  status: z.enum(STATUSES),
  watchers: z.array(z.string()),
  pendingReason: z.optional(z.string()),
  resolution: z.optional(z.string()),
  resolvedAt: z.optional(z.iso.datetime()),
  closedAt: z.optional(z.iso.datetime()),
  closeReason: z.optional(z.enum(CLOSE_REASONS)),
  mergedInto: z.optional(PositiveIntSchema),
  csat: z.described(
    z.optional(
      z.object({
        score: z.int().check(z.gte(1), z.lte(5)),
        comment: z.optional(z.string()),
        firstAt: z.described(z.iso.datetime(), 'The first answer: a new one replaces it for 7 days'),
        at: z.iso.datetime(),
      }),
    ),
    "The requester's satisfaction answer, once given (the survey of a closed ticket)",
  ),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: PositiveIntSchema,
}));

export const RequesterTicketSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      view: z.described(z.literal('requester'), "The requester's view: its requester and watchers get it"),
      ...REQUESTER_TICKET_FIELDS,
    })
    .check(
      z.meta({ id: 'RequesterTicket', description: 'A ticket as its requester and its watchers see it' }),
    ),
);

/** The shape of `slaSummary` (`#shared/domain/sla-summary`): what an SLA badge counts down. */
const SlaSummarySchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      clock: z.described(
        z.enum(['response', 'resolution']),
        'response: the first or next response; resolution: resolving the ticket',
      ),
      dueAt: z.described(
        z.iso.datetime(),
        'When the target is (or was) breached if nothing changes; while paused, when it would be ' +
          'if the clock ran again from asOf',
      ),
      remainingMs: z.described(z.number(), 'Business time left at asOf, in ms; negative once breached'),
      warningMs: z.described(
        z.number(),
        "Warn once no more business time than this is left (the policy's warning fraction)",
      ),
      running: z.described(
        z.boolean(),
        "The clock counts now: not paused (pending; on hold where the policy says so) and inside the calendar's working hours",
      ),
      asOf: z.described(z.iso.datetime(), "The desk's time the figures were computed at"),
    })
    .check(
      z.meta({
        id: 'SlaSummary',
        description:
          "The ticket's next SLA target towards its requester (the clock with the least business time " +
          'left); absent before the SLA policy is pinned and once the ticket is resolved or closed',
      }),
    ),
);

export const TicketSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      view: z.described(z.literal('desk'), "The desk's view: the staff of the ticket get it"),
      ...REQUESTER_TICKET_FIELDS,
      category: z.optional(z.string()),
      impact: LevelSchema,
      urgency: LevelSchema,
      priority: z.enum(PRIORITIES),
      tier: z.int().check(z.gte(1), z.lte(4)),
      group: z.string(),
      assignee: z.optional(z.string()),
      tags: z.array(z.string()),
      dueAt: z.optional(z.iso.datetime()),
      vendorId: z.optional(z.string()),
      linkedArticles: z.described(
        z.optional(z.array(z.string())),
        'Knowledge-base articles linked to the ticket: the one that solved it, or its documented fix',
      ),
      sla: z.optional(SlaSummarySchema),
    })
    .check(
      z.meta({ id: 'Ticket', description: 'A ticket as the desk (its agents, supervisors, admins) sees it' }),
    ),
);

const TICKET_VIEW_DESCRIPTION =
  "The ticket as the caller may see it, told apart by `view`: the desk's view (`Ticket`) for the " +
  "ticket's staff, the requester's view (`RequesterTicket`) for its requester and watchers.";

/** A ticket in a response: which view is the caller's (`ticketViewFor` in `views.ts`). */
export const TicketViewSchema = /* @__PURE__ */ z.built(() =>
  z
    .discriminatedUnion('view', [TicketSchema, RequesterTicketSchema])
    .check(z.meta({ id: 'TicketView', description: TICKET_VIEW_DESCRIPTION })),
);

export const TimelineEventSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      id: z.string(),
      type: z.enum(EVENT_TYPES),
      at: z.iso.datetime(),
      actor: z.string(),
      public: z.boolean(),
      body: z.optional(z.string()),
      changes: z.optional(
        z.array(z.object({ field: z.string(), from: z.optional(z.unknown()), to: z.optional(z.unknown()) })),
      ),
      data: z.described(
        z.optional(z.record(z.string(), z.unknown())),
        'Details of a lifecycle, clock or workflow event; depends on `type`',
      ),
    })
    .check(z.meta({ id: 'TimelineEvent' })),
);
