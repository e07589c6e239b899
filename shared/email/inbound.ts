import { normalizeEmail } from '#shared/domain/principal';
import { withoutTag } from './address.ts';
import { sesAuthentication } from './authentication-results.ts';
import { type ReplyText, replyOf } from './body.ts';
import {
  type AutomaticReplyPolicy,
  automaticReplyPolicy,
  autoReplySignals,
  isAutomated,
  isMailerDaemon,
} from './loops.ts';
import type { Envelope, MailAddress, MailLimits, ParsedMail, ParseFailureReason } from './parse.ts';
import { parseMail } from './parse.ts';
import { delayNotice, type MailReport } from './report.ts';
import {
  type MailAuthentication,
  type SenderAuth,
  type SenderClaim,
  type SenderTrustQuarantineReason,
  senderTrust,
} from './sender-auth.ts';
import {
  isParticipant,
  newTicketSubject,
  type Participants,
  type Threading,
  type ThreadingLookups,
  type ThreadVia,
  threadOf,
} from './threading.ts';
import {
  type QuarantineReason,
  type SesReceiptVerdicts,
  verdictDecision,
  verdictsFromHeaders,
} from './verdicts.ts';

/**
 * The whole inbound decision as one function over the raw message and read-only ports (no AWS,
 * no writes): what the intake (SES/S3 Lambda, local SMTP server) does with a mail.
 * The adapter's remaining work is I/O: keep the raw object, claim `mail.dedupeKey` with a
 * conditional write (a second delivery of the same Message-ID stops there), then carry out the
 * decision.
 *
 * Order, first match wins:
 * 1. unparseable / malformed / no sender → quarantine (the raw object is the evidence);
 * 2. SES verdict virus/spam FAIL (or DMARC FAIL under a reject/quarantine policy) → quarantine;
 * 3. our own mail come back → drop;
 * 4. a delivery-status report, or mail from a mailer daemon → bounce on the ticket whose
 *    message bounced, quarantine when that message is not ours; a report of a delay only, or a
 *    read receipt → drop;
 * 5. an automatic answer (out-of-office, vacation) → drop: it creates nothing and gets no mail;
 * 6. sender authentication (`sender-auth.ts`): mail claiming to be from staff or a vendor that is
 *    not authenticated → quarantine; a forgery of anyone else is restricted (no watchers, threaded
 *    only by a Message-ID Tierdesk sent, no automatic answer);
 * 7. threading: reply → comment, otherwise → ticket;
 *    both carry the automatic-reply policy the outbound side must honour, and the authentication.
 */

/**
 * At most this many watchers are added from one mail: a mail to a whole department that copies
 * the desk would otherwise subscribe everyone to every notice.
 */
const MAX_WATCHERS_PER_MAIL = 20;

export interface InboundPorts extends ThreadingLookups {
  /** Automatic mails sent today to this address (for the daily cap). */
  sentTodayTo(address: string): Promise<number>;
  /** Who the directory and the vendor configuration say this address is. */
  senderClaim(address: string): Promise<SenderClaim>;
}

export interface InboundConfig {
  /** Addresses mail for the desk arrives on; their plus-addresses carry ticket numbers. */
  supportAddresses: readonly string[];
  /** Other addresses Tierdesk sends from (a no-reply notification sender, say). */
  ownAddresses?: readonly string[];
  dailyAutomaticMailCap?: number;
  limits?: Partial<MailLimits>;
}

export interface InboundMessage {
  raw: Buffer;
  envelope?: Envelope;
  /** The SES receipt's verdicts; without them (locally) the X-SES-* headers are read. */
  receipt?: SesReceiptVerdicts;
  /**
   * SPF, DKIM and DMARC as a verifier found them (the local SMTP stand-in). Without them, an SES
   * receipt and SES's own Authentication-Results header say it; without either, nobody verified
   * the mail.
   */
  authentication?: MailAuthentication;
}

export type InboundQuarantineReason =
  | ParseFailureReason
  | QuarantineReason
  | SenderTrustQuarantineReason
  | 'unmatched-bounce';
export type DropReason = 'auto-reply' | 'read-receipt' | 'delivery-delayed' | 'own-mail';
export type AuthorRole = 'requester' | 'watcher' | 'agent' | 'vendor' | 'other';

