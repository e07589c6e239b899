import * as z from 'zod';
import { textSchema } from '#shared/domain/text';
import { LEVELS, PRIORITIES, STATUSES, TIERS, UNRESOLVED_STATUSES } from '#shared/domain/ticket-fields';
import { isServedSearch } from './served-search.ts';

/**
 * What the ticket use cases accept: the inputs of every ticket action and their limits, in one
 * place. The HTTP edge (`#shared/http/schemas`) validates requests with these very schemas and
 * publishes them in the OpenAPI document; the mail intake applies the same limits.
 */

export const LIMITS = {
  subject: 200,
  description: 20_000,
  comment: 20_000,
  tags: 20,
  tag: 40,
  watchers: 20,
  category: 60,
  /** Why an action is taken: pending, reopen, escalate, close. */
  reason: 500,
  /** Escalation work orders and resolutions: written notes, not conversations. */
  summary: 10_000,
  resolution: 10_000,
  vendorId: 60,
  pageSize: 100,
  defaultPageSize: 25,
  cursor: 2_048,
  idempotencyKey: 100,
  /** Files one comment may list (see `attachments.ts`). */
  attachmentsPerComment: 5,
  /** Bytes of request body accepted before parsing (API Gateway allows 10 MB; we need far less). */
  body: 64 * 1024,
} as const;

const trimmed = textSchema;

export const EmailSchema = z
  .email()
  .max(254)
  .transform((email) => email.toLowerCase())
  .meta({ description: 'An email address; it is the identity of a person', example: 'alice@example.com' });

export const TicketNumberSchema = z
  .string()
  .regex(/^\d{1,10}$/, 'must be a ticket number, e.g. 1042')
  .transform(Number)
  .pipe(z.number().int().positive())
  .meta({ description: 'The ticket number (the 1042 of #1042)', example: '1042' });

const LevelSchema = z.enum(LEVELS);
/** Letters and digits of any script: `\p{…}` needs the `u` flag. */
const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;
const TagSchema = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.tag)
  .regex(TAG_PATTERN, 'tags are letters, digits, ".", "_" and "-"')
  // The generator writes a flagged regex as `source/u`; a JSON Schema pattern is the bare source
  // (ECMA-262, read with Unicode semantics).
  .meta({ pattern: TAG_PATTERN.source });
const CategorySchema = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.category)
  .regex(/^[a-z0-9][a-z0-9/_-]*$/, 'categories are lower-case slugs like "hardware/printer"');

export const CreateTicketBodySchema = z
  .strictObject({
    subject: trimmed(LIMITS.subject),
    description: trimmed(LIMITS.description),
    impact: LevelSchema.default('medium'),
    urgency: LevelSchema.default('medium'),
    category: CategorySchema.optional(),
    tags: z.array(TagSchema).max(LIMITS.tags).default([]),
    watchers: z.array(EmailSchema).max(LIMITS.watchers).default([]),
    requester: EmailSchema.optional().meta({ description: 'Agents only: file on behalf of this person' }),
    priority: z
      .enum(PRIORITIES)
      .optional()
      .meta({ description: 'Agents only: override the impact × urgency matrix' }),
  })
  .meta({ id: 'CreateTicket' });
export type CreateTicketBody = z.output<typeof CreateTicketBodySchema>;

export const UpdateTicketBodySchema = z
  .strictObject({
    subject: trimmed(LIMITS.subject).optional(),
    impact: LevelSchema.optional(),
    urgency: LevelSchema.optional(),
    priority: z.enum(PRIORITIES).optional(),
    category: CategorySchema.nullable().optional(),
    tags: z.array(TagSchema).max(LIMITS.tags).optional(),
    assignee: EmailSchema.nullable()
      .optional()
      .meta({ description: 'An agent of the ticket tier; null unassigns' }),
    watchers: z
      .array(EmailSchema)
      .max(LIMITS.watchers)
      .optional()
      .meta({
        description:
          "The ticket's watchers, replacing the list (the requester is never one of them): its agents " +
          "and its requester; a requester adds addresses of the organization's mail domains only",
      }),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'name at least one field to change' })
  .meta({ id: 'UpdateTicket' });
export type UpdateTicketBody = z.output<typeof UpdateTicketBodySchema>;

