/**
 * `npm run verify`: the promises Tierdesk makes, re-runnable as one command. Each prints one line
 * with its figures and its failures (there must be none); the run fails when any promise does.
 * `npm run verify -- authorization tokens` runs only those.
 */
import './env.ts';
import { performance } from 'node:perf_hooks';
import type { PromiseResult, VerifyPromise } from './promise.ts';
import { PROMISES } from './promises.ts';
import { stopSharedStack } from './stack.ts';

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = wanted.filter((name) => !PROMISES.some((promise) => promise.name === name));
if (unknown.length > 0) {
  console.error(
    `verify: no promise named ${unknown.join(', ')}; there are ${PROMISES.map((p) => p.name).join(', ')}`,
  );
  process.exit(2);
}
const selected: VerifyPromise[] = wanted.length
  ? PROMISES.filter((promise) => wanted.includes(promise.name))
  : PROMISES;

const width = Math.max(...selected.map((promise) => promise.name.length));
const started = performance.now();
let failed = 0;
let partly = 0;
for (const promise of selected) {
  const t0 = performance.now();
  let result: PromiseResult;
  try {
    result = await promise.run();
  } catch (error) {
    result = {
      figures: 'did not complete',
      failures: [`crashed: ${(error as Error).stack ?? String(error)}`],
    };
  }
  const count = result.failureCount ?? result.failures.length;
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `${count > 0 ? 'FAIL' : result.unavailable ? 'PART' : 'PASS'}  ${promise.name.padEnd(width)}  ${result.figures}; ${count} failures (${seconds} s)`,
  );
  for (const failure of result.failures) console.log(`      ✗ ${failure}`);
  if (result.unavailable) console.log(`      ? not checked here: ${result.unavailable}`);
  if (count > 0) failed++;
  else if (result.unavailable) partly++;
}
const total = ((performance.now() - started) / 1000).toFixed(0);
const held = selected.length - failed - partly;
const part = partly > 0 ? `, ${partly} held as far as this machine could check` : '';
console.log(`verify: ${held} of ${selected.length} promises held${part}, ${failed} failed, in ${total} s`);
await stopSharedStack();
process.exit(failed > 0 ? 1 : 0);
