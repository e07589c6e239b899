import { describe, expect, it } from 'vitest';
import { DEMO_STANDARD_POLICY } from '#infra/local/demo/service-levels';
import { recordClocks } from '#shared/domain/clocks';
import type { ClockFact } from '#shared/domain/service-levels';
import type { Ticket } from '#shared/domain/ticket';
import { wakeReasons } from '#shared/workflow/wake';
import { storedTicket } from '#test/support/fixtures';

const reply: ClockFact = { at: '2026-11-20T10:05:00.000Z', type: 'agent_reply' };
const message: ClockFact = { at: '2026-11-20T10:06:00.000Z', type: 'requester_message' };

/** The next version as the store writes it: the new facts recorded, the rest folded. */
const stored = (before: Ticket, facts: ClockFact[], fields: Partial<Ticket> = {}): Ticket => {
  const { clocks } = recordClocks(before.clocks, {
    ...before.clocks,
    facts: [...before.clocks.facts, ...facts],
  });
  return { ...before, ...fields, clocks, version: before.version + 1 };
};

describe('Function: wakeReasons', () => {
  const triaged = storedTicket({ clocks: { ...storedTicket().clocks, policy: DEMO_STANDARD_POLICY } });

  it('names the facts a version recorded, once its item carries only those (a checkpoint)', () => {
    const first = stored(triaged, [reply], { status: 'open' });
    expect(first.clocks.checkpoint).toBeDefined();
    expect(wakeReasons(triaged, first)).toEqual(['status', 'agent_reply']);
    const second = stored(first, [message]);
    expect(second.clocks.facts).toEqual([message]);
    expect(wakeReasons(first, second)).toEqual(['requester_message']);
    // A version that recorded no fact (a description edited) wakes nothing.
    expect(wakeReasons(second, stored(second, [], { description: 'More detail.' }))).toEqual([]);
  });

  it('names the facts appended to a ticket stored with every fact on its item', () => {
    const legacy: Ticket = {
      ...triaged,
      clocks: { ...triaged.clocks, facts: [...triaged.clocks.facts, reply] },
    };
    const appended: Ticket = {
      ...legacy,
      version: legacy.version + 1,
      clocks: { ...legacy.clocks, facts: [...legacy.clocks.facts, message] },
    };
    expect(wakeReasons(legacy, appended)).toEqual(['requester_message']);
    // Its next write as the store makes it now: the history folded, the new fact kept.
    expect(wakeReasons(legacy, stored(legacy, [message]))).toEqual(['requester_message']);
  });
});
