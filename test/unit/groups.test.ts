import { describe, expect, it } from 'vitest';
import { type RoutingRule, routeFor } from '#shared/domain/ticket';
import { pickAssignee } from '#shared/tickets/assignment';

describe('Function: pickAssignee', () => {
  const agents = ['ann@example.com', 'ben@example.com', 'cat@example.com'];

  it('takes turns in a stable order with round robin, wrapping around', () => {
    const picks = [1, 2, 3, 4, 5].map((turn) => pickAssignee('round_robin', agents, { turn }));
    expect(picks).toEqual([...agents, 'ann@example.com', 'ben@example.com']);
  });

  it('gives the ticket to whoever has the fewest open tickets, ties by order', () => {
    const loads = new Map([
      ['ann@example.com', 3],
      ['ben@example.com', 1],
      ['cat@example.com', 1],
    ]);
    expect(pickAssignee('least_loaded', agents, { loads })).toBe('ben@example.com');
    expect(pickAssignee('least_loaded', agents, { loads: new Map() })).toBe('ann@example.com');
  });

  it('picks nobody from an empty group', () => {
    expect(pickAssignee('round_robin', [], { turn: 1 })).toBeUndefined();
    expect(pickAssignee('least_loaded', [], {})).toBeUndefined();
  });
});

describe('Function: routeFor', () => {
  const rules: RoutingRule[] = [
    { categoryPrefix: 'network', tier: 1, group: 'tier1' },
    { categoryPrefix: 'network/vpn', tier: 2, group: 'network' },
    { categoryPrefix: 'apps/', tier: 2, group: 'apps' },
  ];

  it.each([
    ['network/vpn', 'network'],
    ['network/vpn/client', 'network'],
    ['network/wifi', 'tier1'],
    ['network', 'tier1'],
    ['apps/payroll', 'apps'],
  ])('routes %s by its longest matching prefix to %s', (category, group) => {
    expect(routeFor(rules, category)?.group).toBe(group);
  });

  it.each([['networking'], ['hardware/printer'], [undefined]])('routes %s nowhere', (category) => {
    expect(routeFor(rules, category)).toBeUndefined();
  });
});
