import * as z from 'zod';
import { CLOCK_EVENT_KINDS, CLOCK_NAMES } from '#shared/domain/service-levels';
import { ACTION_STATES, PARK_STATES } from './definition.ts';

/** The task inputs the definition produces, validated at the edge of each task function. */

const ClockEventSchema = z.object({
  key: z.string(),
  kind: z.enum(CLOCK_EVENT_KINDS),
  clock: z.enum(CLOCK_NAMES).optional(),
  tier: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
  at: z.string(),
  deadline: z.string().optional(),
});

export const DecisionRequestSchema = z.object({
  ticketNumber: z.number().int().positive(),
  generation: z.number().int().nonnegative(),
  loops: z.number().int().nonnegative().optional(),
  state: z.string(),
  execution: z.string(),
  action: z.enum(Object.keys(ACTION_STATES) as [keyof typeof ACTION_STATES]).optional(),
  event: ClockEventSchema.optional(),
});

export const ParkRequestSchema = z.object({
  ticketNumber: z.number().int().positive(),
  version: z.number().int().positive(),
  phase: z.enum(Object.keys(PARK_STATES) as [keyof typeof PARK_STATES]),
  token: z.string().min(1),
  waitSeconds: z.number().int().positive(),
  execution: z.string(),
});
