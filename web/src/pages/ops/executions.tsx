import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, query, serverNow } from '../../api/client.ts';
import { ProblemError } from '../../api/problem.ts';
import { useSession } from '../../session-context.ts';
import { formatRelative } from '../../ui/format.ts';
import { ErrorNotice, Loading, Page } from '../../ui/status.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { JobProgress } from './job-progress.tsx';
import type {
  ExecutionItem,
  ExecutionPage,
  ExecutionStatusFilter,
  IncidentStatus,
  Job,
  OperatorActionResult,
} from './ops-types.ts';
import { ExecutionStatus, formatInstant, isStopped, readsTickets } from './ops-ui.tsx';

/**
 * `/ops/executions`: the ticket workflows that stopped — failed, timed out, aborted — with the
 * ticket, the error, its cause and when; redrive or restart one (confirmed; the desk audits every
 * operator action on the ticket's timeline), redrive all of a status as a job with its progress,
 * and the reconciliation followed to its report. The running ones are a filter away. Ops,
 * supervisors, admins.
 */

const PAGE_SIZE = 25;

// Spelled out for the select; the types keep the list true to the API's.
const STATUS_LABELS: Record<ExecutionStatusFilter, string> = {
  FAILED: 'Failed',
  TIMED_OUT: 'Timed out',
  ABORTED: 'Aborted',
  PENDING_REDRIVE: 'Redrive pending',
  RUNNING: 'Running',
};
const INCIDENT: Record<IncidentStatus, true> = { FAILED: true, TIMED_OUT: true, ABORTED: true };
const TIERS = ['0', '1', '2', '3', '4'];

const isStatus = (value: string | undefined): value is ExecutionStatusFilter =>
  value !== undefined && value in STATUS_LABELS;
const isIncident = (status: ExecutionStatusFilter): status is IncidentStatus => status in INCIDENT;

const asProblem = (error: unknown) =>
  error instanceof ProblemError ? error : new ProblemError(0, 'Something went wrong', String(error));

/** The list, a page at a time ("Load more" follows the cursor); `reload` starts again from the top. */
const useExecutions = (status: ExecutionStatusFilter, tier: string | undefined) => {
  const [state, setState] = useState<{
    items: ExecutionItem[];
    nextCursor?: string;
    loading: boolean;
    error?: ProblemError;
  }>({ items: [], loading: true });
  const current = useRef('');
  const load = useCallback(
    async (cursor?: string) => {
      const path = `/ops/executions${query({ status, tier, limit: PAGE_SIZE, cursor })}`;
      const key = `${status}|${tier ?? ''}`;
      current.current = key;
      setState((previous) => ({ ...previous, loading: true, error: undefined }));
      try {
        const page = (await api.get<ExecutionPage>(path)).data;
        if (current.current !== key) return;
        setState((previous) => ({
          items: cursor ? [...previous.items, ...page.items] : page.items,
          nextCursor: page.nextCursor,
          loading: false,
        }));
      } catch (error) {
        if (current.current === key)
          setState((previous) => ({ ...previous, loading: false, error: asProblem(error) }));
      }
    },
    [status, tier],
  );
  useEffect(() => {
    setState({ items: [], loading: true });
    void load();
  }, [load]);
  return { ...state, reload: () => load(), more: () => load(state.nextCursor) };
};

type Pending =
  | { kind: 'redrive' | 'restart'; item: ExecutionItem }
  | { kind: 'redrive-all'; status: IncidentStatus; tier?: string };

