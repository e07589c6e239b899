import * as z from '#shared/runtime/zod';

const ClockEventViewSchema = /* @__PURE__ */ z.built(() =>
  z.object({
    key: z.string(),
    kind: z.string(),
    clock: z.optional(z.string()),
    tier: z.optional(z.int()),
    at: z.iso.datetime(),
    deadline: z.described(
      z.optional(z.iso.datetime()),
      "The clock's deadline, where it is not the event's own instant (a warning, a vendor reminder)",
    ),
  }),
);

export const WorkflowViewSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      execution: z.described(
        z.nullable(
          z.object({
            name: z.string(),
            arn: z.string(),
            status: z.string(),
            startedAt: z.iso.datetime(),
            stoppedAt: z.optional(z.iso.datetime()),
          }),
        ),
        'null until the stream processor has started it (moments after creation)',
      ),
      currentState: z.optional(z.string()),
      phase: z.described(z.optional(z.string()), 'What the parked workflow waits in'),
      nextClockEvent: z.optional(ClockEventViewSchema),
      clocks: z.array(
        z.object({
          clock: z.string(),
          key: z.string(),
          tier: z.optional(z.int()),
          status: z.enum(['running', 'paused', 'met', 'breached', 'stopped']),
          target: z.described(z.number(), 'Business milliseconds'),
          elapsed: z.number(),
          deadline: z.optional(z.iso.datetime()),
          startedAt: z.iso.datetime(),
          stoppedAt: z.optional(z.iso.datetime()),
        }),
      ),
      steps: z.array(
        z.object({
          at: z.iso.datetime(),
          state: z.string(),
          step: z.string(),
          outcome: z.optional(z.enum(['woken', 'clock event due', 'failed'])),
        }),
      ),
      graph: z.described(
        z.object({
          startAt: z.string(),
          states: z.array(z.object({ name: z.string(), type: z.string() })),
          edges: z.array(
            z.object({
              from: z.string(),
              to: z.string(),
              label: z.described(z.optional(z.string()), 'A Choice rule, `otherwise`, or the errors caught'),
            }),
          ),
        }),
        "The state machine every ticket's workflow runs, derived from the deployed definition: to draw it",
      ),
    })
    .check(z.meta({ id: 'WorkflowView' })),
);
