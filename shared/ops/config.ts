import { optionalEnv } from '#shared/runtime/env';

/**
 * How ops jobs are run (set by the CDK stack on the functions that request them): `schedule` =
 * the ops task function picks queued jobs up every minute. Unset (the local stack): in-process,
 * at once, the same `runJob`.
 */
export const OPS_JOB_RUNNER_VARIABLE = 'OPS_JOB_RUNNER';

export const jobsRunOnSchedule = (env: NodeJS.ProcessEnv = process.env): boolean =>
  optionalEnv(OPS_JOB_RUNNER_VARIABLE, env) === 'schedule';
