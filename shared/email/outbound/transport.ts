/** The port the mailer sends through (the SES adapter is `#shared/email/adapters/ses`). */

export interface SentReceipt {
  /**
   * The Message-ID the recipient sees, without angle brackets. SES replaces the sender's
   * Message-ID header with its own, so a reply refers to this one.
   */
  deliveredMessageId: string;
}

export interface MailTransport {
  send(raw: Buffer, envelope: { from: string; to: string }): Promise<SentReceipt>;
}
