import { describe, expect, it } from 'vitest';
import {
  canComment,
  canFileOnBehalf,
  canManageUsers,
  canNameWatcher,
  canOperate,
  canReopen,
  canViewAssigned,
  canViewTicket,
  canWorkTier,
  joiningOnMerge,
  seesDeskView,
  tierReach,
  updatableFields,
} from '#shared/domain/policy';
import { principalFromGroups } from '#shared/domain/principal';
import type { Tier } from '#shared/domain/ticket-fields';
import { type Person, people } from '#test/support/fixtures';

/** alice requested it, carol watches it. */
const ticketAt = (tier: Tier) => ({ tier, requester: 'alice@example.com', watchers: ['carol@example.com'] });

describe('Module: policy', () => {
  describe('Function: canViewTicket', () => {
    // who × tier → may see the ticket
    const table: [Person, Tier, boolean][] = [
      ['alice', 1, true],
      ['alice', 3, true],
      ['carol', 2, true],
      ['bob', 1, false],
      ['t1', 1, true],
      ['t1', 2, false],
      ['t1', 4, false],
      ['t2', 1, true],
      ['t2', 2, true],
      ['t2', 3, false],
      ['t12', 2, true],
      ['t12', 3, false],
      ['t3', 1, true],
      ['t3', 3, true],
      ['t3', 4, true],
      ['sup', 4, true],
      ['admin', 2, true],
    ];
    it.each(table)('%s sees a Tier %i ticket: %s', (who, tier, expected) => {
      expect(canViewTicket(people[who], ticketAt(tier))).toBe(expected);
    });
  });

  describe('Function: canComment', () => {
    // who × tier × public → may comment
    const table: [Person, Tier, boolean, boolean][] = [
      ['alice', 1, true, true],
      ['alice', 1, false, false],
      ['carol', 1, true, true],
      ['carol', 1, false, false],
      ['bob', 1, true, false],
      ['t1', 1, false, true],
      ['t1', 2, true, false],
      ['t1', 2, false, false],
      ['t2', 2, false, true],
      ['sup', 3, false, true],
    ];
    it.each(table)('%s on a Tier %i ticket, public=%s: %s', (who, tier, isPublic, expected) => {
      expect(canComment(people[who], ticketAt(tier), { public: isPublic })).toBe(expected);
    });
  });

  describe('Function: canReopen', () => {
    // who × tier → may reopen (by the reopen action or by a reply); the window is the lifecycle's
    const table: [Person, Tier, boolean][] = [
      ['alice', 1, true],
      ['alice', 3, true],
      ['carol', 1, false],
      ['bob', 1, false],
      ['t1', 1, true],
      ['t1', 2, false],
      ['t2', 2, true],
      ['sup', 4, true],
    ];
    it.each(table)('%s reopens a Tier %i ticket: %s', (who, tier, expected) => {
      expect(canReopen(people[who], ticketAt(tier))).toBe(expected);
    });
  });

  describe('Function: canNameWatcher', () => {
    // who × address × the organization's domains → may name the address as a watcher
    const ORG = ['example.com', 'example.org'];
    const table: [Person, string, readonly string[], boolean][] = [
      ['alice', 'dan@example.com', ORG, true],
      ['alice', 'dan@example.org', ORG, true],
      ['alice', 'dan@sub.example.com', ORG, false],
      ['alice', 'dan@example.com.evil.test', ORG, false],
      ['alice', 'mallory@evil.test', ORG, false],
      ['alice', 'dan@example.com', [], false],
      ['carol', 'dan@example.com', ORG, true],
      ['t1', 'vendor@printco.test', ORG, true],
      ['sup', 'anyone@elsewhere.test', [], true],
    ];
    it.each(table)('%s names %s (org domains %j): %s', (who, address, domains, expected) => {
      expect(canNameWatcher(people[who], address, domains)).toBe(expected);
    });
  });

  describe('Function: seesDeskView', () => {
    // who × tier → the desk's view of the ticket (else the requester's)
    const table: [Person, Tier, boolean][] = [
      ['alice', 1, false],
      ['carol', 1, false],
      ['t1', 1, true],
      ['t1', 2, true],
      ['t3', 4, true],
      ['sup', 3, true],
    ];
    it.each(table)('%s on a Tier %i ticket: %s', (who, tier, expected) => {
      expect(seesDeskView(people[who], ticketAt(tier))).toBe(expected);
    });

    it("gives an agent the requester's view of a ticket above their tiers that they requested or watch", () => {
      expect(seesDeskView(people.t1, { tier: 2, requester: 't1@example.com', watchers: [] })).toBe(false);
      expect(
        seesDeskView(people.t1, { tier: 2, requester: 'x@example.com', watchers: ['t1@example.com'] }),
      ).toBe(false);
      expect(seesDeskView(people.t1, { tier: 1, requester: 't1@example.com', watchers: [] })).toBe(true);
    });
  });

  describe('Function: joiningOnMerge', () => {
    const target = { requester: 'alice@example.com', watchers: ['carol@example.com'] };
    // the duplicate's requester and watchers → who comes along as a watcher of the target
    const table: [string, string[], string[]][] = [
      ['bob@example.com', ['dan@example.com'], []],
      ['alice@example.com', ['dan@example.com', 'dan@example.com'], ['dan@example.com']],
      ['alice@example.com', ['carol@example.com', 'alice@example.com'], []],
    ];
    it.each(table)('a duplicate of %s watched by %j brings %j', (requester, watchers, expected) => {
      expect(joiningOnMerge({ requester, watchers }, target)).toEqual(expected);
    });
  });

  describe('Function: updatableFields', () => {
    const table: [Person, Tier, string[]][] = [
      ['alice', 1, ['subject', 'watchers']],
      ['carol', 1, []],
      ['bob', 1, []],
      ['t1', 1, ['subject', 'impact', 'urgency', 'priority', 'category', 'tags', 'assignee', 'watchers']],
      ['t1', 2, []],
      ['sup', 2, ['subject', 'impact', 'urgency', 'priority', 'category', 'tags', 'assignee', 'watchers']],
    ];
    it.each(table)('%s on a Tier %i ticket may change %j', (who, tier, fields) => {
      expect([...updatableFields(people[who], ticketAt(tier))]).toEqual(fields);
    });
  });

  describe('Function: tierReach', () => {
    const table: [Person, number | undefined][] = [
      ['t1', 1],
      ['t2', 2],
      ['t12', 2],
      // Tier 4 tickets stay with the Tier 3 that handed them off.
      ['t3', 4],
      ['sup', undefined],
      ['admin', undefined],
      ['alice', 0],
      ['ops', 0],
    ];
    it.each(table)('%s finds tickets up to Tier %s', (who, reach) => {
      expect(tierReach(people[who])).toBe(reach);
    });
  });

  describe('Functions: queues and administration', () => {
    const table: [
      Person,
      { tier1: boolean; tier3: boolean; assigned: boolean; onBehalf: boolean; users: boolean },
    ][] = [
      ['alice', { tier1: false, tier3: false, assigned: false, onBehalf: false, users: false }],
      ['t1', { tier1: true, tier3: false, assigned: true, onBehalf: true, users: false }],
      ['t3', { tier1: true, tier3: true, assigned: true, onBehalf: true, users: false }],
      ['sup', { tier1: true, tier3: true, assigned: true, onBehalf: true, users: false }],
      ['admin', { tier1: true, tier3: true, assigned: true, onBehalf: true, users: true }],
    ];
    it.each(table)('%s: %j', (who, expected) => {
      const p = people[who];
      expect({
        tier1: canWorkTier(p, 1),
        tier3: canWorkTier(p, 3),
        assigned: canViewAssigned(p),
        onBehalf: canFileOnBehalf(p),
        users: canManageUsers(p),
      }).toEqual(expected);
    });
  });
});

