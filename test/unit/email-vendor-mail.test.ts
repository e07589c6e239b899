import { describe, expect, it } from 'vitest';
import { DEMO_PRINTER_VENDOR } from '#infra/local/demo/service-levels';
import { ConflictError } from '#shared/domain/errors';
import { initialClocks, recordVendorMail, type VendorMailInput } from '#shared/domain/lifecycle';
import type { Ticket } from '#shared/domain/ticket';
import { storedTicket } from '#test/support/fixtures';

/**
 * The vendor's own mail on a ticket handed to them (the pure transition; the intake's path through
 * DynamoDB is in test/integration/email-intake.test.ts): an answer meets the vendor's response
 * clock once, an automatic acknowledgment answers nothing.
 */

const at = new Date('2026-11-20T12:00:00.000Z');
const acme = { ...DEMO_PRINTER_VENDOR, vendorId: 'acme' };

/** On hold with Acme since 11:00. */
const withVendor = (overrides: Partial<Ticket> = {}): Ticket => {
  const base = storedTicket();
  return storedTicket({
    tier: 4,
    status: 'on_hold',
    vendorId: 'acme',
    group: 'tier3',
    clocks: {
      ...initialClocks({ createdAt: base.createdAt, priority: 'P3', tier: 1, status: 'new' }),
      vendor: acme,
    },
    ...overrides,
  });
};
const handedOff = (ticket: Ticket): Ticket => ({
  ...ticket,
  clocks: {
    ...ticket.clocks,
    facts: [
      ...ticket.clocks.facts,
      { at: '2026-11-20T11:00:00.000Z', type: 'vendor_handoff', vendorId: 'acme' },
    ],
  },
});

const mail = (overrides: Partial<VendorMailInput> = {}): VendorMailInput => ({
  vendorId: 'acme',
  from: 'cases@acme.example',
  message: 'A technician comes tomorrow.',
  automated: false,
  data: { mail: { messageId: 'case-1@acme.example', autoReply: true } },
  ...overrides,
});

const factTypes = (ticket: Ticket) => ticket.clocks.facts.map((fact) => fact.type);

describe('Function: recordVendorMail', () => {
  it('records a person’s answer as a vendor update by the vendor and stops the response clock', () => {
    const before = handedOff(withVendor());

    const { ticket, events } = recordVendorMail(before, mail(), at);

    expect(factTypes(ticket).slice(-2)).toEqual(['vendor_handoff', 'vendor_response']);
    expect(events).toEqual([
      {
        type: 'vendor_update',
        at: at.toISOString(),
        actor: 'cases@acme.example',
        public: false,
        data: {
          mail: { messageId: 'case-1@acme.example', autoReply: true },
          vendorId: 'acme',
          message: 'A technician comes tomorrow.',
          resolved: false,
        },
      },
    ]);
    expect(ticket).toMatchObject({ tier: 4, status: 'on_hold', vendorId: 'acme' });
  });

  it('meets the response clock once: a second answer adds no fact', () => {
    const first = recordVendorMail(handedOff(withVendor()), mail(), at).ticket;

    const second = recordVendorMail(first, mail({ message: 'Done tomorrow at 9.' }), at).ticket;

    expect(factTypes(second).filter((type) => type === 'vendor_response')).toHaveLength(1);
  });

  it('keeps an automatic acknowledgment as an internal note that changes no clock', () => {
    const before = handedOff(withVendor());

    const { ticket, events } = recordVendorMail(
      before,
      mail({ automated: true, message: 'Case 77 created.' }),
      at,
    );

    expect(ticket.clocks.facts).toEqual(before.clocks.facts);
    expect(events).toEqual([
      {
        type: 'comment',
        at: at.toISOString(),
        actor: 'cases@acme.example',
        public: false,
        body: 'Case 77 created.',
        data: {
          mail: { messageId: 'case-1@acme.example', autoReply: true },
          vendorId: 'acme',
          automated: true,
        },
      },
    ]);
  });

  it.each([
    ['taken back to Tier 3', { tier: 3 as const, status: 'open' as const }],
    ['resolved', { tier: 3 as const, status: 'resolved' as const }],
    ['with another vendor', { vendorId: 'other' }],
  ])('refuses mail about a ticket %s', (_case, overrides) => {
    const run = () => recordVendorMail(withVendor(overrides), mail(), at);

    expect(run).toThrow(ConflictError);
    expect(run).toThrow(/is not on hold with vendor acme/);
  });
});
