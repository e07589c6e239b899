import * as z from 'zod';
import { CSAT_COMMENT_LIMIT } from '#shared/domain/csat';
import { optionalTextSchema } from '#shared/domain/text';
import { PRIORITIES } from '#shared/domain/ticket-fields';

/**
 * The reports' and the satisfaction survey's request and response shapes (`/reports/…`,
 * `/csat/{token}`, `/tickets/{number}/csat`).
 */

const DaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day, yyyy-mm-dd')
  .refine((day) => !Number.isNaN(Date.parse(day)), 'must be a real day')
  .meta({ description: "A day in the desk's time zone", example: '2026-11-23' });

const ReportFilterShape = {
  from: DaySchema.optional(),
  to: DaySchema.optional(),
  tier: z.coerce.number().int().min(0).max(4).optional(),
  group: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a group id')
    .optional(),
  priority: z.enum(PRIORITIES).optional(),
};

export const ReportQuerySchema = z.strictObject(ReportFilterShape);
export const TimeseriesQuerySchema = z.strictObject({
  ...ReportFilterShape,
  metric: z
    .string()
    .regex(
      /^[A-Za-z_]{1,40}(\.p(50|90))?$/,
      'must be a counter (created, breached_ola, …) or a duration quantile (resolution.p90)',
    )
    .meta({ example: 'created' }),
  interval: z.enum(['day', 'week']).default('day'),
});

const ratio = z.number().nullable();
const quantiles = z.object({ count: z.number(), p50: z.number().nullable(), p90: z.number().nullable() });

export const ReportSummarySchema = z
  .object({
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    filter: z.object({}).catchall(z.unknown()),
    sketchRelativeAccuracy: z.number(),
    tickets: z.object({}).catchall(z.unknown()),
    rates: z.object({ firstContactResolution: ratio, escalation: ratio, deflection: ratio }),
    serviceLevels: z.record(
      z.string(),
      z.object({ met: z.number(), breached: z.number(), achievement: ratio }),
    ),
    durations: z.record(z.string(), quantiles),
    csat: z.object({
      responses: z.number(),
      surveyed: z.number(),
      responseRate: ratio,
      average: ratio,
      distribution: z.record(z.string(), z.number()),
    }),
    deflections: z.number(),
    quarantined: z.record(z.string(), z.number()),
    backlog: z.array(
      z.object({
        tier: z.number(),
        priority: z.string(),
        ages: z.record(z.string(), z.number()),
        total: z.number(),
      }),
    ),
  })
  .meta({
    id: 'ReportSummary',
    description: 'Figures over a range of days; durations are business milliseconds',
  });

export const TimeseriesSchema = z
  .object({
    metric: z.string(),
    interval: z.enum(['day', 'week']),
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    points: z.array(z.object({ period: z.string(), value: z.number().nullable() })),
  })
  .meta({ id: 'ReportTimeseries' });

export const CsatTokenPathSchema = z.strictObject({
  token: z.string().min(1).max(200).meta({ description: 'The signed token of the survey link' }),
});

/** The survey's answer: a form posts strings, JSON numbers. */
export const CsatBodySchema = z
  .strictObject({
    score: z.coerce
      .number()
      .int()
      .min(1)
      .max(5)
      .meta({ description: '1 (not at all) to 5 (very satisfied)' }),
    comment: optionalTextSchema(CSAT_COMMENT_LIMIT).optional(),
  })
  .meta({ id: 'CsatAnswer' });
