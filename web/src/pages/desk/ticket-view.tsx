import type { TicketView } from '../../api/types.ts';
import { Page } from '../../ui/status.tsx';

/** TODO(console): the desk view of a ticket — being built. */
export default function TicketPage({ number }: { number: number; initial: TicketView }) {
  return (
    <Page title={`Ticket #${number}`}>
      <p>Not built yet.</p>
    </Page>
  );
}
