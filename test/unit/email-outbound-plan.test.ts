import { describe, expect, it } from 'vitest';
import { DEMO_STANDARD_POLICY } from '#infra/local/demo/service-levels';
import { EVENT_TYPES, type TimelineEvent } from '#shared/domain/timeline';
import {
  dueText,
  mailsFor,
  type PlanFacts,
  type PlannedMail,
  recipientOf,
  reopenWindowText,
} from '#shared/email/outbound/plan';
import { storedTicket } from '#test/support/fixtures';

const AGENT = 't1@example.com';
const VENDOR = { name: 'PrintCo', email: 'cases@printco.example' };

const ticket = storedTicket({
  requester: 'alice@example.com',
  watchers: ['bob@example.com', AGENT],
  assignee: AGENT,
  clocks: { ...storedTicket().clocks, policy: DEMO_STANDARD_POLICY },
});

const event = (type: TimelineEvent['type'], overrides: Partial<TimelineEvent> = {}): TimelineEvent => ({
  id: '0000000002#000',
  type,
  at: '2026-11-20T14:00:00.000Z',
  actor: AGENT,
  public: true,
  ...overrides,
});

const notification = (template: string, to: string[]): TimelineEvent =>
  event('notification', {
    actor: 'tierdesk',
    public: false,
    data: { template, to, clock: 'first_response', tier: 1, due: '2026-11-20T15:30:00.000Z', key: 'k' },
  });

const staff: PlanFacts = { actorIsStaff: true };
const requesterSide: PlanFacts = { actorIsStaff: false };

/** The plan without the view: who gets which template, and how it is marked. */
const summary = (mails: PlannedMail[]) =>
  mails.map(({ template, to, automatic }) => ({
    template,
    to: to.kind === 'address' ? to.address : to.kind === 'group' ? `group:${to.group}` : 'supervisors',
    automatic: automatic ?? 'no',
  }));

