import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso/router';
import { serverNow } from '../../api/client.ts';
import { useSession } from '../../session-context.ts';
import { formatDuration } from '../../ui/format.ts';
import { ErrorNotice, Loading, Page } from '../../ui/status.tsx';
import { useApi } from '../../ui/use-api.ts';
import type { TicketExecutions, WorkflowStep, WorkflowView } from './ops-types.ts';
import { ExecutionStatus, formatInstant, isStopped, operates, readsTickets } from './ops-ui.tsx';
import { GraphLegend, type GraphMarks, WorkflowGraphPicture } from './workflow-graph.tsx';

/**
 * `/ops/tickets/:number/workflow`: a ticket's workflow as a picture — the state machine the desk
 * deploys, with the state the execution is in, the states it went through and the one that
 * failed — and its steps as a timeline (entered, left, how, and for operators the error and its
 * cause). Agents of the ticket, ops, supervisors, admins; refreshed while it is open.
 */

const REFRESH_MS = 10_000;
/** Steps shown at first: the newest ones; a long-lived ticket has thousands. */
const RECENT_STEPS = 50;

type Incident = TicketExecutions['incidents'][number];

/** The picture's marks, read from the steps: what was visited, what failed, which transitions were taken. */
const marksOf = (view: WorkflowView): GraphMarks => {
  const { graph, steps } = view;
  const edges = new Set(graph.edges.map((edge) => `${edge.from}→${edge.to}`));
  const visited = new Set(steps.map((step) => step.state));
  const failed = new Set(steps.filter((step) => step.outcome === 'failed').map((step) => step.state));
  if (isStopped(view.execution?.status) && view.currentState) failed.add(view.currentState);
  const taken = new Set<string>();
  // The view leaves the Route choice out of the steps: a step to a state Route leads to went through it.
  for (let index = 1; index < steps.length; index++) {
    const from = steps[index - 1]?.state ?? '';
    const to = steps[index]?.state ?? '';
    if (edges.has(`${from}→${to}`)) taken.add(`${from}→${to}`);
    else if (edges.has(`${from}→Route`) && edges.has(`Route→${to}`)) {
      taken.add(`${from}→Route`).add(`Route→${to}`);
      visited.add('Route');
    }
  }
  return { current: view.currentState, visited, failed, taken };
};

const summaryOf = (number: number, view: WorkflowView, marks: GraphMarks): string => {
  const parts = [
    `The state machine of ticket #${number}'s workflow: ${view.graph.states.length} states.`,
    view.currentState
      ? `${view.execution && isStopped(view.execution.status) ? 'Stopped in' : view.execution?.status === 'RUNNING' ? 'Now in' : 'Ended in'} ${view.currentState}.`
      : 'Not started yet.',
    marks.visited.size ? `Visited: ${[...marks.visited].join(', ')}.` : '',
    marks.failed.size ? `Failed: ${[...marks.failed].join(', ')}.` : '',
    'The steps below list the same in order.',
  ];
  return parts.filter(Boolean).join(' ');
};

const OUTCOME_WORDS: Record<NonNullable<WorkflowStep['outcome']>, string> = {
  woken: 'woken by a change',
  'clock event due': 'its clock event fell due',
  failed: 'failed',
};

