import { setTimeout as sleep } from 'node:timers/promises';
import type * as z from 'zod';
import type { JobSchema } from '#shared/http/ops-schemas';
import { type Context, note } from './context.ts';
import { CliError } from './errors.ts';

/**
 * Following an ops job (a reconciliation, a bulk redrive) until it ends: an HTTP request lasts 30 s
 * at most, so the API answers 202 with the job and `GET /ops/jobs/{id}` tells how far it got.
 * Progress goes to stderr — one line rewritten in place on a terminal, a plain line per change
 * otherwise (a log, CI) — so stdout carries only the result.
 */

export type Job = z.infer<typeof JobSchema>;

/** Quick at first (a small desk is done in a second), then once a second. */
const POLL_MS = [200, 300, 500, 800, 1_000];

const ended = (job: Job) => job.status === 'succeeded' || job.status === 'failed';

const progressLine = (what: string, job: Job): string =>
  `${what} ${job.id}: ${job.status === 'queued' ? 'queued' : job.progress.phase}${job.progress.done > 0 ? ` (${job.progress.done} done)` : ''}`;

export const followJob = async (context: Context, requested: Job, what: string): Promise<Job> => {
  const live = process.stderr.isTTY === true;
  if (live) note(`${what} ${requested.id} runs on the desk; Ctrl-C stops following it, not the job.`);
  let shown = '';
  let job = requested;
  for (let poll = 0; ; poll++) {
    const line = progressLine(what, job);
    if (line !== shown) {
      process.stderr.write(live ? `\r\x1b[2K${line}` : `${line}\n`);
      shown = line;
    }
    if (ended(job)) break;
    await sleep(POLL_MS[Math.min(poll, POLL_MS.length - 1)]);
    job = (await context.api.call<Job>('GET', `/ops/jobs/${encodeURIComponent(job.id)}`)).body;
  }
  if (live) process.stderr.write('\n');
  if (job.status === 'failed') {
    throw new CliError(
      `${what} ${job.id} failed: ${job.error ?? 'no reason recorded'}. What it did so far stays done; run it again, and if it fails again see docs/runbook.md.`,
    );
  }
  return job;
};
