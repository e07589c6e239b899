import { createHash } from 'node:crypto';
import { answerByMail } from '#shared/csat/csat-service';
import { parseCsatReply } from '#shared/domain/csat';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
} from '#shared/domain/errors';
import { isStaff } from '#shared/domain/policy';
import type { Principal } from '#shared/domain/principal';
import { normalizeEmail, principalFromGroups, principalFromStanding } from '#shared/domain/principal';
import type { Ticket } from '#shared/domain/ticket';
import { logger } from '#shared/runtime/observability';
import type { Directory, DirectoryUser } from '#shared/tickets/directory';
import { LIMITS } from '#shared/tickets/input';
import { recordVendorAnswerByMail } from '#shared/tickets/ticket-actions';
import { addComment, openTicket, recordMailBounce, type TicketDeps } from '#shared/tickets/ticket-service';
import {
  decideInbound,
  type InboundConfig,
  type InboundDecision,
  type InboundPorts,
  type InboundQuarantineReason,
  type SenderStanding,
} from './inbound.ts';
import type { AutomaticReplyPolicy } from './loops.ts';
import type { AttachmentFile, AttachmentStore } from './mail-objects.ts';
import type { MailStore, MailThreadParty } from './mail-store.ts';
import type { DropReason as AttachmentDropReason, Envelope, ParsedMail } from './parse.ts';
import type { MailAuthentication, SenderAuth, SenderClaim } from './sender-auth.ts';
import type { Participants } from './threading.ts';
import type { SesReceiptVerdicts } from './verdicts.ts';

/**
 * The I/O around {@link decideInbound}: what the SES intake Lambda and the local SMTP server do
 * with one received message whose raw bytes are already kept under `rawKey`.
 *
 * decide (reads only) → claim `mail.dedupeKey` (a conditional write: a second delivery of the
 * same message stops here, however close behind the first) → carry the decision out through the
 * ticket use cases, keeping the attachments → record the mail's Message-ID for threading.
 *
 * What a mail records carries `data.mail` (its Message-ID, whether Tierdesk may answer it
 * automatically, which the mailer reads, and what its sender's authentication said) and
 * `data.attachments` (what was kept, and what was not and why); the text ends with an
 * "Attachments: …" line for those who read only the text.
 *
 * Bad mail never throws: what cannot become a ticket or a comment is quarantined with a reason,
 * and the record names the raw object. Only infrastructure failures (the table is unreachable)
 * propagate, with the claim released, so that the delivery is retried rather than lost.
 */

export interface IntakeDeps {
  tickets: TicketDeps;
  mail: MailStore;
  config: InboundConfig;
  attachments: AttachmentStore;
}

/**
 * An attachment as listed in `data.attachments`: kept under `key` (downloadable by `id`), or
 * `skipped` with the reason.
 */
export type AttachmentListing =
  | { id: string; filename: string; name: string; contentType: string; size: number; key: string }
  | { name: string; size: number; skipped: AttachmentDropReason };

/**
 * `data.mail` of what a mail records: which mail, whether Tierdesk may answer it automatically,
 * and what the authentication of its sender said (verdict, reason, the mechanism that decided).
 */
export interface MailOrigin {
  messageId?: string;
  autoReply: boolean;
  /** Why no automatic answer (loop rules, the daily cap, a forged sender); absent when `autoReply`. */
  reasons?: string[];
  auth: SenderAuth;
}

export interface ReceivedMail {
  raw: Buffer;
  /** Where the raw message is kept (S3 object key, local file name). */
  rawKey: string;
  envelope?: Envelope;
  receipt?: SesReceiptVerdicts;
  /** SPF, DKIM and DMARC as the local SMTP stand-in verified them (on AWS, the receipt says). */
  authentication?: MailAuthentication;
}

