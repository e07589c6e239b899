import * as z from '#shared/runtime/zod';
import { PARK_STATES, WORKFLOW_ACTIONS } from './definition.ts';

/** The task inputs the definition produces, validated at the edge of each task function. */

const PositiveIntSchema = /* @__PURE__ */ z.built(() => z.int().check(z.positive()));
const CountSchema = /* @__PURE__ */ z.built(() => z.int().check(z.nonnegative()));

export const DecisionRequestSchema = /* @__PURE__ */ z.built(() =>
  z.object({
    ticketNumber: PositiveIntSchema,
    generation: CountSchema,
    loops: z.optional(CountSchema),
    state: z.string(),
    execution: z.string(),
  }),
);

export const ParkRequestSchema = /* @__PURE__ */ z.built(() =>
  z.object({
    ticketNumber: PositiveIntSchema,
    version: PositiveIntSchema,
    phase: z.enum(Object.keys(PARK_STATES) as [keyof typeof PARK_STATES]),
    decided: z.object({
      phase: z.enum([...(Object.keys(PARK_STATES) as [keyof typeof PARK_STATES]), 'closed']),
      action: z.enum([...WORKFLOW_ACTIONS, 'none']),
    }),
    token: z.string().check(z.minLength(1)),
    waitSeconds: PositiveIntSchema,
    execution: z.string(),
  }),
);
