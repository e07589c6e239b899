import { textSchema as trimmed } from '#shared/domain/text';
import { PRIORITIES } from '#shared/domain/ticket-fields';
import * as z from '#shared/runtime/zod';
import { CategorySchema, EmailSchema, LevelSchema, TagSchema } from './input-fields.ts';
import { LIMITS } from './limits.ts';

export const CreateTicketBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      subject: trimmed(LIMITS.subject),
      description: trimmed(LIMITS.description),
      impact: z._default(LevelSchema, 'medium'),
      urgency: z._default(LevelSchema, 'medium'),
      category: z.optional(CategorySchema),
      tags: z._default(z.array(TagSchema).check(z.maxLength(LIMITS.tags)), []),
      watchers: z._default(z.array(EmailSchema).check(z.maxLength(LIMITS.watchers)), []),
      requester: z
        .optional(EmailSchema)
        .check(z.meta({ description: 'Agents only: file on behalf of this person' })),
      priority: z
        .optional(z.enum(PRIORITIES))
        .check(z.meta({ description: 'Agents only: override the impact × urgency matrix' })),
    })
    .check(z.meta({ id: 'CreateTicket' })),
);
export type CreateTicketBody = z.output<typeof CreateTicketBodySchema>;

export const UpdateTicketBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      subject: z.optional(trimmed(LIMITS.subject)),
      impact: z.optional(LevelSchema),
      urgency: z.optional(LevelSchema),
      priority: z.optional(z.enum(PRIORITIES)),
      category: z.optional(z.nullable(CategorySchema)),
      tags: z.optional(z.array(TagSchema).check(z.maxLength(LIMITS.tags))),
      assignee: z
        .optional(z.nullable(EmailSchema))
        .check(z.meta({ description: 'An agent of the ticket tier; null unassigns' })),
      watchers: z.optional(z.array(EmailSchema).check(z.maxLength(LIMITS.watchers))).check(
        z.meta({
          description:
            "The ticket's watchers, replacing the list (the requester is never one of them): its agents " +
            "and its requester; a requester adds addresses of the organization's mail domains only",
        }),
      ),
    })
    .check(
      z.refine((body) => Object.keys(body).length > 0, { message: 'name at least one field to change' }),
      z.meta({ id: 'UpdateTicket' }),
    ),
);
export type UpdateTicketBody = z.output<typeof UpdateTicketBodySchema>;
