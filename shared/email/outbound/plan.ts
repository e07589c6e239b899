import { normalizeEmail } from '#shared/domain/principal';
import type { Ticket } from '#shared/domain/ticket';
import type { TimelineEvent } from '#shared/domain/timeline';
import type { MailThreadParty } from '#shared/email/mail-store';

/**
 * Which mail a timeline event calls for: pure, from the event, the ticket and a few facts the
 * mailer looked up. Recipients are still references here (`group:tier2`, the supervisors); the
 * mailer resolves them to addresses and applies the loop rules to each.
 *
 * What never leaves: an internal note (a `comment` with `public: false`) calls for no mail at
 * all, and no internal event's words reach a requester. Internal events that do make mail are
 * addressed to staff or to the vendor by design: the hand-off carries the message its author
 * wrote for the vendor, and the workflow's `notification` names its recipients itself.
 */

/** One template (`<name>.txt` + `<name>.html` under `shared/email/templates/`) per kind of mail. */
export const MAIL_TEMPLATES = [
  'acknowledgment',
  'reply',
  'pending',
  'resolved',
  'csat',
  'handoff',
  'vendor_reminder',
  'pending_reminder',
  'clock_warning',
  'clock_breach',
  'escalated',
  'ola_breach_last_tier',
  'uc_breach',
  'assigned_notice',
  'requester_notice',
] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

/** The conversation of the ticket each kind of mail continues. */
export const THREAD_OF: Record<MailTemplate, MailThreadParty> = {
  acknowledgment: 'requester',
  reply: 'requester',
  pending: 'requester',
  resolved: 'requester',
  csat: 'requester',
  pending_reminder: 'requester',
  handoff: 'vendor',
  vendor_reminder: 'vendor',
  clock_warning: 'staff',
  clock_breach: 'staff',
  escalated: 'staff',
  ola_breach_last_tier: 'staff',
  uc_breach: 'staff',
  assigned_notice: 'staff',
  requester_notice: 'staff',
};

/**
 * RFC 3834: `auto-replied` answers a mail (the acknowledgment of a mail that opened a ticket),
 * `auto-generated` is sent on Tierdesk's own initiative. A person's reply carries neither.
 */
export type AutoSubmitted = 'auto-generated' | 'auto-replied';

export type Recipient =
  | { kind: 'address'; address: string }
  /** The agents of a tier group. */
  | { kind: 'group'; group: string }
  | { kind: 'supervisors' };

/** A knowledge-base article the acknowledgment suggests: its title, and where to read it. */
export interface ArticleSuggestion {
  title: string;
  link?: string;
}

/** What a template shows beyond the ticket: text from the event, never markup. */
export type MailView = Record<string, string | number | boolean | undefined | readonly ArticleSuggestion[]>;

export interface PlannedMail {
  template: MailTemplate;
  to: Recipient;
  /** Set on automatic mail: it gets the RFC 3834 headers, the daily cap and suppressions apply. */
  automatic?: AutoSubmitted;
  view: MailView;
  /**
   * A notice to an agent about their ticket: at most one of its kind per person per ticket per
   * `STAFF_NOTICE_WINDOW_MS`, and never to the person whose action it reports.
   */
  notice?: true;
}

/** A burst of requester replies (or a reply that also reopens) makes one notice per agent. */
export const STAFF_NOTICE_WINDOW_MS = 5 * 60 * 1000;

export interface PlanFacts {
  /** The event's author is desk staff: a directory user whose role is not `requester`. */
  actorIsStaff: boolean;
  /** For a reply or a reopen: the author is the ticket's requester or a watcher, and not staff. */
  actorIsRequesterSide?: boolean;
  /** The vendor of a `handoff` event, from the desk configuration. */
  vendor?: { name: string; email: string };
  /** For a `created` event: the public articles that may already answer the request. */
  suggestions?: readonly ArticleSuggestion[];
}

/** `data.mail` on what the email intake recorded (see `MailOrigin` in intake.ts). */
const mailOriginOf = (event: TimelineEvent): { messageId?: string; autoReply: boolean } | undefined => {
  const mail = event.data?.mail;
  if (typeof mail !== 'object' || mail === null) return undefined;
  const { messageId, autoReply } = mail as Record<string, unknown>;
  return {
    ...(typeof messageId === 'string' && messageId && { messageId }),
    // Anything but an explicit "may answer" is a no: the intake decided from loop rules.
    autoReply: autoReply === true,
  };
};

