import * as z from 'zod';

const ClockEventViewSchema = z.object({
  key: z.string(),
  kind: z.string(),
  clock: z.string().optional(),
  tier: z.number().int().optional(),
  at: z.iso.datetime(),
  deadline: z.iso.datetime().optional().meta({
    description:
      "The clock's deadline, where it is not the event's own instant (a warning, a vendor reminder)",
  }),
});

export const WorkflowViewSchema = z
  .object({
    execution: z
      .object({
        name: z.string(),
        arn: z.string(),
        status: z.string(),
        startedAt: z.iso.datetime(),
        stoppedAt: z.iso.datetime().optional(),
      })
      .nullable()
      .meta({ description: 'null until the stream processor has started it (moments after creation)' }),
    currentState: z.string().optional(),
    phase: z.string().optional().meta({ description: 'What the parked workflow waits in' }),
    nextClockEvent: ClockEventViewSchema.optional(),
    clocks: z.array(
      z.object({
        clock: z.string(),
        key: z.string(),
        tier: z.number().int().optional(),
        status: z.enum(['running', 'paused', 'met', 'breached', 'stopped']),
        target: z.number().meta({ description: 'Business milliseconds' }),
        elapsed: z.number(),
        deadline: z.iso.datetime().optional(),
        startedAt: z.iso.datetime(),
        stoppedAt: z.iso.datetime().optional(),
      }),
    ),
    steps: z.array(
      z.object({
        at: z.iso.datetime(),
        state: z.string(),
        step: z.string(),
        outcome: z.enum(['woken', 'clock event due', 'failed']).optional(),
      }),
    ),
    graph: z
      .object({
        startAt: z.string(),
        states: z.array(z.object({ name: z.string(), type: z.string() })),
        edges: z.array(
          z.object({
            from: z.string(),
            to: z.string(),
            label: z
              .string()
              .optional()
              .meta({ description: 'A Choice rule, `otherwise`, or the errors caught' }),
          }),
        ),
      })
      .meta({
        description:
          "The state machine every ticket's workflow runs, derived from the deployed definition: to draw it",
      }),
  })
  .meta({ id: 'WorkflowView' });