export type InboundDecision =
  | {
      kind: 'quarantine';
      reason: InboundQuarantineReason;
      detail: string;
      mail?: ParsedMail;
      /** Set when the sender-authentication policy quarantined it. */
      auth?: SenderAuth;
    }
  | { kind: 'drop'; reason: DropReason; detail: string; mail: ParsedMail }
  | {
      kind: 'bounce';
      ticket: number;
      /** Absent for a mailer daemon's notice that is not an RFC 3464 report. */
      report?: MailReport;
      mail: ParsedMail;
    }
  | {
      kind: 'ticket';
      mail: ParsedMail;
      requester: MailAddress;
      /**
       * To/Cc recipients other than the desk and the requester. None from automated mail: the
       * recipients of a list or an alert are a distribution list, not people in a conversation.
       * None from a forged sender: a forger must not subscribe anyone to a ticket's mail.
       */
      watchers: string[];
      subject: string;
      /** The full text: a new ticket has no history to strip against. */
      description: string;
      /** `new`, or `stranger` when a token named a ticket the sender does not take part in. */
      threading: Extract<Threading, { kind: 'new' | 'stranger' }>;
      automaticReply: AutomaticReplyPolicy;
      /** Sent by a program (see `isAutomated`). */
      automated: boolean;
      sender: SenderStanding;
      notes: string[];
    }
  | {
      kind: 'comment';
      mail: ParsedMail;
      ticket: number;
      via: ThreadVia;
      author: MailAddress;
      authorRole: AuthorRole;
      /**
       * The sender (when not yet a participant) and co-recipients: reply-all adds them. None from
       * automated mail, nor from a forged sender.
       */
      newWatchers: string[];
      body: ReplyText;
      automaticReply: AutomaticReplyPolicy;
      automated: boolean;
      sender: SenderStanding;
      notes: string[];
    };

/**
 * What the sender's authentication allows. `forged`: the From domain disowns the mail, so it gets
 * no automatic answer, whatever the loop rules say (the intake records that beside them: a forged
 * address is someone else's, and must not be flagged as a loop risk for a day).
 */
export interface SenderStanding {
  auth: SenderAuth;
  forged: boolean;
}

const ownSet = (config: InboundConfig): Set<string> =>
  new Set([...config.supportAddresses, ...(config.ownAddresses ?? [])].map(normalizeEmail));

const roleOf = (participants: Participants, address: string): AuthorRole => {
  const is = (candidate: string | undefined): boolean =>
    candidate !== undefined && normalizeEmail(candidate) === address;
  if (is(participants.requester)) return 'requester';
  if (participants.agents?.some(is)) return 'agent';
  if (is(participants.vendorEmail)) return 'vendor';
  if (participants.watchers.some(is)) return 'watcher';
  return 'other';
};

/** Recipients worth watching: not the desk (any plus-address of it), not excluded, at most {@link MAX_WATCHERS_PER_MAIL}. */
const coRecipients = (
  mail: ParsedMail,
  own: ReadonlySet<string>,
  exclude: (address: string) => boolean,
): string[] => {
  const watchers: string[] = [];
  for (const { address } of [...mail.to, ...mail.cc]) {
    if (watchers.length >= MAX_WATCHERS_PER_MAIL) break;
    if (own.has(withoutTag(address)) || isMailerDaemon(address) || exclude(address)) continue;
    if (!watchers.includes(address)) watchers.push(address);
  }
  return watchers;
};