export type IntakeOutcome =
  | { kind: 'ticket'; ticket: number }
  /** `vendor`: the ticket's vendor wrote: a vendor update, or a note when their system did. */
  | { kind: 'comment'; ticket: number; vendor?: 'update' | 'note' }
  | { kind: 'bounce'; ticket: number }
  /** The requester answered the satisfaction survey by mail. */
  | { kind: 'csat'; ticket: number; score: number }
  | { kind: 'quarantine'; reason: string; detail: string }
  | { kind: 'drop'; reason: string }
  | { kind: 'duplicate'; dedupeKey: string };

/** Why the intake quarantined a mail that {@link decideInbound} accepted. */
type IntakeQuarantineReason =
  /**
   * A use case refused it (a reply to a closed ticket, an author the policy does not admit, a
   * vendor writing about a ticket that is no longer with them).
   */
  | 'refused'
  /** Deciding failed on this message (a bug, not an outage): kept for a person to look at. */
  | 'intake-error';

export const intake = async (given: IntakeDeps, received: ReceivedMail): Promise<IntakeOutcome> => {
  // The sender's claim and the comment's author are the same address: read it once per mail.
  const deps = { ...given, tickets: { ...given.tickets, directory: readOnce(given.tickets.directory) } };
  let decision: InboundDecision;
  try {
    decision = await decideInbound(
      {
        raw: received.raw,
        ...(received.envelope && { envelope: received.envelope }),
        ...(received.receipt && { receipt: received.receipt }),
        ...(received.authentication && { authentication: received.authentication }),
      },
      inboundPorts(deps),
      deps.config,
    );
  } catch (error) {
    if (isInfrastructureError(error)) throw error;
    return quarantine(deps, received, 'intake-error', messageOf(error));
  }

  if (decision.kind === 'quarantine') {
    return quarantine(deps, received, decision.reason, decision.detail, decision.mail, decision.auth);
  }
  const mail = decision.mail;
  const claim = await deps.mail.claimInbound(mail.dedupeKey, received.rawKey);
  if (claim === 'done') {
    logger.info('duplicate mail ignored', { dedupeKey: mail.dedupeKey, rawKey: received.rawKey });
    return { kind: 'duplicate', dedupeKey: mail.dedupeKey };
  }
  // Another delivery of the same message is being carried out, or its run died a moment ago:
  // fail this one so it is delivered again later (SES retries, then the failure queue), when it
  // is either a duplicate or takes the stale claim over.
  if (claim === 'busy') throw new InboundBusyError(mail.dedupeKey);
  let outcome: IntakeOutcome;
  try {
    if (decision.kind === 'ticket' || decision.kind === 'comment')
      await flagLoopRisk(deps, decision.automaticReply);
    outcome = await carryOut(deps, received, decision);
  } catch (error) {
    if (!isRefusal(error)) {
      await deps.mail.releaseInbound(mail.dedupeKey);
      throw error;
    }
    outcome = await quarantine(deps, received, 'refused', messageOf(error), mail);
  }
  await deps.mail.completeInbound(mail.dedupeKey);
  return outcome;
};

/** The same message is being taken in by another delivery right now: try this one again later. */
export class InboundBusyError extends Error {
  override readonly name = 'InboundBusyError';

  constructor(dedupeKey: string) {
    super(`Mail ${dedupeKey} is being taken in by another delivery; deliver it again later.`);
  }
}

