import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBudgets, PAGE_BUDGETS } from '../../web/budgets.ts';
import { buildConsole, type ConsoleBuild } from '../../web/build.ts';

/** The console's size gate measures the files a first visit really fetches, and fails when one grows. */

let outdir: string;
let built: ConsoleBuild;
beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), 'tierdesk-budgets-'));
  built = await buildConsole(outdir);
}, 60_000);
afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe('console budgets', () => {
  it('holds every entry page of the current console within its budget', async () => {
    const results = await checkBudgets(built);
    expect(results.map((result) => [result.route, result.pass])).toEqual(
      PAGE_BUDGETS.map((budget) => [budget.route, true]),
    );
    for (const result of results) expect(result.gzipKiB).toBeGreaterThan(1);
  });

  it('fails a page whose chunk grows past its budget', async () => {
    const queue = PAGE_BUDGETS.find((budget) => budget.route === '/queue');
    if (!queue) throw new Error('no /queue budget');
    const before = (await checkBudgets(built, [queue]))[0];
    // Grow the queue page's chunk by ~160 KiB of hard-to-compress text, as a heavy dependency would.
    const chunk = Object.entries(built.metafile.outputs).find(([, output]) =>
      output.entryPoint?.endsWith(`src/${queue.page}`),
    )?.[0];
    if (!chunk) throw new Error('no queue chunk');
    const noise = Array.from({ length: 200 * 1024 }, () =>
      String.fromCharCode(33 + Math.floor(Math.random() * 90)),
    ).join('');
    await appendFile(resolve(chunk), `\n/*${noise}*/\n`);
    const after = (await checkBudgets(built, [queue]))[0];
    expect(before?.pass).toBe(true);
    expect(after?.pass).toBe(false);
    expect(after?.gzipKiB).toBeGreaterThan(queue.budgetKiB);
  });
});
