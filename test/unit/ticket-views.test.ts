import { describe, expect, it } from 'vitest';
import type { Ticket } from '#shared/domain/ticket';
import { requesterTicketView, ticketView, ticketViewFor } from '#shared/http/views';
import { everyFieldTicket, type Person, people } from '#test/support/fixtures';

/**
 * The ticket as each caller sees it: one table of field × role. The requester and the watchers
 * see what they wrote and what their (public) timeline tells them; triage, routing, the desk's
 * people and its knowledge-base drafts are the desk's.
 */

/** alice requested it, carol watches it, at Tier 1; every field a ticket can carry is set. */
const ticket: Ticket = everyFieldTicket();

/** Who reads: the requester, a watcher, an agent of the tier, a supervisor. */
const readers = ['alice', 'carol', 't1', 'sup'] as const satisfies readonly Person[];
type Reader = (typeof readers)[number];
const R = { alice: true, carol: true, t1: true, sup: true };
const DESK = { alice: false, carol: false, t1: true, sup: true };

const FIELDS: [string, Record<Reader, boolean>][] = [
  ['number', R],
  ['subject', R],
  ['description', R],
  ['requester', R],
  ['channel', R],
  ['status', R],
  ['watchers', R],
  ['pendingReason', R],
  ['resolution', R],
  ['resolvedAt', R],
  ['closedAt', R],
  ['closeReason', R],
  ['mergedInto', R],
  // The requester's own satisfaction answer (public on the timeline too).
  ['csat', R],
  ['createdAt', R],
  ['updatedAt', R],
  ['version', R],
  // Triage after filing belongs to the desk (its field changes are internal on the timeline).
  ['impact', DESK],
  ['urgency', DESK],
  ['priority', DESK],
  ['category', DESK],
  ['tags', DESK],
  // Routing, the desk's people and deadlines, the vendor, the desk's articles (drafts included).
  ['tier', DESK],
  ['group', DESK],
  ['assignee', DESK],
  ['dueAt', DESK],
  ['vendorId', DESK],
  ['linkedArticles', DESK],
  // Storage only: nobody.
  ['priorityOverridden', { alice: false, carol: false, t1: false, sup: false }],
  ['createdBy', { alice: false, carol: false, t1: false, sup: false }],
  ['clocks', { alice: false, carol: false, t1: false, sup: false }],
];

describe('Function: ticketViewFor', () => {
  const cells = FIELDS.flatMap(([field, shown]) =>
    readers.map((reader) => [field, reader, shown[reader]] as const),
  );
  it.each(cells)('%s shown to %s: %s', (field, reader, shown) => {
    expect(Object.hasOwn(ticketViewFor(people[reader], ticket), field)).toBe(shown);
  });

  it('covers every field of both views', () => {
    const listed = FIELDS.map(([field]) => field);
    const named = [...Object.keys(ticketView(ticket)), ...Object.keys(requesterTicketView(ticket))].filter(
      (field) => field !== 'view',
    );
    expect(listed).toEqual(expect.arrayContaining(named));
  });

  it.each([
    ['alice', 'requester'],
    ['carol', 'requester'],
    ['t1', 'desk'],
    ['sup', 'desk'],
  ] as const)('tells %s which view it is: %s', (reader, view) => {
    expect(ticketViewFor(people[reader], ticket).view).toBe(view);
  });

  it("gives an agent the requester's view of their own (or a watched) ticket at a tier they do not work", () => {
    const own = { ...ticket, requester: 't1@example.com', tier: 2 as const };
    expect(ticketViewFor(people.t1, own)).not.toHaveProperty('tier');
    expect(ticketViewFor(people.t1, { ...ticket, tier: 2, watchers: ['t1@example.com'] })).not.toHaveProperty(
      'tier',
    );
    expect(ticketViewFor(people.t1, { ...own, tier: 1 })).toHaveProperty('tier', 1);
  });

  it('keeps the desk view for the agent whose escalation moved the ticket beyond their tiers', () => {
    expect(ticketViewFor(people.t1, { ...ticket, tier: 2 })).toMatchObject({ view: 'desk', tier: 2 });
  });
});