/** The id `POST /tickets/{number}/attachments` gave an upload (or the intake a mail's file). */
export const AttachmentIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be an attachment id')
  .meta({ description: 'An attachment id', example: 'b3J0aGUgZmlsZSBpZA' });

export const CommentBodySchema = z
  .strictObject({
    body: trimmed(LIMITS.comment),
    public: z.boolean().default(true).meta({ description: 'false = internal note (agents only)' }),
    attachments: z
      .array(AttachmentIdSchema)
      .max(LIMITS.attachmentsPerComment)
      .optional()
      .meta({
        description:
          'Uploaded files to list on the comment (ids from POST /tickets/{number}/attachments); each is ' +
          "checked as stored (size, type, uploader) before the comment is written. A note's files are internal.",
      }),
  })
  .meta({ id: 'NewComment' });
export type CommentBody = z.output<typeof CommentBodySchema>;

// ---- lifecycle actions: POST /tickets/{number}/<action> ---------------------------------------

const ReasonSchema = trimmed(LIMITS.reason);

export const EscalateBodySchema = z
  .strictObject({
    reason: ReasonSchema.meta({ description: 'Why the next tier is needed' }),
    summary: trimmed(LIMITS.summary).meta({
      description: 'The work order: what was found and tried so far (required)',
    }),
  })
  .meta({ id: 'Escalate' });
export type EscalateBody = z.output<typeof EscalateBodySchema>;

export const PendingBodySchema = z
  .strictObject({ reason: ReasonSchema.meta({ description: 'What the desk waits for from the requester' }) })
  .meta({ id: 'SetPending' });
export type PendingBody = z.output<typeof PendingBodySchema>;

export const ResolveBodySchema = z
  .strictObject({
    resolution: trimmed(LIMITS.resolution).meta({ description: 'What solved it (public)' }),
    documentFix: z
      .boolean()
      .default(false)
      .meta({
        description:
          'Tier 3 agents, supervisors and admins: also write the fix up as a draft, internal ' +
          'knowledge-base article linked to the ticket (its id is added to `linkedArticles`)',
      }),
  })
  .meta({ id: 'Resolve' });
export type ResolveBody = z.output<typeof ResolveBodySchema>;

export const ReopenBodySchema = z.strictObject({ reason: ReasonSchema }).meta({ id: 'Reopen' });
export type ReopenBody = z.output<typeof ReopenBodySchema>;

export const HandoffBodySchema = z
  .strictObject({
    vendorId: z
      .string()
      .trim()
      .min(1)
      .max(LIMITS.vendorId)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a vendor id, e.g. "acme-printers"'),
    message: trimmed(LIMITS.comment).meta({ description: 'What the vendor is asked to do (sent to them)' }),
  })
  .meta({ id: 'Handoff' });
export type HandoffBody = z.output<typeof HandoffBodySchema>;

export const VendorUpdateBodySchema = z
  .strictObject({
    message: trimmed(LIMITS.comment).meta({ description: "The vendor's answer (internal)" }),
    resolved: z.boolean().default(false).meta({ description: 'true = the vendor resolved the issue' }),
  })
  .meta({ id: 'VendorUpdate' });
export type VendorUpdateBody = z.output<typeof VendorUpdateBodySchema>;

export const MergeBodySchema = z
  .strictObject({
    into: z.number().int().positive().meta({ description: 'The ticket that stays', example: 1042 }),
  })
  .meta({ id: 'Merge' });
export type MergeBody = z.output<typeof MergeBodySchema>;

export const CloseBodySchema = z
  .strictObject({ reason: ReasonSchema.optional().meta({ description: 'A closing note (optional)' }) })
  .meta({ id: 'Close', description: 'May be omitted: an empty body closes without a note' });
export type CloseBody = z.output<typeof CloseBodySchema>;

export const LimitSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(LIMITS.pageSize)
  .default(LIMITS.defaultPageSize);
export const CursorSchema = z
  .string()
  .min(1)
  .max(LIMITS.cursor)
  .optional()
  .meta({ description: 'Opaque: nextCursor of the previous page' });