const carryOut = async (
  deps: IntakeDeps,
  received: ReceivedMail,
  decision: Exclude<InboundDecision, { kind: 'quarantine' }>,
): Promise<IntakeOutcome> => {
  const { mail } = decision;
  switch (decision.kind) {
    case 'drop':
      logger.info('mail dropped', {
        reason: decision.reason,
        detail: decision.detail,
        rawKey: received.rawKey,
      });
      return { kind: 'drop', reason: decision.reason };
    case 'bounce': {
      const report = decision.report;
      await recordMailBounce(
        deps.tickets,
        decision.ticket,
        {
          ...(mail.messageId && { messageId: mail.messageId }),
          ...(report?.type === 'delivery-status' && {
            ...(report.originalMessageId && { originalMessageId: report.originalMessageId }),
            recipients: report.recipients,
          }),
          rawKey: received.rawKey,
        },
        { idempotencyKey: idempotencyKeyOf(mail) },
      );
      return { kind: 'bounce', ticket: decision.ticket };
    }
    case 'ticket': {
      const origin = mailOrigin(mail, decision.automaticReply, decision.sender);
      const { ticket } = await openTicket(
        deps.tickets,
        requesterPrincipal(decision.requester.address),
        {
          subject: bounded(decision.subject, LIMITS.subject, '(no subject)'),
          description: withAttachmentLine(decision.description, LIMITS.description, '(no text)', mail),
          impact: 'medium',
          urgency: 'medium',
          tags: [],
          watchers: decision.watchers.slice(0, LIMITS.watchers),
        },
        // A retry after a later step failed (SES retries the event) finds this ticket again
        // instead of opening a second one.
        idempotencyKeyOf(mail),
        {
          channel: 'email',
          createdData: (number) => mailData(origin, attachmentsOf(deps, mail, number)),
        },
      );
      await keepAttachments(deps, attachmentsOf(deps, mail, ticket.number));
      await recordMessageId(deps, mail, ticket.number);
      if (decision.notes.length > 0)
        logger.info('mail notes', { ticket: ticket.number, notes: decision.notes });
      return { kind: 'ticket', ticket: ticket.number };
    }
    case 'comment': {
      // A Message-ID match skips the participant check, so which of the ticket's conversations
      // the mail answers decides what it may become (see `conversationOfReply`).
      const conversation = decision.via === 'message-id' ? await conversationOfReply(deps, mail) : undefined;
      if (conversation === 'vendor' && decision.authorRole !== 'vendor') {
        return quarantine(
          deps,
          received,
          'refused',
          `a reply in the vendor conversation of #${decision.ticket} from ${decision.author.address}, ` +
            "who is not the ticket's vendor",
          mail,
        );
      }
      const answer =
        conversation === 'requester' &&
        decision.authorRole === 'requester' &&
        (await answersSurvey(deps, mail))
          ? parseCsatReply(decision.body.text)
          : undefined;
      if (answer) {
        // Not a comment and not a reopen: the requester rated the closed ticket.
        await answerByMail(deps, decision.ticket, decision.author.address, answer);
        await recordMessageId(deps, mail, decision.ticket);
        return { kind: 'csat', ticket: decision.ticket, score: answer.score };
      }
      const origin = mailOrigin(mail, decision.automaticReply, decision.sender);
      const attachments = attachmentsOf(deps, mail, decision.ticket);
      // Kept before the comment lists them: a failure here leaves nothing half-recorded, and a
      // refused comment at worst leaves files nobody links to (the bucket's lifecycle ends them).
      await keepAttachments(deps, attachments);
      const text = withAttachmentLine(decision.body.text, LIMITS.comment, '(no text)', mail);
      if (decision.authorRole === 'vendor') {
        await recordVendorAnswerByMail(
          deps.tickets,
          decision.ticket,
          {
            from: decision.author.address,
            message: text,
            automated: decision.automated,
            data: mailData(origin, attachments),
          },
          { idempotencyKey: idempotencyKeyOf(mail) },
        );
        await recordMessageId(deps, mail, decision.ticket);
        return { kind: 'comment', ticket: decision.ticket, vendor: decision.automated ? 'note' : 'update' };
      }
      const principal = await authorPrincipal(deps.tickets, decision.author.address);
      if (conversation === 'staff') {
        if (!isStaff(principal)) {
          return quarantine(
            deps,
            received,
            'refused',
            `a reply to a desk-internal notice of #${decision.ticket} from ${decision.author.address}, ` +
              'who is not desk staff',
            mail,
          );
        }
        // An agent answering a breach or escalation notice talks to the desk: an internal note,
        // and nobody joins the requester's conversation for it.
        await addComment(
          deps.tickets,
          principal,
          decision.ticket,
          { body: text, public: false },
          { data: mailData(origin, attachments), idempotencyKey: idempotencyKeyOf(mail) },
        );
        await recordMessageId(deps, mail, decision.ticket);
        return { kind: 'comment', ticket: decision.ticket };
      }
      await addComment(
        deps.tickets,
        principal,
        decision.ticket,
        { body: text, public: true },
        {
          addWatchers: decision.newWatchers,
          data: mailData(origin, attachments),
          idempotencyKey: idempotencyKeyOf(mail),
        },
      );
      await recordMessageId(deps, mail, decision.ticket);
      return { kind: 'comment', ticket: decision.ticket };
    }
  }
};