const Steps = ({
  view,
  incidents,
}: {
  view: WorkflowView;
  /** The ticket's incidents (operators only): the error and cause of a failed step. */
  incidents: readonly Incident[];
}) => {
  const [all, setAll] = useState(false);
  const { steps, execution } = view;
  if (steps.length === 0)
    return <p>No steps yet: the workflow starts moments after the ticket is created.</p>;
  const first = all ? 0 : Math.max(0, steps.length - RECENT_STEPS);
  const stopped = isStopped(execution?.status);
  const incidentOf = (state: string) =>
    incidents.find(
      (incident) =>
        incident.failedState === state &&
        (!execution || !incident.execution || incident.execution === execution.name),
    );
  return (
    <>
      {first > 0 && (
        <p class="hint">
          The newest {steps.length - first} of {steps.length} steps.{' '}
          <button type="button" class="link" onClick={() => setAll(true)}>
            Show all {steps.length} steps
          </button>
        </p>
      )}
      <ol class="timeline wf-steps" start={first + 1} aria-label="Steps of the workflow, oldest first">
        {steps.slice(first).map((step, offset) => {
          const index = first + offset;
          const next = steps[index + 1];
          const last = index === steps.length - 1;
          const exited = next?.at ?? (last ? execution?.stoppedAt : undefined);
          const failedHere = step.outcome === 'failed' || (last && stopped);
          const incident = failedHere ? incidentOf(step.state) : undefined;
          const running = last && execution?.status === 'RUNNING';
          return (
            <li
              key={`${step.at}-${index}`}
              class={`wf-step${failedHere ? ' failed' : ''}${running ? ' current' : ''}`}
              data-state-name={step.state}
            >
              <p class="wf-step-title">
                <strong>{step.state}</strong> — {step.step}
                {running && <span class="badge ok"> now</span>}
                {failedHere && (
                  <span class="badge breached">{last && stopped ? 'stopped here' : 'failed'}</span>
                )}
              </p>
              <p class="meta">
                Entered <time dateTime={step.at}>{formatInstant(step.at)}</time>
                {exited ? (
                  <>
                    {' · left '}
                    <time dateTime={exited}>{formatInstant(exited)}</time> (after{' '}
                    {formatDuration(Date.parse(exited) - Date.parse(step.at))})
                  </>
                ) : running ? (
                  ` · for ${formatDuration(serverNow() - Date.parse(step.at))} so far`
                ) : null}
                {step.outcome && step.outcome !== 'failed' ? ` · ${OUTCOME_WORDS[step.outcome]}` : ''}
              </p>
              {incident && (incident.error || incident.cause) && (
                <p class="wf-error">
                  <strong>{incident.error ?? 'Error'}</strong>
                  {incident.cause ? `: ${incident.cause}` : ''}
                </p>
              )}
            </li>
          );
        })}
      </ol>
    </>
  );
};

