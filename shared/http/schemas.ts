import * as z from 'zod';
import { CHANNELS, CLOSE_REASONS, LEVELS, PRIORITIES, STATUSES } from '#shared/domain/ticket-fields';
import { EVENT_TYPES } from '#shared/domain/timeline';

import { CursorSchema, LIMITS, LimitSchema, TicketNumberSchema } from '#shared/tickets/input';

export {
  CloseBodySchema,
  CommentBodySchema,
  CreateTicketBodySchema,
  CursorSchema,
  EscalateBodySchema,
  HandoffBodySchema,
  LIMITS,
  LimitSchema,
  ListTicketsQuerySchema,
  MergeBodySchema,
  PendingBodySchema,
  ReopenBodySchema,
  ResolveBodySchema,
  UpdateTicketBodySchema,
  VendorUpdateBodySchema,
} from '#shared/tickets/input';

/**
 * The API's zod schemas: the same objects validate requests in the handlers and generate the
 * OpenAPI document (`.meta({ id })` names a component). Limits live here, in one place.
 */

const LevelSchema = z.enum(LEVELS);

export const PageQuerySchema = z.strictObject({ limit: LimitSchema, cursor: CursorSchema });

export const TicketPathSchema = z.strictObject({ number: TicketNumberSchema });

/**
 * If-Match, as RFC 9110 has it, for one ETag: `"3"` names version 3 (a bare `3` is accepted too,
 * for hand-typed curl); `*` matches whatever version is current. If-Match compares strongly, and
 * a weak ETag never matches strongly (§13.1.1): `W/"3"` is read, and then fails (412).
 */
export type IfMatch = { kind: 'version'; version: number } | { kind: 'any' } | { kind: 'weak' };

const IF_MATCH_PATTERN = /^(?:\*|(W\/)?"(\d{1,10})"|(\d{1,10}))$/;

export const IfMatchSchema = z
  .string()
  .trim()
  .regex(IF_MATCH_PATTERN, 'must be the ETag of the version you are changing, e.g. "3" (or *)')
  .transform((value): IfMatch => {
    if (value === '*') return { kind: 'any' };
    const [, weak, quoted, bare] = IF_MATCH_PATTERN.exec(value) ?? [];
    return weak ? { kind: 'weak' } : { kind: 'version', version: Number(quoted ?? bare) };
  })
  .meta({
    description:
      'The ETag of the version the change is based on, e.g. "3" (a bare 3 is accepted too); ' +
      '* matches any current version. A weak ETag (W/"3") never matches: 412.',
  });

export const IdempotencyKeySchema = z
  .string()
  .regex(
    new RegExp(`^[A-Za-z0-9._:-]{1,${LIMITS.idempotencyKey}}$`),
    `must be 1-${LIMITS.idempotencyKey} characters of A-Z a-z 0-9 . _ : -`,
  )
  .meta({ description: 'Retry-safe creation: the same key and body return the same ticket' });

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

/** A page of a list: its items and, while the list goes on, the cursor of the next page. */
export const pageSchema = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z
        .string()
        .optional()
        .meta({
          description:
            'Present while the list goes on, absent on its last page. Each page reads a bounded ' +
            'amount, so a page may hold fewer than `limit` items, even none, and still go on.',
        }),
    })
    .meta({ id });

export const TicketPageSchema = pageSchema(TicketViewSchema, 'TicketPage');
export const TimelinePageSchema = pageSchema(TimelineEventSchema, 'TimelinePage');

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

/** What API Gateway itself answers, before any handler runs (a missing or invalid token). */
export const GatewayErrorSchema = z
  .object({ message: z.string().meta({ example: 'Unauthorized' }) })
  .meta({ id: 'GatewayError', description: "API Gateway's own error body" });

const ClockEventViewSchema = z.object({
  key: z.string(),
  kind: z.string(),
  clock: z.string().optional(),
  tier: z.number().int().optional(),
  at: z.iso.datetime(),
  deadline: z.iso.datetime().optional().meta({
    description:
      "The clock's deadline, where it is not the event's own instant (a warning, a vendor reminder)",
  }),
});

export const WorkflowViewSchema = z
  .object({
    execution: z
      .object({
        name: z.string(),
        arn: z.string(),
        status: z.string(),
        startedAt: z.iso.datetime(),
        stoppedAt: z.iso.datetime().optional(),
      })
      .nullable()
      .meta({ description: 'null until the stream processor has started it (moments after creation)' }),
    currentState: z.string().optional(),
    phase: z.string().optional().meta({ description: 'What the parked workflow waits in' }),
    nextClockEvent: ClockEventViewSchema.optional(),
    clocks: z.array(
      z.object({
        clock: z.string(),
        key: z.string(),
        tier: z.number().int().optional(),
        status: z.enum(['running', 'paused', 'met', 'breached', 'stopped']),
        target: z.number().meta({ description: 'Business milliseconds' }),
        elapsed: z.number(),
        deadline: z.iso.datetime().optional(),
        startedAt: z.iso.datetime(),
        stoppedAt: z.iso.datetime().optional(),
      }),
    ),
    steps: z.array(
      z.object({
        at: z.iso.datetime(),
        state: z.string(),
        step: z.string(),
        outcome: z.enum(['woken', 'clock event due', 'failed']).optional(),
      }),
    ),
    graph: z
      .object({
        startAt: z.string(),
        states: z.array(z.object({ name: z.string(), type: z.string() })),
        edges: z.array(
          z.object({
            from: z.string(),
            to: z.string(),
            label: z
              .string()
              .optional()
              .meta({ description: 'A Choice rule, `otherwise`, or the errors caught' }),
          }),
        ),
      })
      .meta({
        description:
          "The state machine every ticket's workflow runs, derived from the deployed definition: to draw it",
      }),
  })
  .meta({ id: 'WorkflowView' });