export const decideInbound = async (
  message: InboundMessage,
  ports: InboundPorts,
  config: InboundConfig,
): Promise<InboundDecision> => {
  const parsed = await parseMail(message.raw, {
    ...(message.envelope && { envelope: message.envelope }),
    ...(config.limits && { limits: config.limits }),
  });
  if (!parsed.ok) return { kind: 'quarantine', reason: parsed.reason, detail: parsed.detail };
  const mail = parsed.mail;

  const verdict = verdictDecision(message.receipt ?? verdictsFromHeaders(mail));
  if (verdict.quarantine && verdict.reason) {
    return { kind: 'quarantine', reason: verdict.reason, detail: verdict.notes.join('; '), mail };
  }

  const own = ownSet(config);
  if (own.has(withoutTag(mail.from.address))) {
    return { kind: 'drop', reason: 'own-mail', detail: `sent by ${mail.from.address}`, mail };
  }

  const report = mail.report;
  if (report?.type === 'disposition-notification') {
    return { kind: 'drop', reason: 'read-receipt', detail: report.disposition ?? 'read receipt', mail };
  }
  const delay = report && delayNotice(report);
  if (delay) {
    // Dropped, not kept as a note on the ticket: the mail may still arrive, a failure comes as a
    // report of its own and is filed as a bounce then, and MTAs repeat the warning every few
    // hours, which would fill the timeline with notes nobody can act on.
    return { kind: 'drop', reason: 'delivery-delayed', detail: delay, mail };
  }
  if (report?.type === 'delivery-status' || isMailerDaemon(mail.from.address)) {
    return bounce(mail, ports);
  }

  const signals = autoReplySignals(mail);
  if (signals.length > 0) return { kind: 'drop', reason: 'auto-reply', detail: signals.join('; '), mail };

  const trust = senderTrust({
    from: mail.from.address,
    claim: await ports.senderClaim(mail.from.address),
    authentication:
      message.authentication ?? (message.receipt ? sesAuthentication(message.receipt, mail) : undefined),
  });
  if (trust.action === 'quarantine') {
    return {
      kind: 'quarantine',
      reason: trust.reason,
      detail: `${mail.from.address} is not authenticated: ${trust.auth.detail}`,
      mail,
      auth: trust.auth,
    };
  }
  const forged = trust.action === 'restrict';
  const sender: SenderStanding = { auth: trust.auth, forged };

  const threading = await threadOf(mail, ports, config, { forgedSender: forged });
  const automaticReply = await automaticReplyPolicy(mail, {
    ownAddresses: [...own],
    sentTodayTo: (address) => ports.sentTodayTo(address),
    ...(config.dailyAutomaticMailCap !== undefined && { dailyCap: config.dailyAutomaticMailCap }),
  });
  const automated = isAutomated(mail);
  const notes = [
    ...verdict.notes,
    ...mail.dropped.map((item) => `attachment ${item.filename} dropped: ${item.reason}`),
  ];

  if (threading.kind === 'reply') {
    const participants = await ports.participantsOf(threading.ticket);
    if (participants) {
      const authorRole = roleOf(participants, mail.from.address);
      const known = (address: string): boolean => isParticipant(participants, address);
      const newWatchers =
        automated || forged
          ? []
          : [
              ...(authorRole === 'other' ? [mail.from.address] : []),
              ...coRecipients(mail, own, (address) => known(address) || address === mail.from.address),
            ].slice(0, MAX_WATCHERS_PER_MAIL);
      return {
        kind: 'comment',
        mail,
        ticket: threading.ticket,
        via: threading.via,
        author: mail.from,
        authorRole,
        newWatchers,
        body: replyOf(mail),
        automaticReply,
        automated,
        sender,
        notes,
      };
    }
  }

  const ticketThreading: Extract<Threading, { kind: 'new' | 'stranger' }> =
    threading.kind === 'reply' ? { kind: 'new', reason: 'unknown-ticket' } : threading;
  return {
    kind: 'ticket',
    mail,
    requester: mail.from,
    watchers: automated || forged ? [] : coRecipients(mail, own, (address) => address === mail.from.address),
    subject: newTicketSubject(mail.subject),
    description: replyOf(mail).full,
    threading: ticketThreading,
    automaticReply,
    automated,
    sender,
    notes: ticketThreading.kind === 'stranger' ? [...notes, ticketThreading.reason] : notes,
  };
};

/**
 * A bounce belongs to the ticket whose mail bounced: the Message-ID in the returned message, or
 * failing that the bounce's own In-Reply-To/References (some MTAs set them). A bounce of a
 * message that is not ours (backscatter from spam forging our address) opens nothing.
 */
const bounce = async (mail: ParsedMail, ports: ThreadingLookups): Promise<InboundDecision> => {
  const report = mail.report?.type === 'delivery-status' ? mail.report : undefined;
  const candidates = [
    ...(report?.originalMessageId ? [report.originalMessageId] : []),
    ...[...mail.references, ...mail.inReplyTo].reverse(),
  ];
  for (const id of candidates) {
    const ticket = await ports.ticketByMessageId(id);
    if (ticket !== undefined) return { kind: 'bounce', ticket, mail, ...(report && { report }) };
  }
  return {
    kind: 'quarantine',
    reason: 'unmatched-bounce',
    detail: report?.originalMessageId
      ? `bounce of ${report.originalMessageId}, which Tierdesk did not send`
      : 'bounce without a Message-ID of a message Tierdesk sent',
    mail,
  };
};