/** The Message-ID of the mail an event recorded, if a mail recorded it. */
export const inboundMessageIdOf = (event: TimelineEvent): string | undefined =>
  mailOriginOf(event)?.messageId;

/** The conversation a recorded mail belongs to: the vendor's answers (and notes) are the vendor's. */
export const inboundPartyOf = (event: TimelineEvent): MailThreadParty =>
  event.type === 'vendor_update' || typeof event.data?.vendorId === 'string' ? 'vendor' : 'requester';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const to = (address: string): Recipient => ({ kind: 'address', address: normalizeEmail(address) });

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

/** The reopen window in words (`5 days`), when the pinned policy has one in whole days or hours. */
export const reopenWindowText = (ticket: Pick<Ticket, 'clocks'>): string | undefined => {
  const window = ticket.clocks.policy?.reopenWindow;
  if (window === undefined || window <= 0) return undefined;
  const [unit, size] = window % DAY === 0 ? ['day', DAY] : window % HOUR === 0 ? ['hour', HOUR] : [];
  if (!unit || !size) return undefined;
  const count = window / size;
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
};

/**
 * `group:tier2` → the agents of that group, `role:supervisors` → the supervisors, anything with an
 * `@` → that address. Anything else is dropped: the workflow wrote it, and a typo there must not
 * turn into mail to a made-up address.
 */
export const recipientOf = (reference: string): Recipient | undefined => {
  if (reference.startsWith('group:')) {
    const group = reference.slice('group:'.length);
    return group ? { kind: 'group', group } : undefined;
  }
  if (reference === 'role:supervisors') return { kind: 'supervisors' };
  return /^[^@\s:]+@[^@\s]+$/.test(reference.trim()) ? to(reference) : undefined;
};

/** Notices of the workflow to agents and supervisors: automatic, to whoever `data.to` names. */
const STAFF_NOTICES = new Set<string>([
  'clock_warning',
  'clock_breach',
  'escalated',
  'ola_breach_last_tier',
  'uc_breach',
]);

/** Clock names as a desk says them. */
const CLOCK_LABELS: Record<string, string> = {
  first_response: 'first response',
  next_response: 'next response',
  resolution: 'resolution',
  ola: 'OLA',
  uc_response: 'vendor response',
  uc_resolution: 'vendor resolution',
};

/** `2026-11-20T14:00:00.000Z` → `2026-11-20 14:00 UTC`: readable, and the same for every reader. */
export const dueText = (iso: unknown): string | undefined => {
  if (typeof iso !== 'string' || Number.isNaN(Date.parse(iso))) return undefined;
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
};

const notificationMails = (event: TimelineEvent, ticket: Ticket): PlannedMail[] => {
  const template = text(event.data?.template);
  const clock = text(event.data?.clock);
  const recipients = (Array.isArray(event.data?.to) ? event.data.to : [])
    .filter((reference): reference is string => typeof reference === 'string')
    .map(recipientOf)
    .filter((recipient) => recipient !== undefined);
  const due = dueText(event.data?.due);
  if (template === 'vendor_reminder') {
    // The vendor's case system must take a reminder in like any mail a person sends: an
    // Auto-Submitted header makes many of them drop it. So the reminder is not marked automatic.
    const view = { clock: clock === 'uc_resolution' ? 'resolution' : 'response', due };
    return recipients.map((recipient) => ({ template, to: recipient, view }));
  }
  if (template === 'pending_reminder') {
    const view = { reason: ticket.pendingReason };
    return recipients.map((recipient) => ({ template, to: recipient, automatic: 'auto-generated', view }));
  }
  if (!template || !STAFF_NOTICES.has(template)) return [];
  const view: MailView = {
    clock: clock ? (CLOCK_LABELS[clock] ?? clock) : 'service level',
    due,
    tier: typeof event.data?.tier === 'number' ? event.data.tier : undefined,
  };
  return recipients.map((recipient) => ({
    template: template as MailTemplate,
    to: recipient,
    automatic: 'auto-generated',
    view,
  }));
};

/** The requester, then the watchers, once each, without `except` (the author of a reply). */
const requesterSide = (ticket: Ticket, except: string): Recipient[] => {
  const author = normalizeEmail(except);
  const addresses = [ticket.requester, ...ticket.watchers].map(normalizeEmail);
  return [...new Set(addresses)].filter((address) => address !== author).map(to);
};