describe('Function: canOperate', () => {
  // who → may list, redrive, restart and reconcile the ticket workflows
  const table: [Person, boolean][] = [
    ['alice', false],
    ['carol', false],
    ['t1', false],
    ['t12', false],
    ['t3', false],
    ['sup', true],
    ['admin', true],
    ['ops', true],
  ];
  it.each(table)('%s → %s', (who, expected) => {
    expect(canOperate(people[who])).toBe(expected);
  });

  it('gives the ops group nothing of the desk: no tier queue, no ticket, no user administration', () => {
    const { ops } = people;
    expect([...ops.roles]).toEqual(['ops']);
    expect([canWorkTier(ops, 1), canViewAssigned(ops), canFileOnBehalf(ops), canManageUsers(ops)]).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(canViewTicket(ops, ticketAt(1))).toBe(false);
  });
});

describe('Function: principalFromGroups', () => {
  it('maps tier groups to the agent role with sorted tiers and lower-cases the id', () => {
    const p = principalFromGroups(' T@Example.COM ', ['tier3', 'tier1']);
    expect({ id: p.id, roles: [...p.roles], tiers: p.tiers }).toEqual({
      id: 't@example.com',
      roles: ['agent'],
      tiers: [1, 3],
    });
  });

  it('treats someone in no known group as a requester (least privilege)', () => {
    expect([...principalFromGroups('x@example.com', ['unknown']).roles]).toEqual(['requester']);
  });
});
