import { textSchema as trimmed } from '#shared/domain/text';
import * as z from '#shared/runtime/zod';
import { LIMITS } from './limits.ts';

// ---- lifecycle actions: POST /tickets/{number}/<action> ---------------------------------------

const ReasonSchema = /* @__PURE__ */ z.built(() => trimmed(LIMITS.reason));

export const EscalateBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      reason: z.described(ReasonSchema, 'Why the next tier is needed'),
      summary: z.described(
        trimmed(LIMITS.summary),
        'The work order: what was found and tried so far (required)',
      ),
    })
    .check(z.meta({ id: 'Escalate' })),
);
export type EscalateBody = z.output<typeof EscalateBodySchema>;

export const PendingBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({ reason: z.described(ReasonSchema, 'What the desk waits for from the requester') })
    .check(z.meta({ id: 'SetPending' })),
);
export type PendingBody = z.output<typeof PendingBodySchema>;

export const ResolveBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      resolution: z.described(trimmed(LIMITS.resolution), 'What solved it (public)'),
      documentFix: z.described(
        z._default(z.boolean(), false),
        'Tier 3 agents, supervisors and admins: also write the fix up as a draft, internal ' +
          'knowledge-base article linked to the ticket (its id is added to `linkedArticles`)',
      ),
    })
    .check(z.meta({ id: 'Resolve' })),
);
export type ResolveBody = z.output<typeof ResolveBodySchema>;

export const ReopenBodySchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({ reason: ReasonSchema }).check(z.meta({ id: 'Reopen' })),
);
export type ReopenBody = z.output<typeof ReopenBodySchema>;

export const HandoffBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      vendorId: z
        .string()
        .check(
          z.trim(),
          z.minLength(1),
          z.maxLength(LIMITS.vendorId),
          z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a vendor id, e.g. "acme-printers"'),
        ),
      message: z.described(trimmed(LIMITS.comment), 'What the vendor is asked to do (sent to them)'),
    })
    .check(z.meta({ id: 'Handoff' })),
);
export type HandoffBody = z.output<typeof HandoffBodySchema>;

export const VendorUpdateBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      message: z.described(trimmed(LIMITS.comment), "The vendor's answer (internal)"),
      resolved: z.described(z._default(z.boolean(), false), 'true = the vendor resolved the issue'),
    })
    .check(z.meta({ id: 'VendorUpdate' })),
);
export type VendorUpdateBody = z.output<typeof VendorUpdateBodySchema>;

export const MergeBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      into: z.int().check(z.positive(), z.meta({ description: 'The ticket that stays', example: 1042 })),
    })
    .check(z.meta({ id: 'Merge' })),
);
export type MergeBody = z.output<typeof MergeBodySchema>;

export const CloseBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({ reason: z.described(z.optional(ReasonSchema), 'A closing note (optional)') })
    .check(z.meta({ id: 'Close', description: 'May be omitted: an empty body closes without a note' })),
);
export type CloseBody = z.output<typeof CloseBodySchema>;
