import * as z from 'zod';
import { textSchema } from '#shared/domain/text';
import { TIERS } from '#shared/domain/ticket-fields';
import { JOB_KINDS } from '#shared/ops/jobs';
import { EXECUTION_STATUSES, ReconcileJobSchema, RedriveJobSchema } from '#shared/ops/ops-service';
import type { ReconcileReport } from '#shared/ops/reconcile';
import { CursorSchema, LimitSchema } from './schemas.ts';

/** The operations routes' shapes (`/ops/…`): executions, redrive and restart, jobs. */

const TierSchema = z.coerce.number().pipe(z.union(TIERS.map((tier) => z.literal(tier))));
const ReasonSchema = textSchema(1_000);

export const ListExecutionsQuerySchema = z.strictObject({
  status: z.enum(EXECUTION_STATUSES).default('FAILED').meta({
    description: 'RUNNING: open tickets, from the tier queues; FAILED, TIMED_OUT, ABORTED: open incidents',
  }),
  tier: TierSchema.optional(),
  limit: LimitSchema,
  cursor: CursorSchema,
});

export const JobPathSchema = z.strictObject({
  id: z.string().regex(/^\d{8}T\d{6}-[0-9a-f]{8}$/, 'must be a job id, e.g. 20261127T150000-1a2b3c4d'),
});

export const OperatorActionBodySchema = z
  .strictObject({ reason: ReasonSchema.optional().meta({ description: 'Why, for the timeline (optional)' }) })
  .meta({ id: 'OperatorAction', description: 'May be omitted' });

export const BulkRedriveBodySchema = RedriveJobSchema.meta({
  id: 'BulkRedrive',
  description: 'Open incidents of `status` (of `tier`, stopped at or after `since`)',
});

export const ReconcileBodySchema = ReconcileJobSchema.meta({
  id: 'Reconcile',
  description: 'May be omitted: every tier',
});

const ExecutionItemSchema = z.object({
  ticket: z.number().int(),
  tier: z.number().int(),
  status: z.string(),
  execution: z.string().optional(),
  currentState: z.string().optional(),
  startedAt: z.string().optional(),
  stoppedAt: z.string().optional(),
  error: z.string().optional(),
  cause: z.string().optional(),
  failedState: z.string().optional(),
  redriveCount: z.number().int().optional(),
});

export const ExecutionPageSchema = z
  .object({ items: z.array(ExecutionItemSchema), nextCursor: z.string().optional() })
  .meta({ id: 'ExecutionPage' });

export const TicketExecutionsSchema = z
  .object({
    ticket: z.number().int(),
    tier: z.number().int(),
    ticketStatus: z.string(),
    executions: z.array(
      z.object({
        name: z.string(),
        arn: z.string(),
        generation: z.number().int(),
        status: z.string(),
        currentState: z.string().optional(),
        startedAt: z.string(),
        stoppedAt: z.string().optional(),
        error: z.string().optional(),
        cause: z.string().optional(),
        redriveCount: z.number().int(),
      }),
    ),
    incidents: z.array(
      ExecutionItemSchema.extend({
        resolved: z.object({ at: z.string(), by: z.string(), action: z.string() }).optional(),
      }),
    ),
  })
  .meta({ id: 'TicketExecutions' });

export const OperatorActionResultSchema = z
  .object({ ticket: z.number().int(), action: z.enum(['redrive', 'restart']), execution: z.string() })
  .meta({ id: 'OperatorActionResult' });

const TicketNumbersSchema = z.array(z.number().int());

/** What a reconciliation found and repaired (ticket numbers), once its job succeeded. */
export const ReconcileResultSchema: z.ZodType<ReconcileReport> = z
  .object({
    scanned: z.object({
      openTickets: z.number().int(),
      runningExecutions: z.number().int(),
      incidents: z.number().int(),
      deadLetters: z.number().int(),
    }),
    found: z.object({
      missing: TicketNumbersSchema,
      orphaned: TicketNumbersSchema,
      lostWakes: TicketNumbersSchema,
      deadLettered: TicketNumbersSchema,
      unrecoverable: z
        .array(z.string())
        .meta({ description: 'Dead-lettered batches naming no ticket, by id' }),
    }),
    repaired: z.object({
      restarted: TicketNumbersSchema,
      woken: TicketNumbersSchema,
      stopped: TicketNumbersSchema,
      incidentsResolved: z.number().int(),
    }),
    repairs: z.number().int(),
  })
  .meta({ id: 'ReconcileResult' });

/** What a bulk redrive did, once its job succeeded. */
export const RedriveResultSchema = z
  .object({
    matched: z.number().int(),
    redriven: TicketNumbersSchema,
    refused: z.array(z.object({ ticket: z.number().int(), reason: z.string() })),
  })
  .meta({ id: 'RedriveResult' });

export const JobSchema = z
  .object({
    id: z.string(),
    kind: z.enum(JOB_KINDS),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    requestedBy: z.string(),
    requestedAt: z.string(),
    params: z.record(z.string(), z.unknown()),
    progress: z.object({ phase: z.string(), done: z.number().int() }),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    result: z
      .union([ReconcileResultSchema, RedriveResultSchema])
      .optional()
      .meta({ description: 'A reconcile job: ReconcileResult; a redrive job: RedriveResult' }),
    error: z.string().optional(),
  })
  .meta({ id: 'OpsJob', description: 'GET /ops/jobs/{id} follows it; `result` once it succeeded' });