const Filters = ({ status, tier }: { status: ExecutionStatusFilter; tier?: string }) => {
  const { route } = useLocation();
  const go = (next: { status: string; tier?: string }) =>
    route(`/ops/executions${query({ status: next.status, tier: next.tier })}`);
  return (
    <form class="ops-filters" aria-label="Filter the workflows" onSubmit={(event) => event.preventDefault()}>
      <div>
        <label for="filter-status">Status</label>
        <select
          id="filter-status"
          value={status}
          onChange={(event) => go({ status: event.currentTarget.value, tier })}
        >
          {Object.entries(STATUS_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="filter-tier">Tier</label>
        <select
          id="filter-tier"
          value={tier ?? ''}
          onChange={(event) => go({ status, tier: event.currentTarget.value || undefined })}
        >
          <option value="">Every tier</option>
          {TIERS.map((value) => (
            <option key={value} value={value}>
              Tier {value}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
};

const Row = ({
  item,
  ticketLinks,
  onAction,
}: {
  item: ExecutionItem;
  ticketLinks: boolean;
  onAction(kind: 'redrive' | 'restart', item: ExecutionItem): void;
}) => {
  const stopped = isStopped(item.status);
  const when = item.stoppedAt ?? item.startedAt;
  return (
    <tr data-ticket={item.ticket}>
      <th scope="row" data-label="Ticket">
        {ticketLinks ? <a href={`/tickets/${item.ticket}`}>#{item.ticket}</a> : `#${item.ticket}`}
        <div>
          <a href={`/ops/tickets/${item.ticket}/workflow`} aria-label={`Workflow of ticket #${item.ticket}`}>
            Workflow
          </a>
        </div>
      </th>
      <td data-label="Tier">{item.tier}</td>
      <td data-label="Status">
        <ExecutionStatus status={item.status} />
        {item.redriveCount ? <div class="hint">redriven {item.redriveCount}×</div> : null}
      </td>
      <td data-label="State">{item.failedState ?? item.currentState ?? '—'}</td>
      <td data-label="Error" class="ops-error">
        {item.error ? <strong>{item.error}</strong> : '—'}
        {item.cause && <div class="ops-cause">{item.cause}</div>}
      </td>
      <td data-label={stopped ? 'Stopped' : 'Started'}>
        {when ? (
          <>
            <time dateTime={when}>{formatInstant(when)}</time>
            <div class="hint">{formatRelative(when, serverNow())}</div>
          </>
        ) : (
          '—'
        )}
      </td>
      <td data-label="Actions">
        {stopped ? (
          <div class="actions">
            <button
              type="button"
              onClick={() => onAction('redrive', item)}
              aria-label={`Redrive the workflow of ticket #${item.ticket}`}
            >
              Redrive
            </button>
            <button
              type="button"
              onClick={() => onAction('restart', item)}
              aria-label={`Restart the workflow of ticket #${item.ticket}`}
            >
              Restart
            </button>
          </div>
        ) : (
          '—'
        )}
      </td>
    </tr>
  );
};

const TIER_LABEL = (tier?: string) => (tier ? ` at Tier ${tier}` : '');

export default function Executions() {
  const { query: params } = useLocation();
  const { session } = useSession();
  const status: ExecutionStatusFilter = isStatus(params.status) ? params.status : 'FAILED';
  const tier = TIERS.includes(params.tier ?? '') ? params.tier : undefined;
  const list = useExecutions(status, tier);
  const [pending, setPending] = useState<Pending>();
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<ProblemError>();
  const [done, setDone] = useState<string>();
  const [jobs, setJobs] = useState<Job[]>([]);
  const [reconcileTier, setReconcileTier] = useState('');
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<ProblemError>();
  const doneRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  const ask = (next: Pending) => {
    setActionError(undefined);
    setPending(next);
  };

  const act = async (reason?: string) => {
    if (!pending) return;
    setBusy(true);
    setActionError(undefined);
    try {
      if (pending.kind === 'redrive-all') {
        const body = { status: pending.status, ...(pending.tier && { tier: Number(pending.tier) }) };
        const job = (await api.post<Job>('/ops/executions/redrive', body)).data;
        setJobs((previous) => [job, ...previous]);
        setDone(undefined);
      } else {
        const { item, kind } = pending;
        const result = (
          await api.post<OperatorActionResult & { previousStatus?: string }>(
            `/ops/executions/${item.ticket}/${kind}`,
            reason ? { reason } : {},
          )
        ).data;
        setDone(
          kind === 'redrive'
            ? `Redriven: ticket #${item.ticket}'s workflow ${result.execution} goes on from the state that failed.`
            : `Restarted: ticket #${item.ticket} has a new workflow, ${result.execution}, from the ticket as it is now.`,
        );
        void list.reload();
      }
      setPending(undefined);
    } catch (error) {
      setActionError(asProblem(error));
    } finally {
      setBusy(false);
    }
  };

  const reconcile = async () => {
    setStarting(true);
    setStartError(undefined);
    try {
      const job = (
        await api.post<Job>('/ops/reconcile', reconcileTier ? { tier: Number(reconcileTier) } : {})
      ).data;
      setJobs((previous) => [job, ...previous]);
    } catch (error) {
      setStartError(asProblem(error));
    } finally {
      setStarting(false);
    }
  };

  const ticketLinks = readsTickets(session?.role);
  const what = `${STATUS_LABELS[status].toLowerCase()} workflows${TIER_LABEL(tier)}`;

  return (
    <Page
      title="Workflows"
      actions={
        isIncident(status) && list.items.length > 0 ? (
          <button type="button" onClick={() => ask({ kind: 'redrive-all', status, tier })}>
            Redrive all {STATUS_LABELS[status].toLowerCase()}
            {TIER_LABEL(tier)}
          </button>
        ) : undefined
      }
    >
      <p class="hint">
        A stopped workflow no longer runs its ticket's SLA and OLA clocks. Fix the cause first, then redrive
        it (it goes on from the state that failed) or restart it (a new generation from the ticket as it is
        now). Every action is on the ticket's timeline.
      </p>
      <Filters status={status} tier={tier} />
      {done && (
        <p class="notice notice-info" role="status" tabIndex={-1} ref={doneRef}>
          {done}
        </p>
      )}
      <section aria-labelledby="executions-title">
        <h2 id="executions-title">
          {STATUS_LABELS[status]} workflows{TIER_LABEL(tier)}
        </h2>
        {jobs
          .filter((job) => job.kind === 'redrive')
          .map((job) => (
            <JobProgress key={job.id} requested={job} onDone={() => void list.reload()} />
          ))}
        {list.error && <ErrorNotice error={list.error} retry={() => void list.reload()} />}
        {list.items.length === 0 && list.loading && <Loading what={`Loading ${what}`} />}
        {list.items.length === 0 && !list.loading && !list.error && (
          <p class="ops-empty">
            No {what}.{isIncident(status) ? ' Nothing to redrive.' : ''}
          </p>
        )}
        {list.items.length > 0 && (
          <table class="responsive ops-executions">
            <caption class="visually-hidden">
              {STATUS_LABELS[status]} workflows{TIER_LABEL(tier)}, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Ticket</th>
                <th scope="col">Tier</th>
                <th scope="col">Status</th>
                <th scope="col">{status === 'RUNNING' ? 'Waits in' : 'Failed in'}</th>
                <th scope="col">Error and cause</th>
                <th scope="col">{isIncident(status) ? 'Stopped' : 'Started'}</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((item) => (
                <Row
                  key={`${item.ticket}-${item.execution ?? ''}`}
                  item={item}
                  ticketLinks={ticketLinks}
                  onAction={(kind, target) => ask({ kind, item: target })}
                />
              ))}
            </tbody>
          </table>
        )}
        {list.nextCursor && (
          <p>
            <button type="button" onClick={() => void list.more()} disabled={list.loading}>
              {list.loading ? 'Loading…' : 'Load more'}
            </button>
          </p>
        )}
      </section>

      <section class="card ops-reconcile" aria-labelledby="reconcile-title">
        <h2 id="reconcile-title">Reconciliation</h2>
        <p>
          Finds and repairs open tickets without a running workflow, closed ones with a workflow still
          running, lost wake-ups and dead-lettered stream records. It runs hourly on its own; every repair is
          safe to repeat.
        </p>
        <form
          class="ops-filters"
          onSubmit={(event) => {
            event.preventDefault();
            void reconcile();
          }}
        >
          <div>
            <label for="reconcile-tier">Tickets of</label>
            <select
              id="reconcile-tier"
              value={reconcileTier}
              onChange={(event) => setReconcileTier(event.currentTarget.value)}
            >
              <option value="">Every tier</option>
              {TIERS.map((value) => (
                <option key={value} value={value}>
                  Tier {value}
                </option>
              ))}
            </select>
          </div>
          <div class="ops-filter-action">
            <button type="submit" class="primary" disabled={starting}>
              {starting ? 'Starting…' : 'Start reconciliation'}
            </button>
          </div>
        </form>
        {startError && <ErrorNotice error={startError} retry={() => void reconcile()} />}
        {jobs
          .filter((job) => job.kind === 'reconcile')
          .map((job) => (
            <JobProgress key={job.id} requested={job} onDone={() => void list.reload()} />
          ))}
      </section>

      {pending && pending.kind !== 'redrive-all' && (
        <ConfirmDialog
          title={`${pending.kind === 'redrive' ? 'Redrive' : 'Restart'} the workflow of ticket #${pending.item.ticket}?`}
          confirmLabel={pending.kind === 'redrive' ? 'Redrive' : 'Restart'}
          busyLabel={pending.kind === 'redrive' ? 'Redriving…' : 'Restarting…'}
          reason
          busy={busy}
          error={actionError}
          alternative={
            pending.kind === 'redrive'
              ? { label: 'Restart instead', onClick: () => ask({ kind: 'restart', item: pending.item }) }
              : undefined
          }
          onConfirm={(reason) => void act(reason)}
          onCancel={() => setPending(undefined)}
        >
          {pending.kind === 'redrive' ? (
            <p>
              {pending.item.execution ?? 'The execution'} goes on from{' '}
              {pending.item.failedState
                ? `the state that failed, ${pending.item.failedState}`
                : 'where it stopped'}
              . Fix the cause first, or it fails again.
            </p>
          ) : (
            <p>
              A new generation of the workflow starts from the ticket as it is now. Use it when a redrive
              cannot serve: the redrive window passed, the state machine was changed, or no execution is left.
            </p>
          )}
        </ConfirmDialog>
      )}
      {pending?.kind === 'redrive-all' && (
        <ConfirmDialog
          title={`Redrive all ${STATUS_LABELS[pending.status].toLowerCase()} workflows${TIER_LABEL(pending.tier)}?`}
          confirmLabel="Redrive all"
          busyLabel="Starting…"
          busy={busy}
          error={actionError}
          onConfirm={() => void act()}
          onCancel={() => setPending(undefined)}
        >
          <p>
            Every open {STATUS_LABELS[pending.status].toLowerCase()} incident{TIER_LABEL(pending.tier)} is
            redriven from the state that failed, one after another, as a job: its progress is shown here.
            Those that cannot be redriven are listed at the end, to restart.
          </p>
        </ConfirmDialog>
      )}
    </Page>
  );
}
