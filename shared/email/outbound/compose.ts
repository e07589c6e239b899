import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailThread } from '#shared/email/mail-store';
import { normalizeMessageId } from '../message-id.ts';
import type { AutoSubmitted } from './plan.ts';
import type { RenderedMail } from './render.ts';

/**
 * The raw MIME of one outbound mail (nodemailer's MailComposer: multipart/alternative with the
 * text and HTML parts, headers encoded and folded as RFC 5322/2047 want them).
 */

/** How Tierdesk signs its mail; the address is the configured support address. */
const SENDER_NAME = 'Tierdesk';

/**
 * A Message-ID nobody can guess (a random UUID, 122 random bits): threading trusts a reply's
 * In-Reply-To, so a predictable id would let a stranger put words on someone else's ticket.
 */
export const newMessageId = (domain: string): string => `<${randomUUID()}@${domain}>`;

export interface ThreadHeaders {
  inReplyTo?: string;
  references: string[];
}

const bracketed = (id: string): string => `<${normalizeMessageId(id)}>`;

/**
 * What the next mail of a thread answers: the newest mail (In-Reply-To), and the conversation's
 * anchors (References): the requester's original mail, Tierdesk's first mail, the newest mail.
 * A client that lost one of them still files the mail under the others; the list stays short.
 */
export const threadHeaders = (thread: MailThread | undefined): ThreadHeaders => {
  if (!thread) return { references: [] };
  const references = [
    ...new Set([...(thread.original ? [thread.original] : []), ...thread.root, ...thread.latest]),
  ];
  const inReplyTo = thread.latest.at(-1) ?? thread.root.at(-1) ?? thread.original;
  return {
    ...(inReplyTo && { inReplyTo: bracketed(inReplyTo) }),
    references: references.map(bracketed),
  };
};

export interface OutboundMail {
  from: string;
  to: string;
  replyTo: string;
  /** With angle brackets (see {@link newMessageId}). */
  messageId: string;
  date: Date;
  content: RenderedMail;
  thread: ThreadHeaders;
  /** Automatic mail: marked so that auto-responders stay quiet (RFC 3834, MS-OXCMAIL). */
  automatic?: AutoSubmitted;
}

/**
 * The headers that keep automatic mail from starting a loop: RFC 3834's Auto-Submitted, and
 * Exchange/Outlook's X-Auto-Response-Suppress (no out-of-office, no receipts). X-Loop names the
 * desk, so the desk's own intake recognizes the mail should a forwarder send it back.
 */
const automaticHeaders = (automatic: AutoSubmitted, fromAddress: string): Record<string, string> => ({
  'Auto-Submitted': automatic,
  'X-Auto-Response-Suppress': 'All',
  'X-Loop': fromAddress,
});

export const composeMail = (mail: OutboundMail): Promise<Buffer> =>
  new MailComposer({
    from: { name: SENDER_NAME, address: mail.from },
    to: mail.to,
    replyTo: mail.replyTo,
    subject: mail.content.subject,
    text: mail.content.text,
    html: mail.content.html,
    messageId: mail.messageId,
    date: mail.date,
    ...(mail.thread.inReplyTo && { inReplyTo: mail.thread.inReplyTo }),
    ...(mail.thread.references.length > 0 && { references: mail.thread.references }),
    ...(mail.automatic && { headers: automaticHeaders(mail.automatic, mail.from) }),
  })
    .compile()
    .build();
