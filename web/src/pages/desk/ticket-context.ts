import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiAnswer } from '../../api/client.ts';
import type { TicketView } from '../../api/types.ts';
import type { Session } from '../../auth/session.ts';
import type { Ticket } from './ticket-contracts.ts';

/** What the ticket page's parts share: the ticket as loaded, who works it, and how to change it. */
export interface TicketContextValue {
  number: number;
  /** The ticket as this page loaded it (its `version` is what If-Match sends). */
  ticket: Ticket;
  me: Session;
  /** Someone else changed the ticket since it was loaded: sending asks first. */
  stale: boolean;
  /** Loads the ticket, its timeline and clocks again. */
  reload(): Promise<void>;
  /** One's own change, answered with the changed ticket: the page takes it and says `message`. */
  changed(answer: ApiAnswer<TicketView>, message: string): void;
  /** One's own comment was written: the page looks at the ticket again and says `message`. */
  commented(message: string): void;
}

export const TicketContext = createContext<TicketContextValue | undefined>(undefined);

export const useTicket = (): TicketContextValue => {
  const value = useContext(TicketContext);
  if (!value) throw new Error('useTicket outside the ticket page');
  return value;
};

/** If-Match for the version the page holds. */
export const ifMatchOf = (ticket: Pick<Ticket, 'version'>): string => `"${ticket.version}"`;
