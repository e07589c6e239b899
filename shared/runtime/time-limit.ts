import { createContext, Script } from 'node:vm';

/**
 * Synchronous work that can take too long on hostile input (a Markdown body built so that its
 * parser's time grows with the square of its length) cannot be abandoned with a timer: nothing
 * else runs until it returns. Node's `vm` timeout can: it watches from its own thread and
 * terminates whatever JavaScript the script runs, including functions defined outside its
 * context, and the script's caller gets an error instead. One context and one compiled script,
 * made on first use rather than at a cold start, serve every call; the task is handed over
 * through the context.
 */
interface Watchdog {
  sandbox: { task: () => unknown };
  script: Script;
}
let watchdog: Watchdog | undefined;

const newWatchdog = (): Watchdog => ({
  sandbox: createContext({ task: (): unknown => undefined }) as Watchdog['sandbox'],
  script: new Script('task()', { filename: 'time-limit.vm' }),
});

/**
 * `task()`'s result, or `{ timedOut: true }` when it ran for `ms` and was stopped. `ms` is rounded
 * up to a whole millisecond (at least 1), the unit `vm` takes.
 */
export const runWithin = <T>(ms: number, task: () => T): { value: T } | { timedOut: true } => {
  watchdog ??= newWatchdog();
  const timeout = Math.max(1, Math.ceil(ms));
  const { sandbox, script } = watchdog;
  sandbox.task = task;
  try {
    return { value: script.runInContext(sandbox, { timeout }) as T };
  } catch (error) {
    if ((error as { code?: string } | null | undefined)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
      return { timedOut: true };
    throw error;
  } finally {
    sandbox.task = () => undefined;
  }
};

/**
 * `task()`'s result, or undefined when it ran for `ms` and was stopped: what every caller makes of
 * {@link runWithin}, for tasks that never answer undefined themselves.
 */
export const valueWithin = <T extends {}>(ms: number, task: () => T): T | undefined => {
  const outcome = runWithin(ms, task);
  return 'value' in outcome ? outcome.value : undefined;
};
