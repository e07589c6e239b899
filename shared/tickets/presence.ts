import { NotFoundError } from '#shared/domain/errors';
import { isStaffFor } from '#shared/domain/policy';
import { PRESENCE_TTL_SECONDS, type PresenceState } from '#shared/domain/presence';
import type { Principal } from '#shared/domain/principal';
import type { TicketDeps } from './ticket-service.ts';
import type { PresenceEntry } from './ticket-store.ts';

/**
 * Collision detection: who of the desk has a ticket open in the console, and who is writing a
 * reply. The console sends a heartbeat every ~15 s; an entry not renewed within
 * {@link PRESENCE_TTL_SECONDS} is gone. DynamoDB's TTL deletes late (hours, even days), so expiry
 * is decided here, on read, by the desk's clock: an expired entry is never answered.
 *
 * Presence items sit beside the ticket and change nothing of it: the ticket's version stays, so
 * no workflow wakes, no mail goes out and no report counts (their stream filters and readers
 * take tickets and timeline events only).
 */

export interface TicketPresence {
  /** The ticket's current version: the console shows "this ticket changed" when it moves. */
  ticketVersion: number;
  /** Everyone on the ticket now, the caller included, longest there first. */
  items: PresenceEntry[];
}

/** The desk's view of a ticket's presence is for its staff: anyone else is told there is no such ticket. */
const readPresence = async ({ store }: TicketDeps, principal: Principal, number: number) => {
  const found = await store.presence(number);
  if (!found || !isStaffFor(principal, found.ticket))
    throw new NotFoundError(`Ticket #${number} was not found.`);
  return found;
};

const current = (entries: readonly PresenceEntry[], now: Date): PresenceEntry[] =>
  entries
    .filter((entry) => Date.parse(entry.expiresAt) > now.getTime())
    .sort((a, b) => a.since.localeCompare(b.since) || a.email.localeCompare(b.email));

export const ticketPresence = async (
  deps: TicketDeps,
  principal: Principal,
  number: number,
): Promise<TicketPresence> => {
  const { ticket, entries } = await readPresence(deps, principal, number);
  return { ticketVersion: ticket.version, items: current(entries, deps.clock.now()) };
};

/**
 * A heartbeat: keeps the caller's entry for another {@link PRESENCE_TTL_SECONDS} and answers with
 * everyone on the ticket, so one request both tells and asks. `since` stays while the state does.
 */
export const announcePresence = async (
  deps: TicketDeps,
  principal: Principal,
  number: number,
  state: PresenceState,
): Promise<TicketPresence> => {
  const { ticket, entries } = await readPresence(deps, principal, number);
  const now = deps.clock.now();
  const others = current(entries, now).filter((entry) => entry.email !== principal.id);
  const mine = current(entries, now).find((entry) => entry.email === principal.id);
  // The name is read from the directory once, when the entry starts; heartbeats carry it on.
  const name = mine ? mine.name : (await deps.directory.getUser(principal.id))?.name;
  const entry: PresenceEntry = {
    email: principal.id,
    ...(name && { name }),
    state,
    since: mine?.state === state ? mine.since : now.toISOString(),
    expiresAt: new Date(now.getTime() + PRESENCE_TTL_SECONDS * 1000).toISOString(),
  };
  await deps.store.putPresence(number, entry);
  return { ticketVersion: ticket.version, items: current([...others, entry], now) };
};

/** Leaving the ticket's page: the entry goes at once rather than after its time. */
export const leavePresence = async (
  deps: TicketDeps,
  principal: Principal,
  number: number,
): Promise<void> => {
  await readPresence(deps, principal, number);
  await deps.store.removePresence(number, principal.id);
};
