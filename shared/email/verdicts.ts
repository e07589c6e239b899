import type { ParsedMail } from './parse.ts';

/**
 * SES scans inbound mail and reports verdicts in the receipt of the event (`receipt.spamVerdict`
 * and so on). PRODUCT: a spam or virus FAIL is quarantined, never a ticket.
 *
 * Beyond that, a DMARC FAIL from a domain whose published policy is `reject` or `quarantine` is
 * quarantined too: the domain's owner says such mail is forged, and a forged From of a participant
 * is exactly what could put a stranger's words on someone's ticket through a subject token.
 * GRAY and PROCESSING_FAILED never quarantine (a scanner outage must not swallow mail); they are
 * reported as `notes` for the log and the ticket.
 */

/** The verdict part of an SES receipt (`Records[0].ses.receipt`), field names as SES sends them. */
export interface SesReceiptVerdicts {
  spamVerdict?: { status: string };
  virusVerdict?: { status: string };
  spfVerdict?: { status: string };
  dkimVerdict?: { status: string };
  dmarcVerdict?: { status: string };
  /** Only present when the DMARC verdict is FAIL: the sending domain's policy. */
  dmarcPolicy?: string;
}

export type QuarantineReason = 'virus' | 'spam' | 'dmarc';

export interface VerdictDecision {
  quarantine: boolean;
  reason?: QuarantineReason;
  /** Human-readable facts worth logging (failed SPF/DKIM, scans that did not complete). */
  notes: string[];
}

const status = (verdict: { status: string } | undefined): string | undefined =>
  verdict?.status?.toUpperCase();

export const verdictDecision = (receipt: SesReceiptVerdicts): VerdictDecision => {
  const notes: string[] = [];
  for (const [name, verdict] of [
    ['spam', receipt.spamVerdict],
    ['virus', receipt.virusVerdict],
    ['SPF', receipt.spfVerdict],
    ['DKIM', receipt.dkimVerdict],
    ['DMARC', receipt.dmarcVerdict],
  ] as const) {
    const value = status(verdict);
    if (value && value !== 'PASS') notes.push(`${name} ${value}`);
  }
  // Virus first: of two reasons, the one that matters for who may open the quarantined object.
  if (status(receipt.virusVerdict) === 'FAIL') return { quarantine: true, reason: 'virus', notes };
  if (status(receipt.spamVerdict) === 'FAIL') return { quarantine: true, reason: 'spam', notes };
  const policy = receipt.dmarcPolicy?.toUpperCase();
  if (status(receipt.dmarcVerdict) === 'FAIL' && (policy === 'REJECT' || policy === 'QUARANTINE')) {
    return { quarantine: true, reason: 'dmarc', notes: [...notes, `DMARC policy ${policy}`] };
  }
  return { quarantine: false, notes };
};

/**
 * The verdicts SES also writes into the stored message (`X-SES-Spam-Verdict`,
 * `X-SES-Virus-Verdict`), for paths without the event: the local SMTP server, a re-drive from
 * the raw object. SES adds its headers on top, so the first occurrence is SES's; a sender can
 * only forge one that quarantines their own mail, since the event verdicts win when present.
 */
export const verdictsFromHeaders = (mail: ParsedMail): SesReceiptVerdicts => {
  const first = (values: string[] | undefined): { status: string } | undefined => {
    const value = values?.[0]?.trim().toUpperCase();
    return value ? { status: value } : undefined;
  };
  const spamVerdict = first(mail.headers['x-ses-spam-verdict']);
  const virusVerdict = first(mail.headers['x-ses-virus-verdict']);
  return { ...(spamVerdict && { spamVerdict }), ...(virusVerdict && { virusVerdict }) };
};
