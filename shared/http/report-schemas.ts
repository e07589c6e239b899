import { CSAT_COMMENT_LIMIT } from '#shared/domain/csat';
import { optionalTextSchema } from '#shared/domain/text';
import { PRIORITIES } from '#shared/domain/ticket-fields';
import * as z from '#shared/runtime/zod';

/**
 * The reports' and the satisfaction survey's request and response shapes (`/reports/…`,
 * `/csat/{token}`, `/tickets/{number}/csat`).
 */

const DaySchema = /* @__PURE__ */ z.built(() =>
  z.string().check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day, yyyy-mm-dd'),
    z.refine((day) => !Number.isNaN(Date.parse(day)), 'must be a real day'),
    z.meta({ description: "A day in the desk's time zone", example: '2026-11-23' }),
  ),
);

const ReportFilterShape = /* @__PURE__ */ z.built(() => ({
  from: z.optional(DaySchema),
  to: z.optional(DaySchema),
  tier: z.optional(z.coerce.number().check(z.int(), z.gte(0), z.lte(4))),
  group: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a group id'))),
  priority: z.optional(z.enum(PRIORITIES)),
}));

export const ReportQuerySchema = /* @__PURE__ */ z.built(() => z.strictObject(ReportFilterShape));
export const TimeseriesQuerySchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    ...ReportFilterShape,
    metric: z
      .string()
      .check(
        z.regex(
          /^[A-Za-z_]{1,40}(\.p(50|90))?$/,
          'must be a counter (created, breached_ola, …) or a duration quantile (resolution.p90)',
        ),
        z.meta({ example: 'created' }),
      ),
    interval: z._default(z.enum(['day', 'week']), 'day'),
  }),
);

const ratio = /* @__PURE__ */ z.built(() => z.nullable(z.number()));
const quantiles = /* @__PURE__ */ z.built(() =>
  z.object({ count: z.number(), p50: z.nullable(z.number()), p90: z.nullable(z.number()) }),
);

export const ReportSummarySchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      from: z.string(),
      to: z.string(),
      timeZone: z.string(),
      filter: z.catchall(z.object({}), z.unknown()),
      sketchRelativeAccuracy: z.number(),
      tickets: z.catchall(z.object({}), z.unknown()),
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
    .check(
      z.meta({
        id: 'ReportSummary',
        description: 'Figures over a range of days; durations are business milliseconds',
      }),
    ),
);

export const TimeseriesSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      metric: z.string(),
      interval: z.enum(['day', 'week']),
      from: z.string(),
      to: z.string(),
      timeZone: z.string(),
      points: z.array(z.object({ period: z.string(), value: z.nullable(z.number()) })),
    })
    .check(z.meta({ id: 'ReportTimeseries' })),
);

export const CsatTokenPathSchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    token: z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(200),
        z.meta({ description: 'The signed token of the survey link' }),
      ),
  }),
);

/** The survey's answer: a form posts strings, JSON numbers. */
export const CsatBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      score: z.coerce
        .number()
        .check(z.int(), z.gte(1), z.lte(5), z.meta({ description: '1 (not at all) to 5 (very satisfied)' })),
      comment: z.optional(optionalTextSchema(CSAT_COMMENT_LIMIT)),
    })
    .check(z.meta({ id: 'CsatAnswer' })),
);
