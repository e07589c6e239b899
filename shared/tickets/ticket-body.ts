import * as z from 'zod';
import { textSchema as trimmed } from '#shared/domain/text';
import { PRIORITIES } from '#shared/domain/ticket-fields';
import { CategorySchema, EmailSchema, LevelSchema, TagSchema } from './input-fields.ts';
import { LIMITS } from './limits.ts';

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
