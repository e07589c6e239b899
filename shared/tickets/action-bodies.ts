import * as z from 'zod';
import { textSchema as trimmed } from '#shared/domain/text';
import { LIMITS } from './limits.ts';

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
