import { normalizeEmail } from '#shared/domain/principal';
import { splitAddress } from './address.ts';
import type { ParsedMail } from './parse.ts';

/**
 * Which ticket an inbound mail belongs to, in PRODUCT's order:
 *
 * 1. a Message-ID Tierdesk knows in In-Reply-To/References, rightmost first (the nearest
 *    ancestor wins: in a thread that spans a merge, the newest ticket is the live one);
 * 2. a ticket token in the subject (`[#1042]`), then a plus-address (`support+1042@…`) among the
 *    recipients, each accepted only from a participant of that ticket;
 * 3. otherwise a new ticket.
 *
 * A forward (`Fwd:`, `WG:`, `TR:` …) is a new ticket whatever it references: the person forwarding
 * starts a conversation about someone else's message, and both the References and the token of a
 * forward point at the forwarded message, not at a reply. The ticket it would have joined is
 * reported as `related` so the intake can link the two.
 *
 * A token from someone who is not a participant must not put their words on another person's
 * ticket (the token is visible to anyone who ever saw a subject line). That is `stranger`: the
 * intake opens a new ticket, and the reason says which ticket was named.
 *
 * A forged sender (`forgedSender`: the From domain's SPF/DKIM/DMARC disown the mail, see
 * `sender-auth.ts`) is not believed to be the participant it names: only a Message-ID Tierdesk
 * itself sent threads its mail, and a token makes it a `stranger` like anyone else's.
 */

export interface Participants {
  requester: string;
  watchers: readonly string[];
  agents?: readonly string[];
  vendorEmail?: string;
}

/** Ports to what Tierdesk recorded; the intake binds them to the store. */
export interface ThreadingLookups {
  /**
   * The ticket that sent or received the mail with this (normalized) Message-ID. It must know the
   * ids of inbound mail as well as of our own outbound mail: a CC'd person's reply-all answers
   * the requester's original mail, not our acknowledgment.
   */
  ticketByMessageId(messageId: string): Promise<number | undefined>;
  /** The ticket whose mail Tierdesk sent with this (normalized) Message-ID; undefined for any other id. */
  ticketBySentMessageId(messageId: string): Promise<number | undefined>;
  /** Undefined when there is no such ticket. */
  participantsOf(ticket: number): Promise<Participants | undefined>;
}

export interface ThreadingConfig {
  /** The support addresses plus-addresses are made from, e.g. `support@tierdesk.example`. */
  supportAddresses: readonly string[];
}

export type ThreadVia = 'message-id' | 'subject-token' | 'plus-address';
export type NewTicketReason = 'no-reference' | 'unknown-ticket' | 'forward';

export type Threading =
  | { kind: 'reply'; ticket: number; via: ThreadVia }
  | { kind: 'new'; reason: NewTicketReason; related?: number }
  | { kind: 'stranger'; ticket: number; via: 'subject-token' | 'plus-address'; reason: string };

/**
 * Forward prefixes of the clients in use: English, German (WG = Weitergeleitet), French
 * (TR = Transféré), Spanish (RV = Reenviado), Portuguese (ENC = Encaminhado), Italian (I = Inoltrato),
 * Dutch (Doorst), Swedish (VB = Vidarebefordrat), Polish (PD = Przekaż dalej), Chinese, Japanese.
 * `VS:` is left out on purpose: it is the Danish/Norwegian forward but the Finnish *reply*, and a
 * reply wrongly opening a new ticket is the failure this module exists to prevent.
 */
