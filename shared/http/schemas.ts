import * as z from 'zod';
import { ROLES } from '#shared/domain/principal';
import { CHANNELS, LEVELS, PRIORITIES, STATUSES, TIERS, UNRESOLVED_STATUSES } from '#shared/domain/ticket';

/**
 * The API's zod schemas: the same objects validate requests in the handlers and generate the
 * OpenAPI document (`.meta({ id })` names a component). Limits live here, in one place.
 */

export const LIMITS = {
  subject: 200,
  description: 20_000,
  comment: 20_000,
  tags: 20,
  tag: 40,
  watchers: 20,
  category: 60,
  pageSize: 100,
  defaultPageSize: 25,
  cursor: 2_048,
  idempotencyKey: 100,
  /** Bytes of request body accepted before parsing (API Gateway allows 10 MB; we need far less). */
  body: 64 * 1024,
} as const;

const trimmed = (max: number) => z.string().trim().min(1).max(max);

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
const TagSchema = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.tag)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u, 'tags are letters, digits, ".", "_" and "-"');
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
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'name at least one field to change' })
  .meta({ id: 'UpdateTicket' });
export type UpdateTicketBody = z.output<typeof UpdateTicketBodySchema>;

export const CommentBodySchema = z
  .strictObject({
    body: trimmed(LIMITS.comment),
    public: z.boolean().default(true).meta({ description: 'false = internal note (agents only)' }),
  })
  .meta({ id: 'NewComment' });
export type CommentBody = z.output<typeof CommentBodySchema>;

const LimitSchema = z.coerce.number().int().min(1).max(LIMITS.pageSize).default(LIMITS.defaultPageSize);
const CursorSchema = z
  .string()
  .min(1)
  .max(LIMITS.cursor)
  .optional()
  .meta({ description: 'Opaque: nextCursor of the previous page' });

export const ListTicketsQuerySchema = z
  .strictObject({
    view: z.enum(['mine', 'queue', 'assigned']).default('mine'),
    tier: z.coerce
      .number()
      .pipe(z.union(TIERS.map((tier) => z.literal(tier))))
      .optional(),
    status: z.enum(STATUSES).optional(),
    limit: LimitSchema,
    cursor: CursorSchema,
  })
  .superRefine((query, ctx) => {
    if (query.view === 'queue' && query.tier === undefined) {
      ctx.addIssue({ code: 'custom', path: ['tier'], message: 'view=queue needs a tier (1-4)' });
    }
    for (const filter of ['tier', 'status'] as const) {
      if (query.view !== 'queue' && query[filter] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [filter], message: `applies to view=queue only` });
      }
    }
    if (query.status !== undefined && !UNRESOLVED_STATUSES.includes(query.status)) {
      ctx.addIssue({
        code: 'custom',
        path: ['status'],
        message: 'queues hold unresolved tickets only (new, open, pending, on_hold)',
      });
    }
  });
export type ListTicketsQuery = z.output<typeof ListTicketsQuerySchema>;

export const PageQuerySchema = z.strictObject({ limit: LimitSchema, cursor: CursorSchema });

export const TicketPathSchema = z.strictObject({ number: TicketNumberSchema });

export const IfMatchSchema = z
  .string()
  .regex(/^(W\/)?"?\d{1,10}"?$/, 'must be the ticket version from its ETag, e.g. "3"')
  .transform((value) => Number(value.replace(/\D/g, '')))
  .meta({ description: 'The ETag (version) the change is based on' });

export const IdempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1-100 characters of A-Z a-z 0-9 . _ : -')
  .meta({ description: 'Retry-safe creation: the same key and body return the same ticket' });

export const TicketSchema = z
  .object({
    number: z.number().int().positive(),
    subject: z.string(),
    description: z.string(),
    requester: z.string(),
    channel: z.enum(CHANNELS),
    category: z.string().optional(),
    impact: LevelSchema,
    urgency: LevelSchema,
    priority: z.enum(PRIORITIES),
    status: z.enum(STATUSES),
    tier: z.number().int().min(1).max(4),
    group: z.string(),
    assignee: z.string().optional(),
    watchers: z.array(z.string()),
    tags: z.array(z.string()),
    dueAt: z.iso.datetime().optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int().positive(),
  })
  .meta({ id: 'Ticket' });

export const TimelineEventSchema = z
  .object({
    id: z.string(),
    type: z.enum(['created', 'comment', 'updated']),
    at: z.iso.datetime(),
    actor: z.string(),
    public: z.boolean(),
    body: z.string().optional(),
    changes: z
      .array(z.object({ field: z.string(), from: z.unknown().optional(), to: z.unknown().optional() }))
      .optional(),
  })
  .meta({ id: 'TimelineEvent' });

const page = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() }).meta({ id });

export const TicketPageSchema = page(TicketSchema, 'TicketPage');
export const TimelinePageSchema = page(TimelineEventSchema, 'TimelinePage');

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

export const UserPathSchema = z.strictObject({ email: EmailSchema });

export const PutUserBodySchema = z
  .strictObject({
    name: trimmed(100),
    role: z.enum(ROLES),
    tiers: z
      .array(z.union([z.literal(1), z.literal(2), z.literal(3)]))
      .max(3)
      .default([]),
  })
  .superRefine((user, ctx) => {
    if (user.role === 'agent' && user.tiers.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'an agent belongs to at least one tier' });
    }
  })
  .meta({ id: 'PutUser' });
export type PutUserBody = z.output<typeof PutUserBodySchema>;

export const UserSchema = z
  .object({
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    tiers: z.array(z.number().int()),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });
