import * as z from 'zod';
import { PARK_STATES, WORKFLOW_ACTIONS } from './definition.ts';

/** The task inputs the definition produces, validated at the edge of each task function. */

export const DecisionRequestSchema = z.object({
  ticketNumber: z.number().int().positive(),
  generation: z.number().int().nonnegative(),
  loops: z.number().int().nonnegative().optional(),
  state: z.string(),
  execution: z.string(),
});

export const ParkRequestSchema = z.object({
  ticketNumber: z.number().int().positive(),
  version: z.number().int().positive(),
  phase: z.enum(Object.keys(PARK_STATES) as [keyof typeof PARK_STATES]),
  decided: z.object({
    phase: z.enum([...(Object.keys(PARK_STATES) as [keyof typeof PARK_STATES]), 'closed']),
    action: z.enum([...WORKFLOW_ACTIONS, 'none']),
  }),
  token: z.string().min(1),
  waitSeconds: z.number().int().positive(),
  execution: z.string(),
});
