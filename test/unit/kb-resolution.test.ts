import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError } from '#shared/domain/errors';
import { resolve, resolveSelfServed } from '#shared/domain/lifecycle';
import { people, storedTicket } from '#test/support/fixtures';

/** The two ways a ticket meets the knowledge base when it is resolved: self-served, and a documented fix. */

const at = new Date('2026-11-20T15:00:00.000Z');
const article = { id: 'kb-vpn-connect', title: 'Connect to the VPN' };

describe('Module: lifecycle (knowledge base)', () => {
  describe('Function: resolveSelfServed', () => {
    it('resolves the requester’s ticket with the article: public resolution, data and link', () => {
      const { ticket, events } = resolveSelfServed(
        storedTicket({ status: 'open' }),
        people.alice,
        article,
        at,
      );
      expect(ticket).toMatchObject({
        status: 'resolved',
        resolvedAt: at.toISOString(),
        resolution: 'Solved with the article "Connect to the VPN" (kb-vpn-connect).',
        linkedArticles: ['kb-vpn-connect'],
      });
      expect(events).toEqual([
        expect.objectContaining({
          type: 'resolved',
          actor: 'alice@example.com',
          public: true,
          data: { resolution: ticket.resolution, selfServed: true, articleId: 'kb-vpn-connect' },
        }),
        expect.objectContaining({
          type: 'updated',
          public: true,
          changes: [{ field: 'linkedArticles', from: [], to: ['kb-vpn-connect'] }],
        }),
      ]);
    });

    it.each(['bob', 't1', 'sup'] as const)('refuses %s, who is not the requester: 403', (person) => {
      const ticket = storedTicket({ status: 'open', watchers: ['bob@example.com'] });
      expect(() => resolveSelfServed(ticket, people[person], article, at)).toThrow(ForbiddenError);
    });

    it.each(['resolved', 'closed'] as const)('refuses a %s ticket: 409', (status) => {
      expect(() => resolveSelfServed(storedTicket({ status }), people.alice, article, at)).toThrow(
        ConflictError,
      );
    });
  });

  describe('Function: resolve (documentedIn)', () => {
    it('links the draft by an internal change, the resolution itself staying public', () => {
      const current = storedTicket({ status: 'open', linkedArticles: ['kb-older'] });
      const { ticket, events } = resolve(
        current,
        people.t3,
        { resolution: 'Re-enrolled the badge.', documentedIn: 'kb-badge' },
        at,
      );
      expect(ticket.linkedArticles).toEqual(['kb-older', 'kb-badge']);
      expect(events.map((event) => [event.type, event.public])).toEqual([
        ['resolved', true],
        ['updated', false],
      ]);
      expect(events[1]?.changes).toEqual([
        { field: 'linkedArticles', from: ['kb-older'], to: ['kb-older', 'kb-badge'] },
      ]);
    });

    it('links nothing without documentedIn', () => {
      const { ticket, events } = resolve(
        storedTicket({ status: 'open' }),
        people.t1,
        { resolution: 'Done.' },
        at,
      );
      expect(ticket.linkedArticles).toBeUndefined();
      expect(events.map((event) => event.type)).toEqual(['resolved']);
    });
  });
});
