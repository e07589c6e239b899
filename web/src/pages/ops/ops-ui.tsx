import type { Role } from '../../api/types.ts';

/** Small pieces the ops pages share: who operates, execution status badges, times to the second. */

/** Operating the ticket workflows (list, redrive, restart, reconcile): the API's `canOperate`. */
export const operates = (role: Role | undefined): boolean =>
  role === 'ops' || role === 'supervisor' || role === 'admin';

/** On-call ops operate the workflows but read no tickets: no link to a ticket page for them. */
export const readsTickets = (role: Role | undefined): boolean => role !== undefined && role !== 'ops';

const STOPPED = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

export const isStopped = (status: string | undefined): boolean => status !== undefined && STOPPED.has(status);

const STATUS_WORDS: Record<string, string> = {
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  TIMED_OUT: 'timed out',
  ABORTED: 'aborted',
  PENDING_REDRIVE: 'redrive pending',
};

/** An execution's status in words, coloured by how it ended (the words carry it without colour). */
export const ExecutionStatus = ({ status }: { status: string }) => (
  <span
    class={`badge ${isStopped(status) ? 'breached' : status === 'RUNNING' ? 'ok' : status === 'PENDING_REDRIVE' ? 'warning' : ''}`}
    data-status={status}
  >
    {STATUS_WORDS[status] ?? status.toLowerCase()}
  </span>
);

const precise = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A workflow step's instant, to the second (steps follow each other within seconds). */
export const formatInstant = (iso: string | undefined): string => (iso ? precise.format(new Date(iso)) : '—');
