/**
 * Time is a dependency. Domain code and handlers read it from a Clock so tests, and the local
 * stack's controllable clock, can decide what "now" is.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

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

/** A clock that stands still until moved: for tests. */
export const fixedClock = (
  start: Date | string,
): Clock & { advance(ms: number): void; set(at: Date): void } => {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
    set: (at) => {
      current = new Date(at);
    },
  };
};
