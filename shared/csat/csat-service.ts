import { type CsatInput, recordCsat, requireRequester } from '#shared/domain/csat';
import { ConflictError, NotFoundError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';
import type { Ticket } from '#shared/domain/ticket';
import type { TicketDeps } from '#shared/tickets/ticket-service';
import { visibleTicket } from '#shared/tickets/ticket-service';
import {
  type CsatKeyring,
  checkSurveyToken,
  SURVEY_LINK_TTL_MS,
  signSurveyToken,
  surveyTicketOf,
} from './survey-link.ts';

/**
 * The satisfaction survey's use cases: the signed link (read the page, answer), the mail reply
 * to the survey, and the signed-in answer. Each records through the same rule (`recordCsat`):
 * one answer per ticket, replaced within 7 days of the first, refused after.
 */

export interface CsatDeps {
  tickets: Pick<TicketDeps, 'store' | 'clock'>;
  keyring: CsatKeyring;
}

const GONE = 'This survey link is not valid: it may be incomplete, or it expired.';

/** The link in the survey mail: signed for the ticket's requester, valid 14 days after closing. */
export const surveyToken = (
  keyring: CsatKeyring,
  ticket: Pick<Ticket, 'number' | 'requester' | 'closedAt' | 'updatedAt'>,
) =>
  signSurveyToken(
    keyring,
    ticket.number,
    ticket.requester,
    new Date(Date.parse(ticket.closedAt ?? ticket.updatedAt) + SURVEY_LINK_TTL_MS),
  );

/**
 * The ticket a link answers for, once its token checked out: 404 for a malformed or forged
 * token or a ticket that does not exist (a guesser learns nothing), 410 when it expired.
 */
const ticketOfLink = async (deps: CsatDeps, token: string): Promise<Ticket> => {
  const number = surveyTicketOf(token);
  const ticket = number === undefined ? undefined : await deps.tickets.store.getTicket(number);
  if (!ticket) throw new NotFoundError(GONE);
  const check = await checkSurveyToken(deps.keyring, token, ticket.requester, deps.tickets.clock.now());
  if (check === 'expired') throw new ConflictError('This survey link expired; thank you all the same.');
  if (check !== 'valid') throw new NotFoundError(GONE);
  return ticket;
};

/** What the survey page shows (GET: reads only, since mail scanners follow links). */
export const surveyPage = async (deps: CsatDeps, token: string) => {
  const ticket = await ticketOfLink(deps, token);
  return { number: ticket.number, subject: ticket.subject, answer: ticket.csat };
};

const record = async (deps: Pick<CsatDeps, 'tickets'>, number: number, by: string, input: CsatInput) => {
  const { ticket } = await deps.tickets.store.mutateTicket(number, (current) =>
    recordCsat(current, by, input, deps.tickets.clock.now()),
  );
  return ticket;
};

export const answerByLink = async (deps: CsatDeps, token: string, answer: Omit<CsatInput, 'channel'>) => {
  const ticket = await ticketOfLink(deps, token);
  return record(deps, ticket.number, ticket.requester, { ...answer, channel: 'link' });
};

export const answerSignedIn = async (
  deps: CsatDeps & { tickets: TicketDeps },
  principal: Principal,
  number: number,
  answer: Omit<CsatInput, 'channel'>,
) => {
  const ticket = await visibleTicket(deps.tickets, principal, number);
  requireRequester(principal, ticket);
  return record(deps, number, principal.id, { ...answer, channel: 'portal' });
};

/** A mail reply to the survey, from the ticket's requester (the intake checked who wrote). */
export const answerByMail = async (
  deps: Pick<CsatDeps, 'tickets'>,
  number: number,
  from: string,
  answer: Omit<CsatInput, 'channel'>,
) => {
  const ticket = await deps.tickets.store.getTicket(number);
  if (!ticket || ticket.requester !== from)
    throw new ConflictError(`Only the requester of #${number} answers its survey.`);
  return record(deps, number, from, { ...answer, channel: 'mail' });
};
