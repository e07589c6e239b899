import type { Attachment, HeaderValue } from 'mailparser';
import { messageIdsIn } from './message-id.ts';

/**
 * `multipart/report` (RFC 6522): what an MTA sends when a message could not be delivered
 * (`delivery-status`, RFC 3464) and what a client sends as a read receipt
 * (`disposition-notification`, RFC 8098). Neither is a request from a person; the intake needs
 * the Message-ID of *our* message that the report is about, to file it on that ticket.
 */

export const DSN_ACTIONS = ['failed', 'delayed', 'delivered', 'relayed', 'expanded'] as const;
export type DsnAction = (typeof DSN_ACTIONS)[number];

export interface DsnRecipient {
  /** Final-Recipient (or Original-Recipient) address, lower-cased. */
  address: string;
  action?: DsnAction;
  /** Enhanced status code (RFC 3463), e.g. `5.1.1`; 5.x.x is permanent, 4.x.x transient. */
  status?: string;
  /** The remote server's words, at most 500 characters. */
  diagnostic?: string;
}

export type MailReport =
  | {
      type: 'delivery-status';
      /** Normalized Message-ID of the message that bounced, from the returned message or its headers. */
      originalMessageId?: string;
      recipients: DsnRecipient[];
      /** Of the first failed recipient, else of the first recipient. */
      action?: DsnAction;
      status?: string;
    }
  | { type: 'disposition-notification'; originalMessageId?: string; disposition?: string }
  | { type: 'other'; reportType: string };

const DELIVERY_STATUS = ['message/delivery-status', 'message/global-delivery-status'];
const RETURNED_MESSAGE = [
  'message/rfc822',
  'message/global',
  'text/rfc822-headers',
  'message/global-headers',
];
const DISPOSITION = ['message/disposition-notification', 'message/global-disposition-notification'];

/** The largest report part read: a delivery-status part is a few hundred bytes. */
const MAX_REPORT_PART = 64 * 1024;