/**
 * The conversation of the ticket a reply answers: that of the nearest mail Tierdesk sent among
 * its ancestors (In-Reply-To, then References right to left), as the threading reads them. A
 * reply to a staff notice, or to someone's reply to one, is in the staff conversation; no mail
 * of ours among them means the requester's side.
 */
const conversationOfReply = async (
  deps: IntakeDeps,
  mail: ParsedMail,
): Promise<MailThreadParty | undefined> => {
  for (const id of new Set([...mail.references, ...mail.inReplyTo].reverse())) {
    const party = await deps.mail.conversationOf(id);
    if (party) return party;
  }
  return undefined;
};

/** The nearest mail of ours the reply answers is the satisfaction survey. */
const answersSurvey = async (deps: IntakeDeps, mail: ParsedMail): Promise<boolean> => {
  for (const id of new Set([...mail.references, ...mail.inReplyTo].reverse())) {
    const template = await deps.mail.templateOf(id);
    if (template) return template === 'csat';
  }
  return false;
};

/** How long an address that loop detection flagged gets no automatic mail (the cap's window). */
export const LOOP_SUPPRESSION_MS = 24 * 60 * 60 * 1000;

/**
 * A mail that must get no automatic answer (sent by a program, a list, a mailer daemon, past the
 * daily cap) flags its reply address: the acknowledgment is not the only automatic mail that
 * could start a loop with it; the notices of the next day could too.
 */
const flagLoopRisk = async (deps: IntakeDeps, policy: AutomaticReplyPolicy): Promise<void> => {
  if (policy.mayAutoReply || !policy.replyAddress) return;
  const until = new Date(deps.tickets.clock.now().getTime() + LOOP_SUPPRESSION_MS);
  await deps.mail.suppressAutomaticMail(policy.replyAddress, policy.reasons, until);
};

/**
 * A forged sender gets no automatic answer: it would go to the person whose address was forged
 * (backscatter). That reason joins the loop rules' here rather than in the policy, which also
 * flags loop risks for a day (`flagLoopRisk`): the forged address is someone else's, and their
 * own mail must still be answered.
 */
const mailOrigin = (mail: ParsedMail, policy: AutomaticReplyPolicy, sender: SenderStanding): MailOrigin => {
  const reasons = [
    ...policy.reasons,
    ...(sender.forged ? [`sender not authenticated: ${sender.auth.detail}`] : []),
  ];
  return {
    ...(mail.messageId && { messageId: mail.messageId }),
    autoReply: reasons.length === 0,
    ...(reasons.length > 0 && { reasons }),
    auth: sender.auth,
  };
};

interface PlannedAttachment {
  listing: AttachmentListing;
  /** Absent for a skipped attachment. */
  file?: AttachmentFile & { key: string };
}

/**
 * Where each attachment of the mail goes on a ticket, and how it is listed. Keys are a function
 * of the mail (its dedupe key) and the part's position, so a retried delivery writes the same
 * objects again instead of new ones.
 */
