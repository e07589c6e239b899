import { textSchema } from '#shared/domain/text';
import { TIERS } from '#shared/domain/ticket-fields';
import { JOB_KINDS } from '#shared/ops/jobs';
import { EXECUTION_STATUSES, ReconcileJobSchema, RedriveJobSchema } from '#shared/ops/ops-service';
import type { ReconcileReport } from '#shared/ops/reconcile';
import * as z from '#shared/runtime/zod';
import { CursorSchema, LimitSchema } from './schemas.ts';

/** The operations routes' shapes (`/ops/…`): executions, redrive and restart, jobs. */

const TierSchema = /* @__PURE__ */ z.built(() =>
  z.pipe(z.coerce.number(), z.union(TIERS.map((tier) => z.literal(tier)))),
);
const ReasonSchema = /* @__PURE__ */ z.built(() => textSchema(1_000));

export const ListExecutionsQuerySchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    status: z._default(z.enum(EXECUTION_STATUSES), 'FAILED').check(
      z.meta({
        description:
          'RUNNING: open tickets, from the tier queues; FAILED, TIMED_OUT, ABORTED: open incidents',
      }),
    ),
    tier: z.optional(TierSchema),
    limit: LimitSchema,
    cursor: CursorSchema,
  }),
);

export const JobPathSchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    id: z
      .string()
      .check(z.regex(/^\d{8}T\d{6}-[0-9a-f]{8}$/, 'must be a job id, e.g. 20261127T150000-1a2b3c4d')),
  }),
);

export const OperatorActionBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      reason: z.optional(ReasonSchema).check(z.meta({ description: 'Why, for the timeline (optional)' })),
    })
    .check(z.meta({ id: 'OperatorAction', description: 'May be omitted' })),
);

export const BulkRedriveBodySchema = /* @__PURE__ */ z.built(() =>
  RedriveJobSchema.check(
    z.meta({
      id: 'BulkRedrive',
      description: 'Open incidents of `status` (of `tier`, stopped at or after `since`)',
    }),
  ),
);

export const ReconcileBodySchema = /* @__PURE__ */ z.built(() =>
  ReconcileJobSchema.check(
    z.meta({
      id: 'Reconcile',
      description: 'May be omitted: every tier',
    }),
  ),
);

const ExecutionItemSchema = /* @__PURE__ */ z.built(() =>
  z.object({
    ticket: z.int(),
    tier: z.int(),
    status: z.string(),
    execution: z.optional(z.string()),
    currentState: z.optional(z.string()),
    startedAt: z.optional(z.string()),
    stoppedAt: z.optional(z.string()),
    error: z.optional(z.string()),
    cause: z.optional(z.string()),
    failedState: z.optional(z.string()),
    redriveCount: z.optional(z.int()),
  }),
);

export const ExecutionPageSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({ items: z.array(ExecutionItemSchema), nextCursor: z.optional(z.string()) })
    .check(z.meta({ id: 'ExecutionPage' })),
);

export const TicketExecutionsSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      ticket: z.int(),
      tier: z.int(),
      ticketStatus: z.string(),
      executions: z.array(
        z.object({
          name: z.string(),
          arn: z.string(),
          generation: z.int(),
          status: z.string(),
          currentState: z.optional(z.string()),
          startedAt: z.string(),
          stoppedAt: z.optional(z.string()),
          error: z.optional(z.string()),
          cause: z.optional(z.string()),
          redriveCount: z.int(),
        }),
      ),
      incidents: z.array(
        z.extend(ExecutionItemSchema, {
          resolved: z.optional(z.object({ at: z.string(), by: z.string(), action: z.string() })),
        }),
      ),
    })
    .check(z.meta({ id: 'TicketExecutions' })),
);

export const OperatorActionResultSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({ ticket: z.int(), action: z.enum(['redrive', 'restart']), execution: z.string() })
    .check(z.meta({ id: 'OperatorActionResult' })),
);

const TicketNumbersSchema = /* @__PURE__ */ z.built(() => z.array(z.int()));

/** What a reconciliation found and repaired (ticket numbers), once its job succeeded. */
export const ReconcileResultSchema: z.ZodMiniType<ReconcileReport> = /* @__PURE__ */ z.built(() =>
  z
    .object({
      scanned: z.object({
        openTickets: z.int(),
        runningExecutions: z.int(),
        incidents: z.int(),
        deadLetters: z.int(),
      }),
      found: z.object({
        missing: TicketNumbersSchema,
        orphaned: TicketNumbersSchema,
        lostWakes: TicketNumbersSchema,
        deadLettered: TicketNumbersSchema,
        unrecoverable: z
          .array(z.string())
          .check(z.meta({ description: 'Dead-lettered batches naming no ticket, by id' })),
      }),
      repaired: z.object({
        restarted: TicketNumbersSchema,
        woken: TicketNumbersSchema,
        stopped: TicketNumbersSchema,
        incidentsResolved: z.int(),
      }),
      repairs: z.int(),
    })
    .check(z.meta({ id: 'ReconcileResult' })),
);

/** What a bulk redrive did, once its job succeeded. */
export const RedriveResultSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      matched: z.int(),
      redriven: TicketNumbersSchema,
      refused: z.array(z.object({ ticket: z.int(), reason: z.string() })),
    })
    .check(z.meta({ id: 'RedriveResult' })),
);

export const JobSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      id: z.string(),
      kind: z.enum(JOB_KINDS),
      status: z.enum(['queued', 'running', 'succeeded', 'failed']),
      requestedBy: z.string(),
      requestedAt: z.string(),
      params: z.record(z.string(), z.unknown()),
      progress: z.object({ phase: z.string(), done: z.int() }),
      startedAt: z.optional(z.string()),
      finishedAt: z.optional(z.string()),
      result: z
        .optional(z.union([ReconcileResultSchema, RedriveResultSchema]))
        .check(z.meta({ description: 'A reconcile job: ReconcileResult; a redrive job: RedriveResult' })),
      error: z.optional(z.string()),
    })
    .check(
      z.meta({ id: 'OpsJob', description: 'GET /ops/jobs/{id} follows it; `result` once it succeeded' }),
    ),
);
