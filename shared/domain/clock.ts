/**
 * Time is a dependency. Domain code and handlers read it from a Clock so tests, and the local
 * stack's controllable clock, can decide what "now" is.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

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