const Clocks = ({ clocks }: { clocks: WorkflowView['clocks'] }) =>
  clocks.length === 0 ? (
    <p>No clocks: the SLA policy is pinned at triage.</p>
  ) : (
    <table class="responsive">
      <caption class="visually-hidden">The ticket's clocks</caption>
      <thead>
        <tr>
          <th scope="col">Clock</th>
          <th scope="col">Status</th>
          <th scope="col">Target</th>
          <th scope="col">Elapsed</th>
          <th scope="col">Deadline</th>
        </tr>
      </thead>
      <tbody>
        {clocks.map((clock) => (
          <tr key={clock.key}>
            <td data-label="Clock">
              {clock.clock.replace(/_/g, ' ')}
              {clock.tier !== undefined ? ` (Tier ${clock.tier})` : ''}
            </td>
            <td data-label="Status">
              <span
                class={`badge ${clock.status === 'breached' ? 'breached' : clock.status === 'met' ? 'ok' : ''}`}
              >
                {clock.status}
              </span>
            </td>
            <td data-label="Target">{formatDuration(clock.target)}</td>
            <td data-label="Elapsed">{formatDuration(clock.elapsed)}</td>
            <td data-label="Deadline">{clock.deadline ? formatInstant(clock.deadline) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

const Generations = ({ executions }: { executions: TicketExecutions }) => (
  <>
    <table class="responsive">
      <caption class="visually-hidden">Generations of the workflow, oldest first</caption>
      <thead>
        <tr>
          <th scope="col">Execution</th>
          <th scope="col">Status</th>
          <th scope="col">State</th>
          <th scope="col">Started</th>
          <th scope="col">Stopped</th>
          <th scope="col">Redrives</th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        {executions.executions.map((execution) => (
          <tr key={execution.name}>
            <td data-label="Execution">{execution.name}</td>
            <td data-label="Status">
              <ExecutionStatus status={execution.status} />
            </td>
            <td data-label="State">{execution.currentState ?? '—'}</td>
            <td data-label="Started">{formatInstant(execution.startedAt)}</td>
            <td data-label="Stopped">{formatInstant(execution.stoppedAt)}</td>
            <td data-label="Redrives">{execution.redriveCount}</td>
            <td data-label="Error" class="wf-cause">
              {[execution.error, execution.cause].filter(Boolean).join(': ') || '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    {executions.incidents.length > 0 && (
      <>
        <h3>Incidents</h3>
        <ul class="wf-incidents">
          {executions.incidents.map((incident) => (
            <li key={`${incident.execution}-${incident.stoppedAt}`}>
              <ExecutionStatus status={incident.status} /> {incident.execution ?? ''} in{' '}
              {incident.failedState ?? 'an unknown state'}, {formatInstant(incident.stoppedAt)}:{' '}
              {[incident.error, incident.cause].filter(Boolean).join(': ') || 'no cause recorded'} —{' '}
              {incident.resolved
                ? `${incident.resolved.action} by ${incident.resolved.by}, ${formatInstant(incident.resolved.at)}`
                : 'open'}
            </li>
          ))}
        </ul>
      </>
    )}
  </>
);

export default function WorkflowPage() {
  const { params } = useRoute();
  const { session } = useSession();
  const number = Number(params.number);
  const valid = Number.isInteger(number) && number > 0;
  const operator = operates(session?.role);
  const view = useApi<WorkflowView>(valid ? `/tickets/${number}/workflow` : undefined, {
    refreshMs: REFRESH_MS,
  });
  const executions = useApi<TicketExecutions>(valid && operator ? `/ops/executions/${number}` : undefined, {
    refreshMs: REFRESH_MS,
  });
  const title = `Workflow of ticket #${valid ? number : params.number}`;
  const links = (
    <>
      {valid && readsTickets(session?.role) && (
        <a class="button" href={`/tickets/${number}`}>
          Open ticket #{number}
        </a>
      )}
      {operator && (
        <a class="button" href="/ops/executions">
          Failed workflows
        </a>
      )}
    </>
  );
  if (!valid)
    return (
      <Page title={title}>
        <p role="alert">There is no ticket #{params.number}.</p>
      </Page>
    );
  if (view.error)
    return (
      <Page title={title} actions={links}>
        <ErrorNotice error={view.error} retry={() => void view.reload()} />
      </Page>
    );
  if (!view.data)
    return (
      <Page title={title} actions={links}>
        <Loading what={`Loading the workflow of ticket #${number}`} />
      </Page>
    );
  const data = view.data;
  const marks = marksOf(data);
  const execution = data.execution;
  return (
    <Page title={title} actions={links}>
      <section class="card wf-summary" aria-labelledby="wf-summary-title">
        <h2 id="wf-summary-title" class="visually-hidden">
          Execution
        </h2>
        {execution ? (
          <dl class="wf-facts">
            <div>
              <dt>Execution</dt>
              <dd>{execution.name}</dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>
                <ExecutionStatus status={execution.status} />
              </dd>
            </div>
            <div>
              <dt>
                {execution.status === 'RUNNING'
                  ? 'Now in'
                  : isStopped(execution.status)
                    ? 'Stopped in'
                    : 'Ended in'}
              </dt>
              <dd data-testid="current-state">{data.currentState ?? '—'}</dd>
            </div>
            {data.phase && (
              <div>
                <dt>Waits in phase</dt>
                <dd>{data.phase.replace(/_/g, ' ')}</dd>
              </div>
            )}
            {data.nextClockEvent && (
              <div>
                <dt>Next clock event</dt>
                <dd>
                  {data.nextClockEvent.kind.replace(/_/g, ' ')}
                  {data.nextClockEvent.clock ? ` (${data.nextClockEvent.clock.replace(/_/g, ' ')})` : ''},{' '}
                  {formatInstant(data.nextClockEvent.at)}
                </dd>
              </div>
            )}
            <div>
              <dt>Started</dt>
              <dd>{formatInstant(execution.startedAt)}</dd>
            </div>
            {execution.stoppedAt && (
              <div>
                <dt>Stopped</dt>
                <dd>{formatInstant(execution.stoppedAt)}</dd>
              </div>
            )}
          </dl>
        ) : (
          <p>The workflow has not started yet: it starts moments after the ticket is created.</p>
        )}
        {executions.error && <ErrorNotice error={executions.error} retry={() => void executions.reload()} />}
      </section>

      <section aria-labelledby="wf-graph-title">
        <h2 id="wf-graph-title">State machine</h2>
        <WorkflowGraphPicture graph={data.graph} marks={marks} summary={summaryOf(number, data, marks)} />
        <GraphLegend />
      </section>

      <section aria-labelledby="wf-steps-title">
        <h2 id="wf-steps-title">Steps</h2>
        <Steps view={data} incidents={executions.data?.incidents ?? []} />
      </section>
      <section aria-labelledby="wf-clocks-title">
        <h2 id="wf-clocks-title">Clocks</h2>
        <Clocks clocks={data.clocks} />
      </section>

      {operator && (
        <section aria-labelledby="wf-generations-title">
          <h2 id="wf-generations-title">Generations</h2>
          {executions.data ? (
            <Generations executions={executions.data} />
          ) : (
            !executions.error && <Loading what="Loading the generations" />
          )}
        </section>
      )}
    </Page>
  );
}
