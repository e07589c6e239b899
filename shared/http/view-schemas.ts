import * as z from 'zod';
import { CHANNELS, CLOSE_REASONS, LEVELS, PRIORITIES, STATUSES } from '#shared/domain/ticket-fields';
import { EVENT_TYPES } from '#shared/domain/timeline';

/**
 * What the API answers with about a ticket: its views and its timeline's events.
 */

const LevelSchema = z.enum(LEVELS);

/**
 * What the requester and the watchers of a ticket see of it: what they wrote, and what their
 * (public) timeline tells them. Triage after filing (impact, urgency, priority, category, tags),
 * routing (tier, group), the desk's people and deadlines (assignee, dueAt), the vendor and the
 * desk's knowledge-base articles (a "document the fix" draft) are the desk's: their changes are
 * internal on the timeline, so they are not on the ticket either.
 */
const REQUESTER_TICKET_FIELDS = {
  number: z.number().int().positive(),
  subject: z.string(),
  description: z.string(),
  requester: z.string(),
  channel: z.enum(CHANNELS),
  status: z.enum(STATUSES),
  watchers: z.array(z.string()),
  pendingReason: z.string().optional(),
  resolution: z.string().optional(),
  resolvedAt: z.iso.datetime().optional(),
  closedAt: z.iso.datetime().optional(),
  closeReason: z.enum(CLOSE_REASONS).optional(),
  mergedInto: z.number().int().positive().optional(),
  csat: z
    .object({
      score: z.number().int().min(1).max(5),
      comment: z.string().optional(),
      firstAt: z.iso.datetime().meta({ description: 'The first answer: a new one replaces it for 7 days' }),
      at: z.iso.datetime(),
    })
    .optional()
    .meta({ description: "The requester's satisfaction answer, once given (the survey of a closed ticket)" }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int().positive(),
};

export const RequesterTicketSchema = z
  .object({
    view: z
      .literal('requester')
      .meta({ description: "The requester's view: its requester and watchers get it" }),
    ...REQUESTER_TICKET_FIELDS,
  })
  .meta({ id: 'RequesterTicket', description: 'A ticket as its requester and its watchers see it' });

/** The shape of `slaSummary` (`#shared/domain/sla-summary`): what an SLA badge counts down. */
const SlaSummarySchema = z
  .object({
    clock: z
      .enum(['response', 'resolution'])
      .meta({ description: 'response: the first or next response; resolution: resolving the ticket' }),
    dueAt: z.iso.datetime().meta({
      description:
        'When the target is (or was) breached if nothing changes; while paused, when it would be ' +
        'if the clock ran again from asOf',
    }),
    remainingMs: z
      .number()
      .meta({ description: 'Business time left at asOf, in ms; negative once breached' }),
    warningMs: z.number().meta({
      description: "Warn once no more business time than this is left (the policy's warning fraction)",
    }),
    running: z.boolean().meta({
      description:
        "The clock counts now: not paused (pending; on hold where the policy says so) and inside the calendar's working hours",
    }),
    asOf: z.iso.datetime().meta({ description: "The desk's time the figures were computed at" }),
  })
  .meta({
    id: 'SlaSummary',
    description:
      "The ticket's next SLA target towards its requester (the clock with the least business time " +
      'left); absent before the SLA policy is pinned and once the ticket is resolved or closed',
  });

export const TicketSchema = z
  .object({
    view: z.literal('desk').meta({ description: "The desk's view: the staff of the ticket get it" }),
    ...REQUESTER_TICKET_FIELDS,
    category: z.string().optional(),
    impact: LevelSchema,
    urgency: LevelSchema,
    priority: z.enum(PRIORITIES),
    tier: z.number().int().min(1).max(4),
    group: z.string(),
    assignee: z.string().optional(),
    tags: z.array(z.string()),
    dueAt: z.iso.datetime().optional(),
    vendorId: z.string().optional(),
    linkedArticles: z.array(z.string()).optional().meta({
      description:
        'Knowledge-base articles linked to the ticket: the one that solved it, or its documented fix',
    }),
    sla: SlaSummarySchema.optional(),
  })
  .meta({ id: 'Ticket', description: 'A ticket as the desk (its agents, supervisors, admins) sees it' });

const TICKET_VIEW_DESCRIPTION =
  "The ticket as the caller may see it, told apart by `view`: the desk's view (`Ticket`) for the " +
  "ticket's staff, the requester's view (`RequesterTicket`) for its requester and watchers.";

/** A ticket in a response: which view is the caller's (`ticketViewFor` in `views.ts`). */
export const TicketViewSchema = z
  .discriminatedUnion('view', [TicketSchema, RequesterTicketSchema])
  .meta({ id: 'TicketView', description: TICKET_VIEW_DESCRIPTION });

export const TimelineEventSchema = z
  .object({
    id: z.string(),
    type: z.enum(EVENT_TYPES),
    at: z.iso.datetime(),
    actor: z.string(),
    public: z.boolean(),
    body: z.string().optional(),
    changes: z
      .array(z.object({ field: z.string(), from: z.unknown().optional(), to: z.unknown().optional() }))
      .optional(),
    data: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: 'Details of a lifecycle, clock or workflow event; depends on `type`' }),
  })
  .meta({ id: 'TimelineEvent' });