describe('Function: mailsFor', () => {
  // One row per rule: the event, what the mailer knows, and the mail it calls for.
  const rules: [string, TimelineEvent, PlanFacts, ReturnType<typeof summary>, Partial<typeof ticket>?][] = [
    [
      'an API-created ticket is acknowledged (auto-generated)',
      event('created', { actor: 'alice@example.com' }),
      requesterSide,
      [{ template: 'acknowledgment', to: 'alice@example.com', automatic: 'auto-generated' }],
    ],
    [
      'a mail-created ticket is acknowledged as an answer to the mail (auto-replied)',
      event('created', { actor: 'alice@example.com', data: { mail: { messageId: 'm@x', autoReply: true } } }),
      requesterSide,
      [{ template: 'acknowledgment', to: 'alice@example.com', automatic: 'auto-replied' }],
    ],
    [
      'a mail the loop rules forbid answering gets no acknowledgment',
      event('created', {
        actor: 'alice@example.com',
        data: { mail: { messageId: 'm@x', autoReply: false, reasons: ['precedence: bulk'] } },
      }),
      requesterSide,
      [],
    ],
    [
      "a staff reply goes to the requester and the watchers, not to its author, and is a person's mail",
      event('comment', { body: 'Try restarting the spooler.' }),
      staff,
      [
        { template: 'reply', to: 'alice@example.com', automatic: 'no' },
        { template: 'reply', to: 'bob@example.com', automatic: 'no' },
      ],
    ],
    [
      "a requester's own public comment is not mailed back to anyone",
      event('comment', { actor: 'alice@example.com', body: 'Still broken.' }),
      requesterSide,
      [],
    ],
    [
      "a requester's reply notifies the ticket's assignee (a notice: automatic, once per burst)",
      event('comment', { actor: 'alice@example.com', body: 'Still broken.' }),
      { actorIsStaff: false, actorIsRequesterSide: true },
      [{ template: 'requester_notice', to: AGENT, automatic: 'auto-generated' }],
    ],
    [
      "a requester's reply to an unassigned ticket notifies its group",
      event('comment', { actor: 'alice@example.com', body: 'Hello?' }),
      { actorIsStaff: false, actorIsRequesterSide: true },
      [{ template: 'requester_notice', to: 'group:tier1', automatic: 'auto-generated' }],
      { assignee: undefined },
    ],
    [
      'a reopen by the requester notifies the assignee',
      event('reopened', { actor: 'alice@example.com', data: { trigger: 'request' } }),
      { actorIsStaff: false, actorIsRequesterSide: true },
      [{ template: 'requester_notice', to: AGENT, automatic: 'auto-generated' }],
    ],
    ['a reopen by the desk notifies nobody', event('reopened', { data: { trigger: 'request' } }), staff, []],
    [
      "the rotation's assignment tells the new assignee",
      event('assigned', {
        actor: 'tierdesk',
        public: false,
        data: { assignee: 'priya@example.com', mode: 'round_robin' },
      }),
      requesterSide,
      [{ template: 'assigned_notice', to: 'priya@example.com', automatic: 'auto-generated' }],
    ],
    [
      "a colleague's assignment tells the new assignee",
      event('updated', {
        public: false,
        changes: [{ field: 'assignee', from: AGENT, to: 'priya@example.com' }],
      }),
      staff,
      [{ template: 'assigned_notice', to: 'priya@example.com', automatic: 'auto-generated' }],
    ],
    [
      'taking a ticket oneself tells nobody',
      event('updated', {
        actor: 'priya@example.com',
        public: false,
        changes: [{ field: 'assignee', to: 'priya@example.com' }],
      }),
      staff,
      [],
    ],
    [
      'pending tells the requester what the desk waits for',
      event('pending', { data: { reason: 'Which printer?' } }),
      staff,
      [{ template: 'pending', to: 'alice@example.com', automatic: 'auto-generated' }],
    ],
    [
      'resolved tells the requester, with the resolution',
      event('resolved', { data: { resolution: 'Replaced the toner.' } }),
      staff,
      [{ template: 'resolved', to: 'alice@example.com', automatic: 'auto-generated' }],
    ],
    [
      'closed after a resolution asks the requester for a rating',
      event('closed', { actor: 'tierdesk', data: { reason: 'resolved' } }),
      requesterSide,
      [{ template: 'csat', to: 'alice@example.com', automatic: 'auto-generated' }],
    ],
    [
      'a hand-off goes to the vendor as a mail a person wrote',
      event('handoff', {
        public: false,
        data: { vendorId: 'printco', vendorName: 'PrintCo', message: 'Fuser fault.' },
      }),
      { actorIsStaff: false, vendor: VENDOR },
      [{ template: 'handoff', to: VENDOR.email, automatic: 'no' }],
    ],
    [
      'a hand-off to a vendor the desk does not know sends nothing',
      event('handoff', { public: false, data: { vendorId: 'gone', message: 'Fuser fault.' } }),
      requesterSide,
      [],
    ],
    [
      'a vendor reminder goes to the vendor, unmarked so their case system takes it in',
      notification('vendor_reminder', [VENDOR.email]),
      requesterSide,
      [{ template: 'vendor_reminder', to: VENDOR.email, automatic: 'no' }],
    ],
    [
      'a pending reminder goes to the requester',
      notification('pending_reminder', ['alice@example.com']),
      requesterSide,
      [{ template: 'pending_reminder', to: 'alice@example.com', automatic: 'auto-generated' }],
    ],
    [
      "a clock warning goes to the ticket's owners",
      notification('clock_warning', ['group:tier1']),
      requesterSide,
      [{ template: 'clock_warning', to: 'group:tier1', automatic: 'auto-generated' }],
    ],
    [
      'a breach goes to the assignee and the supervisors',
      notification('clock_breach', [AGENT, 'role:supervisors']),
      requesterSide,
      [
        { template: 'clock_breach', to: AGENT, automatic: 'auto-generated' },
        { template: 'clock_breach', to: 'supervisors', automatic: 'auto-generated' },
      ],
    ],
    [
      'an automatic escalation goes to the next group and the former owner',
      notification('escalated', ['group:tier2', AGENT]),
      requesterSide,
      [
        { template: 'escalated', to: 'group:tier2', automatic: 'auto-generated' },
        { template: 'escalated', to: AGENT, automatic: 'auto-generated' },
      ],
    ],
    [
      'an OLA breach at the last tier goes to the supervisors',
      notification('ola_breach_last_tier', ['role:supervisors']),
      requesterSide,
      [{ template: 'ola_breach_last_tier', to: 'supervisors', automatic: 'auto-generated' }],
    ],
    [
      "a vendor's contract breach goes to the owners",
      notification('uc_breach', [AGENT]),
      requesterSide,
      [{ template: 'uc_breach', to: AGENT, automatic: 'auto-generated' }],
    ],
    ['a notification of an unknown kind sends nothing', notification('birthday', [AGENT]), requesterSide, []],
    [
      'a recipient reference that is neither an address nor a group nor a role is dropped',
      notification('clock_warning', ['tier1', 'role:admins', AGENT]),
      requesterSide,
      [{ template: 'clock_warning', to: AGENT, automatic: 'auto-generated' }],
    ],
  ];

  it.each(rules)('%s', (_name, given, facts, expected, changed = {}) => {
    const { assignee: _assignee, ...unassigned } = ticket;
    const subject =
      'assignee' in changed && changed.assignee === undefined ? unassigned : { ...ticket, ...changed };
    expect(summary(mailsFor(given, subject as typeof ticket, facts))).toEqual(expected);
  });

  it('never mails an internal note, to anyone, whoever wrote it and whoever the ticket has', () => {
    const note = event('comment', { public: false, body: 'Requester is on the watch list, see HR-12.' });
    const withVendor = { ...ticket, tier: 4 as const, vendorId: 'printco' };

    for (const facts of [staff, requesterSide, { actorIsStaff: true, vendor: VENDOR }]) {
      expect(mailsFor(note, withVendor, facts)).toEqual([]);
    }
  });

  it("carries no internal event's words to the requester side", () => {
    // Every internal event type, written by staff, with text in every field a template could show.
    const words = 'INTERNAL WORDS';
    const requesterAddresses = new Set([ticket.requester, ...ticket.watchers]);
    for (const type of EVENT_TYPES) {
      const internal = event(type, {
        public: false,
        body: words,
        data: {
          reason: words,
          resolution: words,
          message: words,
          vendorId: 'printco',
          template: 'x',
          to: [],
        },
      });
      const toRequesterSide = mailsFor(internal, ticket, { actorIsStaff: true, vendor: VENDOR }).filter(
        (mail) => mail.to.kind === 'address' && requesterAddresses.has(mail.to.address),
      );
      expect(
        toRequesterSide.filter((mail) => JSON.stringify(mail.view).includes(words)),
        type,
      ).toEqual([]);
    }
  });

  it('sends no CSAT request for a merged duplicate', () => {
    const merged = { ...ticket, status: 'closed' as const, mergedInto: 7, closeReason: 'merged' as const };

    expect(mailsFor(event('closed', { data: { reason: 'resolved' } }), merged, requesterSide)).toEqual([]);
    expect(mailsFor(event('closed', { data: { reason: 'merged' } }), ticket, requesterSide)).toEqual([]);
  });

  it('gives the templates what they show', () => {
    const [resolved] = mailsFor(event('resolved', { data: { resolution: 'New toner.' } }), ticket, staff);
    const [handoff] = mailsFor(
      event('handoff', { public: false, data: { vendorId: 'printco', message: 'Fuser fault.' } }),
      ticket,
      { actorIsStaff: false, vendor: VENDOR },
    );
    const [warning] = mailsFor(notification('clock_warning', [AGENT]), ticket, requesterSide);

    expect(resolved?.view).toEqual({ resolution: 'New toner.', reopenWindow: '5 days' });
    expect(handoff?.view).toEqual({ vendorName: 'PrintCo', message: 'Fuser fault.' });
    expect(warning?.view).toEqual({ clock: 'first response', due: '2026-11-20 15:30 UTC', tier: 1 });
  });

  it("gives the acknowledgment the knowledge base's suggestions, and an empty list without them", () => {
    const suggestions = [{ title: 'Printer shows offline', link: 'https://desk.example.com/kb/p' }];
    const created = event('created', { actor: 'alice@example.com' });

    expect(mailsFor(created, ticket, { ...requesterSide, suggestions })[0]?.view).toEqual({
      suggestions,
      hasSuggestions: true,
    });
    expect(mailsFor(created, ticket, requesterSide)[0]?.view).toEqual({
      suggestions: [],
      hasSuggestions: false,
    });
  });
});

