import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { DEMO_STANDARD_POLICY } from '#infra/local/demo/service-levels';
import type { ClockFact } from '#shared/domain/service-levels';
import type { Ticket } from '#shared/domain/ticket';
import type { TimelineEvent } from '#shared/domain/timeline';
import { reportChange } from '#shared/reports/report-changes';
import { type CellDelta, ticketDeltas } from '#shared/reports/report-facts';
import type { ReportStore } from '#shared/reports/report-store';
import { KB_ENTITY } from '#shared/store/entities';
import { deflectionMarkKey } from '#shared/store/keys';
import { storedTicket } from '#test/support/fixtures';

const ZONE = 'Europe/Berlin';
const OPENED = '2026-11-23T09:00:00.000Z'; // Monday, 10:00 in Berlin
const LATER = '2026-11-23T10:00:00.000Z';

const ticketAt = (version: number, at: string, facts: ClockFact[], overrides: Partial<Ticket> = {}) =>
  storedTicket({
    version,
    updatedAt: at,
    clocks: {
      policy: DEMO_STANDARD_POLICY,
      facts: [{ at: OPENED, type: 'created', priority: 'P3', tier: 1, status: 'new' }, ...facts],
      applied: [],
    },
    ...overrides,
  });

const event = (type: TimelineEvent['type'], data: Record<string, unknown> = {}): TimelineEvent => ({
  id: '0000000002#000',
  type,
  at: LATER,
  actor: 'sam@example.com',
  public: false,
  data,
});

const resolutionSamples = (deltas: CellDelta[]) =>
  deltas.flatMap((delta) => delta.samples).filter((sample) => sample.duration === 'resolution');

describe('Function: ticketDeltas', () => {
  it('samples the time to resolution when the ticket is resolved', () => {
    // Prepare
    const before = ticketAt(1, OPENED, []);
    const after = ticketAt(2, LATER, [{ at: LATER, type: 'status', status: 'resolved' }], {
      status: 'resolved',
    });

    // Act
    const deltas = ticketDeltas(before, after, [event('resolved')], ZONE);

    // Assess
    expect(resolutionSamples(deltas)).toHaveLength(1);
  });

  it('samples no time to resolution for a duplicate merged away (its clock stops, nothing was resolved)', () => {
    // Prepare
    const before = ticketAt(1, OPENED, []);
    const after = ticketAt(2, LATER, [{ at: LATER, type: 'status', status: 'closed' }], {
      status: 'closed',
      closeReason: 'merged',
      mergedInto: 7,
    });

    // Act
    const deltas = ticketDeltas(
      before,
      after,
      [event('closed', { reason: 'merged' }), event('merged', { into: 7 })],
      ZONE,
    );

    // Assess
    expect(resolutionSamples(deltas)).toEqual([]);
    expect(deltas.map((delta) => delta.counts)).toContainEqual(
      expect.objectContaining({ merged: 1, closed: 1 }),
    );
  });

  it("counts a tier's OLA breach for that tier and its group, also when the breach escalated the ticket", () => {
    // Prepare: the Tier 1 OLA ran out, the workflow escalated to Tier 2 (another group)
    const before = ticketAt(1, OPENED, []);
    const after = ticketAt(2, LATER, [{ at: LATER, type: 'tier', tier: 2 }], { tier: 2, group: 'tier2' });

    // Act
    const deltas = ticketDeltas(
      before,
      after,
      [
        event('clock_breach', { key: 'ola.t1#0.breach', clock: 'ola', tier: 1 }),
        event('escalated', { fromTier: 1, toTier: 2, automatic: true }),
      ],
      ZONE,
    );

    // Assess: breach and escalation are Tier 1's, in the group that had the ticket
    expect(deltas).toContainEqual(
      expect.objectContaining({
        cell: expect.objectContaining({ tier: 1, group: 'tier1' }),
        counts: expect.objectContaining({ breached_ola: 1, escalatedAutomatic: 1 }),
      }),
    );
    expect(deltas.some((delta) => delta.cell.tier === 2 && 'breached_ola' in delta.counts)).toBe(false);
  });
});

/** A report store that keeps what it was given, by source. */
const recordingStore = () => {
  const added = new Map<string, readonly CellDelta[]>();
  const store: ReportStore = {
    eventsOf: async () => [],
    add: async (source, deltas) => {
      if (added.has(source)) return false;
      added.set(source, deltas);
      return true;
    },
    cells: async () => [],
  };
  return { store, added };
};

const markRecord = (who: string, selfServed: boolean) => ({
  eventID: who,
  eventName: 'INSERT' as const,
  dynamodb: {
    SequenceNumber: '1',
    NewImage: marshall({
      ...deflectionMarkKey('kb-vpn-connect', '2026-11-23', who),
      entity: KB_ENTITY.deflectionMark,
      selfServed,
    }) as never,
  },
});

describe('Function: reportChange', () => {
  const config = { current: async () => ({ document: { settings: { timeZone: ZONE } } }) } as never;

  it('counts a deflection without a ticket in the desk cell of its day', async () => {
    // Prepare
    const { store, added } = recordingStore();

    // Act
    await reportChange({ reports: store, config }, markRecord('ann@example.com', false));

    // Assess
    expect([...added.values()].flat()).toEqual([
      {
        cell: expect.objectContaining({ day: '2026-11-23', tier: 0 }),
        counts: { deflections: 1 },
        samples: [],
      },
    ]);
  });

  it('counts no deflection for an article that resolved a ticket (the ticket counts it as self-served)', async () => {
    // Prepare
    const { store, added } = recordingStore();

    // Act
    await reportChange({ reports: store, config }, markRecord('ann@example.com#12', true));

    // Assess
    expect(added.size).toBe(0);
  });
});
