import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api/client.ts';
import { ProblemError } from '../../api/problem.ts';
import { ErrorNotice } from '../../ui/status.tsx';
import type { Job, ReconcileResult, RedriveResult } from './ops-types.ts';
import { formatInstant } from './ops-ui.tsx';

/**
 * An ops job followed to its end: the API answers 202 with the job, and `GET /ops/jobs/{id}`
 * tells how far it got (quick polls at first — a small desk is done in a second — then once a
 * second). Its progress is announced politely; its result is the report: what a reconciliation
 * found and repaired, what a bulk redrive redrove and refused, each ticket linked to its workflow.
 */

const POLL_MS = [200, 300, 500, 800, 1_000];
const ended = (job: Job) => job.status === 'succeeded' || job.status === 'failed';

const WHAT: Record<Job['kind'], string> = { reconcile: 'Reconciliation', redrive: 'Bulk redrive' };

const Tickets = ({ numbers }: { numbers: readonly number[] }) =>
  numbers.length === 0 ? (
    <>none</>
  ) : (
    numbers.map((number, index) => (
      <span key={number}>
        {index > 0 && ', '}
        <a href={`/ops/tickets/${number}/workflow`}>#{number}</a>
      </span>
    ))
  );

const ReconcileReport = ({ result }: { result: ReconcileResult }) => {
  const { scanned, found, repaired } = result;
  const findings: [string, number[]][] = [
    ['Open tickets without a running workflow', found.missing],
    ['Closed tickets with a workflow still running', found.orphaned],
    ['Lost wake-ups', found.lostWakes],
    ['Dead-lettered stream records', found.deadLettered],
  ];
  const repairs: [string, number[]][] = [
    ['Restarted', repaired.restarted],
    ['Woken', repaired.woken],
    ['Stopped', repaired.stopped],
  ];
  return (
    <div class="job-report">
      <p>
        Scanned {scanned.openTickets} open ticket(s), {scanned.runningExecutions} running execution(s),{' '}
        {scanned.incidents} incident(s), {scanned.deadLetters} dead letter(s).
      </p>
      <p>
        <strong>
          {result.repairs === 0 ? 'Nothing needed repair.' : `Repaired ${result.repairs} ticket workflow(s).`}
        </strong>
      </p>
      <dl class="job-findings">
        <div>
          <dt>Found</dt>
          <dd>
            <ul>
              {findings.map(([what, numbers]) => (
                <li key={what}>
                  {what}: <Tickets numbers={numbers} />
                </li>
              ))}
              {found.unrecoverable.length > 0 && (
                <li>Dead-lettered batches naming no ticket: {found.unrecoverable.join(', ')}</li>
              )}
            </ul>
          </dd>
        </div>
        <div>
          <dt>Repaired</dt>
          <dd>
            <ul>
              {repairs.map(([what, numbers]) => (
                <li key={what} data-repair={what.toLowerCase()}>
                  {what}: <Tickets numbers={numbers} />
                </li>
              ))}
              <li>Incidents resolved: {repaired.incidentsResolved}</li>
            </ul>
          </dd>
        </div>
      </dl>
      {result.repairs > 0 && (
        <p class="hint">Each repair is on its ticket's timeline as an operator action.</p>
      )}
    </div>
  );
};

const RedriveReport = ({ result }: { result: RedriveResult }) => (
  <div class="job-report">
    <p>
      <strong>
        Redrove {result.redriven.length} of {result.matched} workflow(s)
      </strong>
      {result.redriven.length > 0 && (
        <>
          : <Tickets numbers={result.redriven} />
        </>
      )}
      .
    </p>
    {result.refused.length > 0 && (
      <>
        <p>Refused — restart these instead, from the list:</p>
        <ul>
          {result.refused.map((refusal) => (
            <li key={refusal.ticket}>
              <a href={`/ops/tickets/${refusal.ticket}/workflow`}>#{refusal.ticket}</a>: {refusal.reason}
            </li>
          ))}
        </ul>
      </>
    )}
  </div>
);

const isReconcile = (job: Job, result: NonNullable<Job['result']>): result is ReconcileResult =>
  job.kind === 'reconcile' && 'repaired' in result;

export const JobProgress = ({ requested, onDone }: { requested: Job; onDone?: (job: Job) => void }) => {
  const [job, setJob] = useState(requested);
  const [phases, setPhases] = useState<string[]>([requested.progress.phase]);
  const [error, setError] = useState<ProblemError>();
  const [attempt, setAttempt] = useState(0);
  const done = useRef(onDone);
  done.current = onDone;

  useEffect(() => {
    if (ended(job)) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (count: number) => {
      try {
        const next = (await api.get<Job>(`/ops/jobs/${encodeURIComponent(requested.id)}`)).data;
        if (stopped) return;
        setJob(next);
        setPhases((seen) => (seen.at(-1) === next.progress.phase ? seen : [...seen, next.progress.phase]));
        if (ended(next)) done.current?.(next);
        else timer = setTimeout(() => void poll(count + 1), POLL_MS[Math.min(count, POLL_MS.length - 1)]);
      } catch (failure) {
        if (!stopped)
          setError(
            failure instanceof ProblemError
              ? failure
              : new ProblemError(0, 'Something went wrong', String(failure)),
          );
      }
    };
    timer = setTimeout(() => void poll(1), POLL_MS[0]);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [requested.id, attempt]);

  const what = WHAT[job.kind];
  const running = !ended(job);
  return (
    <section class="card job" data-job-status={job.status} aria-labelledby={`job-${job.id}`}>
      <h3 id={`job-${job.id}`}>
        {what} <span class="hint">{job.id}</span>
      </h3>
      <div role="status" aria-live="polite" class="job-status">
        {running ? (
          <p>
            <span class="spinner" aria-hidden="true" /> {job.status === 'queued' ? 'Queued' : 'Running'}:{' '}
            {job.progress.phase}
            {job.progress.done > 0 ? ` (${job.progress.done} done)` : ''}…
          </p>
        ) : job.status === 'succeeded' ? (
          <p>
            <span class="badge ok">done</span> {what} finished {formatInstant(job.finishedAt)}
            {job.progress.done > 0 ? `, ${job.progress.done} handled` : ''}.
          </p>
        ) : (
          <p>
            <span class="badge breached">failed</span> {what} failed: {job.error ?? 'no reason recorded'}.
            What it did so far stays done; run it again, and if it fails again see the runbook.
          </p>
        )}
      </div>
      {running && <progress aria-label={`${what} progress`} />}
      {phases.length > 1 && (
        <details class="job-phases">
          <summary>Progress so far ({phases.length} steps)</summary>
          <ol>
            {phases.map((phase, index) => (
              <li key={`${index}-${phase}`}>{phase}</li>
            ))}
          </ol>
        </details>
      )}
      {error && (
        <ErrorNotice
          error={error}
          retry={() => {
            setError(undefined);
            setAttempt((value) => value + 1);
          }}
        />
      )}
      {job.status === 'succeeded' &&
        job.result &&
        (isReconcile(job, job.result) ? (
          <ReconcileReport result={job.result} />
        ) : (
          <RedriveReport result={job.result as RedriveResult} />
        ))}
    </section>
  );
};
