import { initialClocks } from '#shared/domain/lifecycle';
import { principalFromGroups } from '#shared/domain/principal';
import type { Ticket } from '#shared/domain/ticket';
import type { TicketDraft } from '#shared/tickets/ticket-store';

/** A new Tier 1 ticket as the create handler would draft it, for tests that go below the handlers. */
export const ticketDraft = (at: string, overrides: Partial<TicketDraft> = {}): TicketDraft => ({
  subject: 'Printer offline',
  description: 'The 3rd floor printer says offline.',
  requester: 'alice@example.com',
  channel: 'api',
  impact: 'medium',
  urgency: 'medium',
  priority: 'P3',
  priorityOverridden: false,
  status: 'new',
  tier: 1,
  group: 'tier1',
  watchers: [],
  tags: [],
  createdAt: at,
  updatedAt: at,
  createdBy: 'alice@example.com',
  clocks: initialClocks({ createdAt: at, priority: 'P3', tier: 1, status: 'new' }),
  ...overrides,
});

export const storedTicket = (overrides: Partial<Ticket> = {}): Ticket => ({
  ...ticketDraft('2026-11-20T10:00:00.000Z'),
  number: 42,
  version: 1,
  ...overrides,
});

/**
 * A stored ticket with every field a ticket can carry set, storage-only ones (`priorityOverridden`,
 * the csat answer's `channel`) among them: alice requested it, carol watches it, at Tier 1.
 */
export const everyFieldTicket = (): Ticket =>
  storedTicket({
    watchers: ['carol@example.com'],
    category: 'network/vpn',
    impact: 'high',
    urgency: 'low',
    priority: 'P2',
    priorityOverridden: true,
    status: 'resolved',
    assignee: 't1@example.com',
    tags: ['vpn', 'vip'],
    dueAt: '2026-11-21T10:00:00.000Z',
    vendorId: 'printix',
    pendingReason: 'Which office?',
    resolution: 'Renewed the certificate.',
    resolvedAt: '2026-11-20T12:00:00.000Z',
    closedAt: '2026-11-25T12:00:00.000Z',
    closeReason: 'resolved',
    mergedInto: 43,
    csat: {
      score: 4,
      comment: 'Quick.',
      channel: 'portal',
      firstAt: '2026-11-25T13:00:00.000Z',
      at: '2026-11-25T13:00:00.000Z',
    },
    linkedArticles: ['kb-draft-renew-the-vpn-certificate'],
  });

/** One person per role and tier combination, for policy and lifecycle tables. */
export const people = {
  alice: principalFromGroups('alice@example.com', ['requesters']),
  bob: principalFromGroups('bob@example.com', ['requesters']),
  carol: principalFromGroups('carol@example.com', []),
  t1: principalFromGroups('t1@example.com', ['tier1']),
  t2: principalFromGroups('t2@example.com', ['tier2']),
  t12: principalFromGroups('t12@example.com', ['tier1', 'tier2']),
  t3: principalFromGroups('t3@example.com', ['tier3']),
  sup: principalFromGroups('sup@example.com', ['supervisors']),
  admin: principalFromGroups('admin@example.com', ['admins']),
  ops: principalFromGroups('ops@example.com', ['ops']),
};
export type Person = keyof typeof people;
