/**
 * One promise of `npm run verify`: what it checked (its figures, one line) and every failure
 * it found. A promise holds when it found no failure; a promise that could not run reports that
 * as a failure, never as a pass.
 */
export interface PromiseResult {
  figures: string;
  /** Failures to print, at most a screenful. */
  failures: string[];
  /** How many failures there were, when more than `failures` lists. */
  failureCount?: number;
  /**
   * Part of the promise could not be checked here (a service this machine cannot reach): said on
   * its line, and never counted as a pass of that part.
   */
  unavailable?: string;
}

export interface VerifyPromise {
  /** Short, lower-case: the first word of its line (`authorization`, `tokens`, …). */
  name: string;
  run(): Promise<PromiseResult>;
}

/** Collects failures with a bound on how many are kept verbatim (the count stays exact). */
export class Failures {
  readonly list: string[] = [];
  count = 0;

  constructor(private readonly keep = 20) {}

  add(failure: string): void {
    this.count++;
    if (this.list.length < this.keep) this.list.push(failure);
  }

  /** The failures as a promise reports them: the kept ones and the exact count. */
  report(): Pick<PromiseResult, 'failures' | 'failureCount'> {
    const more = this.count - this.list.length;
    return {
      failures: more > 0 ? [...this.list, `… and ${more} more`] : [...this.list],
      failureCount: this.count,
    };
  }
}
