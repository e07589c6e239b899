/**
 * Ops jobs: work that outlives an HTTP request (an HTTP API request ends after 30 s), asked for
 * with 202 and a job id and followed through `GET /ops/jobs/{id}`. The job item is the record:
 * who asked, for what, how far it got, and what it found and did.
 */

export const JOB_KINDS = ['reconcile', 'redrive'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobProgress {
  /** What the job is doing now, in words (`reading the tier queues`). */
  phase: string;
  /** Items handled so far (tickets checked, executions redriven). */
  done: number;
}

export interface Job {
  id: string;
  kind: JobKind;
  status: JobStatus;
  requestedBy: string;
  requestedAt: string;
  params: Record<string, unknown>;
  progress: JobProgress;
  startedAt?: string;
  finishedAt?: string;
  result?: Record<string, unknown>;
  error?: string;
}

/** The port to the job records (the DynamoDB adapter is `adapters/dynamodb.ts`). */
export interface JobStore {
  create(job: Job): Promise<void>;
  get(id: string): Promise<Job | undefined>;
  /** Moves a queued job to running; false when another runner took it first. */
  claim(id: string, at: string): Promise<boolean>;
  progress(id: string, progress: JobProgress): Promise<void>;
  finish(id: string, outcome: Pick<Job, 'status' | 'finishedAt' | 'result' | 'error'>): Promise<void>;
  /** Jobs still waiting for a runner, oldest first. */
  queued(limit: number): Promise<string[]>;
}

/**
 * How a new job gets run: on AWS the ops task function picks queued jobs up on its schedule (no
 * Lambda client needed in the API function); the local stack runs it in-process at once.
 */
export interface JobLauncher {
  launch(id: string): Promise<void>;
}