/**
 * Events whose mail goes to the requester's side. Their mail is planned only from a public event:
 * what the requester may not read on the timeline must not reach them by mail either.
 */
const REQUESTER_FACING = new Set<TimelineEvent['type']>([
  'created',
  'comment',
  'pending',
  'resolved',
  'closed',
]);

/**
 * The agent a notice about the ticket goes to — its assignee, or its group while nobody has it —
 * unless that agent is who acted.
 */
const ownerNotice = (
  ticket: Ticket,
  event: TimelineEvent,
  template: MailTemplate,
  view: MailView,
): PlannedMail[] => {
  const recipient: Recipient = ticket.assignee
    ? { kind: 'address', address: normalizeEmail(ticket.assignee) }
    : { kind: 'group', group: ticket.group };
  if (recipient.kind === 'address' && recipient.address === normalizeEmail(event.actor)) return [];
  return [{ template, to: recipient, automatic: 'auto-generated', notice: true, view }];
};

/** Who an event newly assigned the ticket to: Tierdesk's automatic assignment, or a PATCH. */
const newAssigneeOf = (event: TimelineEvent): string | undefined => {
  if (event.type === 'assigned') return text(event.data?.assignee);
  if (event.type !== 'updated') return undefined;
  const change = event.changes?.find((candidate) => candidate.field === 'assignee');
  return typeof change?.to === 'string' ? change.to : undefined;
};

const assignmentNotice = (event: TimelineEvent): PlannedMail[] => {
  const assignee = newAssigneeOf(event);
  // Assigning oneself needs no mail.
  if (!assignee || normalizeEmail(assignee) === normalizeEmail(event.actor)) return [];
  const automatic = event.type === 'assigned';
  return [
    {
      template: 'assigned_notice',
      to: to(assignee),
      automatic: 'auto-generated',
      notice: true,
      view: { automatic, by: automatic ? undefined : event.actor },
    },
  ];
};

export const mailsFor = (event: TimelineEvent, ticket: Ticket, facts: PlanFacts): PlannedMail[] => {
  if (REQUESTER_FACING.has(event.type) && !event.public) return [];
  switch (event.type) {
    case 'assigned':
    case 'updated':
      return assignmentNotice(event);
    case 'reopened':
      if (!facts.actorIsRequesterSide) return [];
      return ownerNotice(ticket, event, 'requester_notice', { reopened: true });
    case 'created': {
      const origin = mailOriginOf(event);
      // The intake's loop rules said this mail must not be answered automatically.
      if (origin && !origin.autoReply) return [];
      return [
        {
          template: 'acknowledgment',
          to: to(ticket.requester),
          automatic: origin ? 'auto-replied' : 'auto-generated',
          view: {
            suggestions: facts.suggestions ?? [],
            hasSuggestions: (facts.suggestions ?? []).length > 0,
          },
        },
      ];
    }
    case 'comment':
      if (!facts.actorIsStaff) {
        return facts.actorIsRequesterSide
          ? ownerNotice(ticket, event, 'requester_notice', { reopened: false, body: event.body ?? '' })
          : [];
      }
      return requesterSide(ticket, event.actor).map((recipient) => ({
        template: 'reply',
        to: recipient,
        view: { body: event.body ?? '' },
      }));
    case 'pending':
      return [
        {
          template: 'pending',
          to: to(ticket.requester),
          automatic: 'auto-generated',
          view: { reason: text(event.data?.reason) ?? ticket.pendingReason },
        },
      ];
    case 'resolved':
      return [
        {
          template: 'resolved',
          to: to(ticket.requester),
          automatic: 'auto-generated',
          view: {
            resolution: text(event.data?.resolution) ?? ticket.resolution,
            reopenWindow: reopenWindowText(ticket),
          },
        },
      ];
    case 'closed':
      // A merged duplicate lives on in its target: asking how its handling went asks twice.
      if (event.data?.reason === 'merged' || ticket.mergedInto !== undefined) return [];
      return [{ template: 'csat', to: to(ticket.requester), automatic: 'auto-generated', view: {} }];
    case 'handoff':
      if (!facts.vendor) return [];
      return [
        {
          template: 'handoff',
          to: to(facts.vendor.email),
          view: { vendorName: facts.vendor.name, message: text(event.data?.message) ?? '' },
        },
      ];
    case 'notification':
      return notificationMails(event, ticket);
    default:
      return [];
  }
};
