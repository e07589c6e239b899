import type { Clock } from '#shared/domain/clock';
import { CLOCK_VARIABLES } from '#shared/runtime/clock';

/**
 * The local stack's controllable clock. It starts in real time (wall time); the first move
 * (`set`/`advance`) makes it stand still between moves, so a test or a demo sees exactly the
 * instants it asked for; `realTime()` returns to wall time, or with `{ fromHere: true }` runs on
 * in real time from the instant it stands at. Handlers read the same time through
 * `clockFromEnv()` (they run in this process), and the local Step Functions engine schedules its
 * timers on it, so "advance 4 hours" moves everything at once.
 */
export class LocalClock implements Clock {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  /** `startAt`: begin controlled, standing at that instant (past or future), instead of in real time. */
  constructor(startAt?: Date) {
    this.frozenAt = startAt?.getTime();
    this.publish();
  }

  get mode(): 'real time' | 'controlled' {
    return this.frozenAt === undefined ? 'real time' : 'controlled';
  }

  now(): Date {
    return new Date(this.frozenAt ?? Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('The clock only moves forward.');
    this.set(new Date(this.now().getTime() + ms));
  }

  set(at: Date): void {
    if (at.getTime() < this.now().getTime()) throw new RangeError('The clock only moves forward.');
    this.frozenAt = at.getTime();
    this.publish();
  }

  /**
   * Runs in real time again: at wall time (what a tester who is done moving the clock expects,
   * even if that is earlier than where it stood: times already recorded keep their instants), or,
   * `fromHere`, on from the instant it stands at, offset from wall time by the time it was moved.
   */
  realTime({ fromHere = false }: { fromHere?: boolean } = {}): void {
    const here = this.now().getTime();
    this.offsetMs = fromHere ? here - Date.now() : 0;
    this.frozenAt = undefined;
    this.publish();
  }

  private publish(): void {
    process.env[CLOCK_VARIABLES.offset] = String(this.offsetMs);
    if (this.frozenAt === undefined) delete process.env[CLOCK_VARIABLES.frozenAt];
    else process.env[CLOCK_VARIABLES.frozenAt] = String(this.frozenAt);
  }
}

/**
 * ISO 8601 durations as `POST /_local/clock {"advance": "PT4H"}` takes them: weeks, days, hours,
 * minutes, seconds. Years and months are refused: they have no fixed length.
 */
export const parseDuration = (text: string): number => {
  const match =
    /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      text,
    );
  if (!match || text === 'P' || text.endsWith('T')) {
    throw new RangeError(
      `"${text}" is not an ISO 8601 duration of weeks, days, hours, minutes or seconds (e.g. PT4H, P2DT3H).`,
    );
  }
  const [weeks = 0, days = 0, hours = 0, minutes = 0, seconds = 0] = match
    .slice(1)
    .map((part) => Number(part ?? 0));
  return Math.round((((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60_000 + seconds * 1000);
};
