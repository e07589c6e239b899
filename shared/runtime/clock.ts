import type { Clock } from '#shared/domain/clock';

/**
 * The clock handlers run on: the system clock, unless the environment moves it. The local stack
 * controls time by setting these variables in the one process that runs every handler
 * (`TIERDESK_CLOCK_FROZEN_AT`: stand still at this epoch-ms instant; `TIERDESK_CLOCK_OFFSET_MS`:
 * run at wall time plus this offset). On AWS neither is ever set.
 */
export const CLOCK_VARIABLES = {
  offset: 'TIERDESK_CLOCK_OFFSET_MS',
  frozenAt: 'TIERDESK_CLOCK_FROZEN_AT',
} as const;

export const clockFromEnv = (): Clock => ({
  now: () => {
    const frozenAt = Number(process.env[CLOCK_VARIABLES.frozenAt]);
    if (frozenAt > 0) return new Date(frozenAt);
    return new Date(Date.now() + (Number(process.env[CLOCK_VARIABLES.offset]) || 0));
  },
});