/** A Content-Type style header as mailparser parses it, lower-cased, or undefined for anything else. */
export const structuredHeader = (
  value: HeaderValue | undefined,
): { value: string; params: Record<string, string> } | undefined => {
  if (!value || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return undefined;
  if (!('value' in value) || typeof value.value !== 'string') return undefined;
  const params: Record<string, string> = {};
  if ('params' in value && value.params && typeof value.params === 'object') {
    for (const [key, param] of Object.entries(value.params))
      if (typeof param === 'string') params[key] = param;
  }
  return { value: value.value.toLowerCase(), params };
};

/**
 * The report, from the root Content-Type and the parts mailparser kept as attachments. A
 * delivery-status part anywhere counts, also outside `multipart/report`: some MTAs wrap the
 * report in a `multipart/mixed`.
 */
export const parseReport = (
  contentType: HeaderValue | undefined,
  attachments: readonly Attachment[],
): MailReport | undefined => {
  const root = structuredHeader(contentType);
  const declared =
    root?.value === 'multipart/report' ? (root.params['report-type'] ?? '').toLowerCase() : undefined;
  const partOf = (types: string[]): Attachment | undefined =>
    attachments.find((part) => types.includes(part.contentType.toLowerCase()));

  const status = partOf(DELIVERY_STATUS);
  if (declared === 'delivery-status' || (declared === undefined && status)) {
    const recipients = status ? recipientsOf(textOf(status)) : [];
    const returned = partOf(RETURNED_MESSAGE);
    const originalMessageId = returned ? headerIn(textOf(returned), 'message-id') : undefined;
    const first = recipients.find((recipient) => recipient.action === 'failed') ?? recipients[0];
    return {
      type: 'delivery-status',
      ...(originalMessageId && { originalMessageId }),
      recipients,
      ...(first?.action && { action: first.action }),
      ...(first?.status && { status: first.status }),
    };
  }
  if (declared === 'disposition-notification') {
    const part = partOf(DISPOSITION);
    const fields = part ? fieldGroups(textOf(part)).flat() : [];
    const originalMessageId = idOf(fieldValue(fields, 'original-message-id'));
    const disposition = fieldValue(fields, 'disposition');
    return {
      type: 'disposition-notification',
      ...(originalMessageId && { originalMessageId }),
      ...(disposition && { disposition }),
    };
  }
  return declared === undefined ? undefined : { type: 'other', reportType: declared || 'unspecified' };
};

/**
 * What a delivery-status report of a delay, and of no failure, says (`delayed: bob@example.com
 * (4.4.1)`); undefined for any other report. Such a report means the MTA is still retrying
 * (Postfix's "Delayed Mail (still being retried)", Exchange's "Delivery Status Notification
 * (Delay)") and sends another if it gives up. A recipient without an Action counts as failed, as
 * an MTA's report nearly always means.
 */
export const delayNotice = (report: MailReport): string | undefined => {
  if (report.type !== 'delivery-status') return undefined;
  const { recipients } = report;
  const delayed = recipients.filter((recipient) => recipient.action === 'delayed');
  const failed = recipients.some(
    (recipient) => recipient.action === undefined || recipient.action === 'failed',
  );
  if (delayed.length === 0 || failed) return undefined;
  return `delayed: ${delayed.map(({ address, status }) => (status ? `${address} (${status})` : address)).join(', ')}`;
};

const textOf = (part: Attachment): string => part.content.subarray(0, MAX_REPORT_PART).toString('utf8');

type Field = [name: string, value: string];

/** Header-style field blocks separated by blank lines (RFC 3464 §2.1), folded lines joined. */
const fieldGroups = (text: string): Field[][] =>
  text
    .replace(/\r\n/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((block) =>
      block
        .replace(/\n[ \t]+/g, ' ')
        .split('\n')
        .map((line): Field | undefined => {
          const colon = line.indexOf(':');
          return colon > 0
            ? [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]
            : undefined;
        })
        .filter((field): field is Field => field !== undefined),
    )
    .filter((fields) => fields.length > 0);

const fieldValue = (fields: Field[], name: string): string | undefined =>
  fields.find(([field]) => field === name)?.[1];

/** `rfc822; user@example.com` → `user@example.com`. */
const addressOf = (value: string | undefined): string | undefined => {
  const address = value
    ?.slice(value.indexOf(';') + 1)
    .trim()
    .replace(/^<|>$/g, '')
    .toLowerCase();
  return address?.includes('@') ? address : undefined;
};

const recipientsOf = (text: string): DsnRecipient[] => {
  // The first group is per-message (Reporting-MTA, Arrival-Date); each later one is a recipient.
  const groups = fieldGroups(text);
  const recipients: DsnRecipient[] = [];
  for (const fields of groups) {
    const address =
      addressOf(fieldValue(fields, 'final-recipient')) ?? addressOf(fieldValue(fields, 'original-recipient'));
    if (!address) continue;
    const action = fieldValue(fields, 'action')?.toLowerCase().split(/\s/)[0];
    const status = fieldValue(fields, 'status')?.match(/\b[245]\.\d{1,3}\.\d{1,3}\b/)?.[0];
    const diagnostic = fieldValue(fields, 'diagnostic-code');
    recipients.push({
      address,
      ...(DSN_ACTIONS.includes(action as DsnAction) && { action: action as DsnAction }),
      ...(status && { status }),
      ...(diagnostic && { diagnostic: diagnostic.slice(0, 500) }),
    });
  }
  return recipients;
};

/** One header of a returned message (or its header block), unfolded. */
const headerIn = (message: string, name: string): string | undefined => {
  const head = message.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/)[0] ?? '';
  const unfolded = head.replace(/\n[ \t]+/g, ' ').split('\n');
  const line = unfolded.find((candidate) => candidate.toLowerCase().startsWith(`${name}:`));
  return idOf(line?.slice(name.length + 1));
};

const idOf = (value: string | undefined): string | undefined => (value ? messageIdsIn(value)[0] : undefined);
