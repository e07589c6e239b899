import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
} from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';
import { principalFromGroups } from '#shared/domain/principal';
import type { Ticket } from '#shared/domain/ticket';
import { LIMITS } from '#shared/http/schemas';
import { logger } from '#shared/observability';
import type { MailStore } from '#shared/store/mail-store';
import { addComment, openTicket, recordMailBounce, type TicketDeps } from '#shared/tickets/ticket-service';
import { decideInbound, type InboundConfig, type InboundDecision, type InboundPorts } from './inbound.ts';
import type { Envelope, ParsedMail } from './parse.ts';
import type { Participants } from './threading.ts';
import type { SesReceiptVerdicts } from './verdicts.ts';

/**
 * The I/O around {@link decideInbound}: what the SES intake Lambda and the local SMTP server do
 * with one received message whose raw bytes are already kept under `rawKey`.
 *
 * decide (reads only) → claim `mail.dedupeKey` (a conditional write: a second delivery of the
 * same message stops here, however close behind the first) → carry the decision out through the
 * ticket use cases → record the mail's Message-ID for threading.
 *
 * Bad mail never throws: what cannot become a ticket or a comment is quarantined with a reason,
 * and the record names the raw object. Only infrastructure failures (the table is unreachable)
 * propagate, with the claim released, so that the delivery is retried rather than lost.
 */

export interface IntakeDeps {
  tickets: TicketDeps;
  mail: MailStore;
  config: InboundConfig;
}

export interface ReceivedMail {
  raw: Buffer;
  /** Where the raw message is kept (S3 object key, local file name). */
  rawKey: string;
  envelope?: Envelope;
  receipt?: SesReceiptVerdicts;
}

export type IntakeOutcome =
  | { kind: 'ticket'; ticket: number }
  | { kind: 'comment'; ticket: number }
  | { kind: 'bounce'; ticket: number }
  | { kind: 'quarantine'; reason: string; detail: string }
  | { kind: 'drop'; reason: string }
  | { kind: 'duplicate'; dedupeKey: string };

/** Why the intake quarantined a mail that {@link decideInbound} accepted. */
export type IntakeQuarantineReason =
  /** A use case refused it (a reply to a closed ticket, an author the policy does not admit). */
  | 'refused'
  /** A vendor's answer: recorded as a vendor update by a later step, kept until then. */
  | 'vendor-answer'
  /** Deciding failed on this message (a bug, not an outage): kept for a person to look at. */
  | 'intake-error';

export const intake = async (deps: IntakeDeps, received: ReceivedMail): Promise<IntakeOutcome> => {
  let decision: InboundDecision;
  try {
    decision = await decideInbound(
      {
        raw: received.raw,
        ...(received.envelope && { envelope: received.envelope }),
        ...(received.receipt && { receipt: received.receipt }),
      },
      inboundPorts(deps),
      deps.config,
    );
  } catch (error) {
    if (isInfrastructureError(error)) throw error;
    return quarantine(deps, received, 'intake-error', messageOf(error));
  }

  if (decision.kind === 'quarantine') {
    return quarantine(deps, received, decision.reason, decision.detail, decision.mail);
  }
  const mail = decision.mail;
  if (!(await deps.mail.claimInbound(mail.dedupeKey, received.rawKey))) {
    logger.info('duplicate mail ignored', { dedupeKey: mail.dedupeKey, rawKey: received.rawKey });
    return { kind: 'duplicate', dedupeKey: mail.dedupeKey };
  }
  try {
    return await carryOut(deps, received, decision);
  } catch (error) {
    if (isRefusal(error)) {
      return quarantine(deps, received, 'refused', messageOf(error), mail);
    }
    await deps.mail.releaseInbound(mail.dedupeKey);
    throw error;
  }
};

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
      await recordMailBounce(deps.tickets, decision.ticket, {
        ...(mail.messageId && { messageId: mail.messageId }),
        ...(report?.type === 'delivery-status' && {
          ...(report.originalMessageId && { originalMessageId: report.originalMessageId }),
          recipients: report.recipients,
        }),
        rawKey: received.rawKey,
      });
      return { kind: 'bounce', ticket: decision.ticket };
    }
    case 'ticket': {
      const { ticket } = await openTicket(
        deps.tickets,
        requesterPrincipal(decision.requester.address),
        {
          subject: bounded(decision.subject, LIMITS.subject, '(no subject)'),
          description: bounded(decision.description, LIMITS.description, '(no text)'),
          impact: 'medium',
          urgency: 'medium',
          tags: [],
          watchers: decision.watchers.slice(0, LIMITS.watchers),
        },
        undefined,
        { channel: 'email' },
      );
      await recordMessageId(deps, mail, ticket.number);
      if (decision.notes.length > 0)
        logger.info('mail notes', { ticket: ticket.number, notes: decision.notes });
      return { kind: 'ticket', ticket: ticket.number };
    }
    case 'comment': {
      if (decision.authorRole === 'vendor') {
        return quarantine(deps, received, 'vendor-answer', `vendor answer on #${decision.ticket}`, mail);
      }
      const principal = await authorPrincipal(deps.tickets, decision.author.address);
      await addComment(
        deps.tickets,
        principal,
        decision.ticket,
        { body: bounded(decision.body.text, LIMITS.comment, '(no text)'), public: true },
        { addWatchers: decision.newWatchers },
      );
      await recordMessageId(deps, mail, decision.ticket);
      return { kind: 'comment', ticket: decision.ticket };
    }
  }
};

/** Binds the decision's read-only ports to the store. */
const inboundPorts = ({ tickets, mail }: IntakeDeps): InboundPorts => ({
  ticketByMessageId: (id) => mail.ticketByMessageId(id),
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

const requesterPrincipal = (address: string): Principal => principalFromGroups(address, ['requesters']);

/**
 * An agent answering by email acts with their directory role; anyone else is a requester. The
 * directory, not the mail, grants the role: a From line is easy to forge, and an internal note
 * is never written by email (every email comment is public).
 */
const authorPrincipal = async ({ store }: TicketDeps, address: string): Promise<Principal> => {
  const user = await store.getUser(address.toLowerCase());
  if (!user || user.role === 'requester') return requesterPrincipal(address);
  return {
    id: user.email,
    roles: new Set([user.role]),
    tiers: user.role === 'agent' ? [...user.tiers].sort() : [],
  };
};

const recordMessageId = async (deps: IntakeDeps, mail: ParsedMail, ticket: number): Promise<void> => {
  if (mail.messageId) await deps.mail.recordMessageId(mail.messageId, ticket, 'in');
};

const quarantine = async (
  deps: IntakeDeps,
  received: ReceivedMail,
  reason: string,
  detail: string,
  mail?: ParsedMail,
): Promise<IntakeOutcome> => {
  await deps.mail.quarantine({
    reason,
    detail,
    rawKey: received.rawKey,
    ...(mail && { from: mail.from.address, subject: mail.subject }),
    ...(mail?.messageId && { messageId: mail.messageId }),
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
