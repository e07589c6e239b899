import lazy from 'preact-iso/lazy';
import { useRoute } from 'preact-iso/router';
import type { TicketView } from '../api/types.ts';
import { ErrorNotice, Loading, Page } from '../ui/status.tsx';
import { useApi } from '../ui/use-api.ts';

/**
 * `/tickets/:number`: one address per ticket for everyone (mails link here). The API decides the
 * view — the desk's for its staff, the requester's for its requester and watchers — and the page
 * that view calls for is loaded: a requester never downloads the agent workspace.
 */
const DeskTicket = lazy(() => import('./desk/ticket-view.tsx'));
const RequesterTicket = lazy(() => import('./portal/ticket-view.tsx'));

export default function Ticket() {
  const { params } = useRoute();
  const number = Number(params.number);
  const ticket = useApi<TicketView>(
    Number.isInteger(number) && number > 0 ? `/tickets/${number}` : undefined,
  );
  if (!(Number.isInteger(number) && number > 0)) {
    return (
      <Page title="No such ticket">
        <p role="alert">There is no ticket #{params.number}: ticket numbers are whole numbers.</p>
      </Page>
    );
  }
  if (ticket.error) {
    return (
      <Page title={`Ticket #${number}`}>
        <ErrorNotice error={ticket.error} retry={() => void ticket.reload()} />
      </Page>
    );
  }
  if (!ticket.data) return <Loading what={`Loading ticket #${number}`} />;
  return ticket.data.view === 'desk' ? (
    <DeskTicket number={number} initial={ticket.data} />
  ) : (
    <RequesterTicket number={number} initial={ticket.data} />
  );
}