describe('Function: reopenWindowText', () => {
  it.each([
    [5 * 24 * 3600_000, '5 days'],
    [24 * 3600_000, '1 day'],
    [36 * 3600_000, '36 hours'],
    [90 * 60_000, undefined],
  ])('says a window of %i ms as %s', (window, expected) => {
    const clocks = { ...ticket.clocks, policy: { ...DEMO_STANDARD_POLICY, reopenWindow: window } };
    expect(reopenWindowText({ clocks })).toBe(expected);
  });

  it('says nothing before a policy is pinned', () => {
    expect(reopenWindowText({ clocks: { facts: [], applied: [] } })).toBeUndefined();
  });
});

describe('Function: recipientOf', () => {
  it.each([
    ['group:tier2', { kind: 'group', group: 'tier2' }],
    ['role:supervisors', { kind: 'supervisors' }],
    ['Alice@Example.com', { kind: 'address', address: 'alice@example.com' }],
    ['group:', undefined],
    ['role:admins', undefined],
    ['not an address', undefined],
  ])('reads %s', (reference, expected) => {
    expect(recipientOf(reference)).toEqual(expected);
  });
});

describe('Function: dueText', () => {
  it('writes an instant in UTC to the minute, and nothing for what is not one', () => {
    expect(dueText('2026-11-20T15:30:59.999Z')).toBe('2026-11-20 15:30 UTC');
    expect(dueText('soon')).toBeUndefined();
    expect(dueText(undefined)).toBeUndefined();
  });
});