const attachmentsOf = (deps: IntakeDeps, mail: ParsedMail, ticket: number): PlannedAttachment[] => [
  ...mail.attachments.map((attachment, index): PlannedAttachment => {
    const id = digest(`${mail.dedupeKey}#${index}`);
    const key = deps.attachments.keyOf(ticket, id, attachment.filename);
    const { filename, contentType, size, content } = attachment;
    return {
      // `id` and `filename` as an uploaded file is listed: GET /tickets/{number}/attachments/{id}.
      listing: { id, filename, name: filename, contentType, size, key },
      file: { key, filename, contentType, content },
    };
  }),
  ...mail.dropped.map(
    ({ filename, size, reason }): PlannedAttachment => ({
      listing: { name: filename, size, skipped: reason },
    }),
  ),
];

const keepAttachments = async (deps: IntakeDeps, planned: readonly PlannedAttachment[]): Promise<void> => {
  await Promise.all(planned.map(({ file }) => file && deps.attachments.put(file.key, file)));
};

const mailData = (
  origin: MailOrigin,
  attachments: readonly PlannedAttachment[],
): Record<string, unknown> => ({
  mail: origin,
  ...(attachments.length > 0 && { attachments: attachments.map(({ listing }) => listing) }),
});

const SKIPPED: Record<AttachmentDropReason, string> = {
  'too-large': 'too large',
  'too-many': 'too many files',
};

/** The longest "Attachments: …" line; a mail with twenty long file names is listed in full in `data`. */
const MAX_ATTACHMENT_LINE = 2_000;

/** `Attachments: report.pdf (142 B); not kept: disk.img (25.0 MB, too large)`, or '' without any. */
export const attachmentLine = (mail: Pick<ParsedMail, 'attachments' | 'dropped'>): string => {
  const kept = mail.attachments.map(({ filename, size }) => `${filename} (${formatSize(size)})`);
  const dropped = mail.dropped.map(
    ({ filename, size, reason }) => `${filename} (${formatSize(size)}, ${SKIPPED[reason]})`,
  );
  if (kept.length + dropped.length === 0) return '';
  const parts = [
    ...(kept.length > 0 ? [kept.join(', ')] : []),
    ...(dropped.length > 0 ? [`not kept: ${dropped.join(', ')}`] : []),
  ];
  const line = `Attachments: ${parts.join('; ')}`;
  return line.length <= MAX_ATTACHMENT_LINE ? line : `${line.slice(0, MAX_ATTACHMENT_LINE - 1)}…`;
};

const formatSize = (bytes: number): string => {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
};

/** The text, bounded so that the attachment line after it always fits. */
const withAttachmentLine = (
  text: string,
  max: number,
  empty: string,
  mail: Pick<ParsedMail, 'attachments' | 'dropped'>,
): string => {
  const line = attachmentLine(mail);
  if (!line) return bounded(text, max, empty);
  return `${bounded(text, max - line.length - 2, empty)}\n\n${line}`;
};

const digest = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 24);

/**
 * What a mail records on a ticket (the ticket, a comment, a vendor answer, a bounce) is written
 * under this key: a delivery retried after a later step failed (recording the Message-ID,
 * completing the claim) finds what the first run wrote instead of writing it again.
 */
const idempotencyKeyOf = (mail: ParsedMail): string => `mail:${digest(mail.dedupeKey)}`;

/** Binds the decision's read-only ports to the store. */
const inboundPorts = ({ tickets, mail }: IntakeDeps): InboundPorts => ({
  ticketByMessageId: (id) => mail.ticketByMessageId(id),
  ticketBySentMessageId: (id) => mail.ticketBySentMessageId(id),
  senderClaim: (address) => senderClaimOf(tickets, address),
  participantsOf: async (number) => {
    const ticket = await tickets.store.getTicket(number);
    return ticket ? participantsOf(tickets, ticket) : undefined;
  },
  sentTodayTo: (address) => mail.automaticMailsToday(address),
});

const participantsOf = async ({ config }: TicketDeps, ticket: Ticket): Promise<Participants> => {
  const vendor = ticket.vendorId ? await config.getVendor(ticket.vendorId) : undefined;
  return {
    requester: ticket.requester,
    watchers: ticket.watchers,
    ...(ticket.assignee && { agents: [ticket.assignee] }),
    ...(vendor && { vendorEmail: vendor.email }),
  };
};