/** A date (`2026-11-20`, a UTC day) or an instant with its offset, as an ISO instant in UTC. */
const createdBoundSchema = (end: 'from' | 'to') =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })])
    .transform((value) =>
      DATE_ONLY.test(value)
        ? `${value}T${end === 'from' ? '00:00:00.000' : '23:59:59.999'}Z`
        : new Date(value).toISOString(),
    );
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The lists of `GET /tickets` (`view`), and which filters each one takes. */
const VIEW_FILTERS = {
  mine: [],
  queue: ['tier', 'status', 'priority', 'group', 'category'],
  assigned: ['status', 'priority', 'group', 'category'],
  all: ['number', 'requester', 'assignee', 'tag', 'status', 'tier', 'priority', 'from', 'to'],
} as const;
type View = keyof typeof VIEW_FILTERS;
const VIEWS = Object.keys(VIEW_FILTERS) as View[];
const FILTERS = [...new Set(Object.values(VIEW_FILTERS).flat())];

/** What `view=all` answers with one Query each (`isServedSearch`), for callers and the docs. */
const SERVED_SEARCHES =
  'number (exact); requester, with any other filter; assignee or tag (not both), with status, ' +
  'tier, priority, from and to; status, tier, priority, from and to alone, in any combination';

export const ListTicketsQuerySchema = z
  .strictObject({
    view: z
      .enum(VIEWS)
      .default('mine')
      .meta({
        description:
          'mine: tickets I requested or watch, newest first. queue: the unresolved tickets of a tier ' +
          '(`tier`), soonest deadline first. assigned: the unresolved tickets assigned to me, soonest ' +
          'deadline first. all (staff): tickets of any status in the tiers I work, newest first, found ' +
          `by ${SERVED_SEARCHES}; any other combination is a 400.`,
      }),
    tier: z.coerce
      .number()
      .pipe(z.union(TIERS.map((tier) => z.literal(tier))))
      .optional()
      .meta({ description: 'queue: the tier (required); all: tickets at this tier' }),
    status: z.enum(STATUSES).optional().meta({
      description: 'queue, assigned: an unresolved status; all: any status, resolved and closed too',
    }),
    priority: z.enum(PRIORITIES).optional(),
    group: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a group id, e.g. "tier1"')
      .optional()
      .meta({ description: 'queue, assigned: tickets of this tier group' }),
    category: CategorySchema.optional().meta({
      description: 'queue, assigned: tickets of this category or under it (`network` matches `network/vpn`)',
    }),
    number: TicketNumberSchema.optional().meta({ description: 'all: the ticket with this number' }),
    requester: EmailSchema.optional().meta({ description: 'all: tickets this person requested' }),
    assignee: EmailSchema.optional().meta({ description: 'all: tickets assigned to this person' }),
    tag: TagSchema.optional().meta({ description: 'all: tickets with this tag' }),
    from: createdBoundSchema('from')
      .optional()
      .meta({ description: 'all: created at or after (a date is a UTC day)', example: '2026-11-01' }),
    to: createdBoundSchema('to').optional().meta({
      description: 'all: created at or before (a date includes the whole UTC day)',
      example: '2026-11-30',
    }),
    limit: LimitSchema,
    cursor: CursorSchema,
  })
  .superRefine((query, ctx) => {
    if (query.view === 'queue' && query.tier === undefined) {
      ctx.addIssue({ code: 'custom', path: ['tier'], message: 'view=queue needs a tier (1-4)' });
    }
    for (const filter of FILTERS) {
      if (query[filter] === undefined || (VIEW_FILTERS[query.view] as readonly string[]).includes(filter))
        continue;
      const views = VIEWS.filter((view) => (VIEW_FILTERS[view] as readonly string[]).includes(filter));
      ctx.addIssue({
        code: 'custom',
        path: [filter],
        message: `applies to ${views.map((view) => `view=${view}`).join(', ')} only`,
      });
    }
    if (
      (query.view === 'queue' || query.view === 'assigned') &&
      query.status !== undefined &&
      !UNRESOLVED_STATUSES.includes(query.status)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['status'],
        message:
          'queues hold unresolved tickets only (new, open, pending, on_hold); view=all finds the others',
      });
    }
    if (query.view === 'all' && !isServedSearch(query)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tag'],
        message: `is not served together with assignee; view=all finds tickets by ${SERVED_SEARCHES}`,
      });
    }
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    }
  });
export type ListTicketsQuery = z.output<typeof ListTicketsQuerySchema>;
