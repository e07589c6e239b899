import type { TicketView } from '../../api/types.ts';

/** How the portal names a ticket's status to the person who asked: words, colour only as a second signal. */

type Status = TicketView['status'];

export const STATUS_LABEL: Record<Status, string> = {
  new: 'New',
  open: 'Being worked on',
  pending: 'Waiting for you',
  on_hold: 'With a supplier',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const StatusBadge = ({ status }: { status: Status }) => (
  <span class={`badge ticket-status status-${status}`} data-status={status}>
    {STATUS_LABEL[status]}
  </span>
);

/** The portal's three lists: still open (with the desk or with you), resolved, closed. */
export type StatusGroup = 'open' | 'resolved' | 'closed';

export const groupOf = (status: Status): StatusGroup =>
  status === 'resolved' || status === 'closed' ? status : 'open';