const FORWARD_PREFIX = /^(?:fwd?|wg|tr|rv|enc|i|doorst|vb|pd|转发|轉寄|転送)\s*(?:\[\d+\])?\s*[:：]/iu;
/** Reply prefixes: Re, German AW, Nordic SV, Dutch Antw, Italian R/RIF, Finnish VS, Chinese, Japanese. */
const REPLY_PREFIX = /^(?:re|aw|sv|antw|rif|r|vs|回复|回覆|返信)\s*(?:\[\d+\])?\s*[:：]\s*/iu;
/** Tags a gateway puts in front of the subject, like `[EXTERNAL]`; never a ticket token. */
const BRACKET_TAG = /^\[(?!#\d)[^\]]{1,40}\]\s*/;

const TICKET_TOKEN = /\[#(\d{1,9})\]/;

/** True when the subject's first prefix, after tags like `[EXTERNAL]`, is a forward prefix. */
export const isForward = (subject: string): boolean => {
  let rest = subject.trim();
  while (BRACKET_TAG.test(rest)) rest = rest.replace(BRACKET_TAG, '');
  return FORWARD_PREFIX.test(rest);
};

/**
 * The subject a new ticket gets: without ticket tokens (a stranger's `Re: [#1042] …` must not show
 * another ticket's number on the new one, nor thread replies to it) and without reply prefixes.
 * Forward prefixes stay: that the request is a forward is worth seeing.
 */
export const newTicketSubject = (subject: string): string => {
  let rest = subject.replace(new RegExp(TICKET_TOKEN.source, 'g'), '').replace(/ {2,}/g, ' ').trim();
  for (;;) {
    const next = rest.replace(REPLY_PREFIX, '').trimStart();
    if (next === rest) return rest;
    rest = next;
  }
};

export const subjectToken = (subject: string): number | undefined => {
  const match = subject.match(TICKET_TOKEN);
  return match ? Number(match[1]) : undefined;
};

/**
 * Ticket numbers from plus-addresses of our support addresses among To, Cc and the envelope
 * recipients (a Bcc to `support+1042@` shows up only there), in that order, without repeats.
 */
export const plusAddressTokens = (mail: ParsedMail, supportAddresses: readonly string[]): number[] => {
  const ours = new Set(supportAddresses.map(normalizeEmail));
  const numbers: number[] = [];
  const recipients = [...mail.to, ...mail.cc].map((recipient) => recipient.address);
  for (const address of [...recipients, ...(mail.envelope.recipients ?? [])]) {
    const parts = splitAddress(address);
    if (!parts?.tag || !/^\d{1,9}$/.test(parts.tag)) continue;
    if (!ours.has(`${parts.local}@${parts.domain}`)) continue;
    const number = Number(parts.tag);
    if (!numbers.includes(number)) numbers.push(number);
  }
  return numbers;
};

export const isParticipant = (participants: Participants, address: string): boolean => {
  const sender = normalizeEmail(address);
  return [
    participants.requester,
    ...participants.watchers,
    ...(participants.agents ?? []),
    ...(participants.vendorEmail ? [participants.vendorEmail] : []),
  ].some((participant) => normalizeEmail(participant) === sender);
};

/**
 * Our ticket among the mail's ancestors, nearest (rightmost) first; In-Reply-To is the nearest.
 * `sentOnly`: only the ids of mail Tierdesk sent count.
 */
const byMessageId = async (
  mail: ParsedMail,
  lookups: ThreadingLookups,
  sentOnly: boolean,
): Promise<number | undefined> => {
  const ancestors = [...new Set([...mail.references, ...mail.inReplyTo].reverse())];
  for (const id of ancestors) {
    const ticket = await (sentOnly ? lookups.ticketBySentMessageId(id) : lookups.ticketByMessageId(id));
    if (ticket !== undefined) return ticket;
  }
  return undefined;
};

export interface ThreadingOptions {
  /** The From domain disowns the mail (see `sender-auth.ts`). */
  forgedSender?: boolean;
}

export const threadOf = async (
  mail: ParsedMail,
  lookups: ThreadingLookups,
  config: ThreadingConfig,
  { forgedSender = false }: ThreadingOptions = {},
): Promise<Threading> => {
  const referenced = await byMessageId(mail, lookups, forgedSender);
  const tokens: { ticket: number; via: 'subject-token' | 'plus-address' }[] = [];
  const fromSubject = subjectToken(mail.subject);
  if (fromSubject !== undefined) tokens.push({ ticket: fromSubject, via: 'subject-token' });
  for (const ticket of plusAddressTokens(mail, config.supportAddresses))
    tokens.push({ ticket, via: 'plus-address' });

  if (isForward(mail.subject)) {
    const related = referenced ?? tokens[0]?.ticket;
    return { kind: 'new', reason: 'forward', ...(related !== undefined && { related }) };
  }
  if (referenced !== undefined) return { kind: 'reply', ticket: referenced, via: 'message-id' };

  let refused: { ticket: number; via: 'subject-token' | 'plus-address' } | undefined;
  for (const token of tokens) {
    const participants = await lookups.participantsOf(token.ticket);
    if (!participants) continue;
    if (!forgedSender && isParticipant(participants, mail.from.address)) return { kind: 'reply', ...token };
    refused ??= token;
  }
  if (refused) {
    return {
      kind: 'stranger',
      ...refused,
      reason: forgedSender
        ? `${mail.from.address} failed sender authentication: a ticket token alone does not thread it to #${refused.ticket}`
        : `${mail.from.address} is not a participant of #${refused.ticket}`,
    };
  }
  return { kind: 'new', reason: tokens.length > 0 ? 'unknown-ticket' : 'no-reference' };
};