/**
 * Staff when the directory knows the address as more than a requester, a vendor when a configured
 * vendor writes from it: what the mail claims to be, which its authentication must then prove.
 */
const senderClaimOf = async ({ directory, config }: TicketDeps, address: string): Promise<SenderClaim> => {
  const normalized = normalizeEmail(address);
  const user = await directory.getUser(normalized);
  if (user?.active && ['agent', 'supervisor', 'admin'].includes(user.role)) return 'staff';
  const vendors = await config.listVendors();
  return vendors.some((vendor) =>
    [vendor.email, ...(vendor.aliases ?? [])].some((candidate) => normalizeEmail(candidate) === normalized),
  )
    ? 'vendor'
    : 'other';
};

/** The directory as one mail reads it: each address looked up at most once. */
const readOnce = (directory: Directory): Directory => {
  const users = new Map<string, Promise<DirectoryUser | undefined>>();
  return {
    getUser: (email) => {
      const key = normalizeEmail(email);
      const user = users.get(key) ?? directory.getUser(key);
      users.set(key, user);
      return user;
    },
    putUser: (user, expected) => directory.putUser(user, expected),
    listUsers: (filter, page) => directory.listUsers(filter, page),
    tierMembers: (tier) => directory.tierMembers(tier),
    groupMembers: (group) => directory.groupMembers(group),
    supervisors: () => directory.supervisors(),
    activeAdmins: () => directory.activeAdmins(),
  };
};

const requesterPrincipal = (address: string): Principal => principalFromGroups(address, ['requesters']);

/**
 * An agent answering by email acts with their directory role; anyone else is a requester. The
 * directory, not the mail, grants the role: a From line is easy to forge, and an internal note
 * is never written by email (every email comment is public).
 */
const authorPrincipal = async ({ directory }: TicketDeps, address: string): Promise<Principal> => {
  const user = await directory.getUser(address.toLowerCase());
  // A deactivated person's mail is a requester's mail: their desk powers end with their access.
  if (!user?.active || user.role === 'requester') return requesterPrincipal(address);
  return principalFromStanding(user.email, user);
};

const recordMessageId = async (deps: IntakeDeps, mail: ParsedMail, ticket: number): Promise<void> => {
  if (mail.messageId) await deps.mail.recordMessageId(mail.messageId, ticket, 'in');
};

const quarantine = async (
  deps: IntakeDeps,
  received: ReceivedMail,
  reason: IntakeQuarantineReason | InboundQuarantineReason,
  detail: string,
  mail?: ParsedMail,
  auth?: SenderAuth,
): Promise<IntakeOutcome> => {
  await deps.mail.quarantine({
    reason,
    detail,
    rawKey: received.rawKey,
    ...(mail && { from: mail.from.address, subject: mail.subject }),
    ...(mail?.messageId && { messageId: mail.messageId }),
    ...(auth && { auth }),
    at: deps.tickets.clock.now().toISOString(),
  });
  logger.warn('mail quarantined', { reason, detail, rawKey: received.rawKey });
  return { kind: 'quarantine', reason, detail };
};

/** Trimmed to what the ticket fields hold; an empty field gets a placeholder rather than a refusal. */
const bounded = (text: string, max: number, empty: string): string => {
  const trimmed = text.trim();
  if (!trimmed) return empty;
  return trimmed.length <= max ? trimmed : `${trimmed.slice(0, max - 1)}…`;
};

/** A use case said no to this mail: an answer about the message, not a failure to retry. */
const isRefusal = (error: unknown): boolean =>
  [ConflictError, ForbiddenError, NotFoundError, UnprocessableError, ValidationError].some(
    (type) => error instanceof type,
  );

/** AWS SDK errors carry `$metadata`: an outage to retry, not a property of the message. */
const isInfrastructureError = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && '$metadata' in error;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
