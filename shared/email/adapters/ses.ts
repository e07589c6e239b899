import { type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';

import type { MailTransport, SentReceipt } from '#shared/email/outbound/transport';

/**
 * The mailer's SES adapter (SES v1 SendRawEmail: the raw MIME as composed, so every header is
 * ours). The endpoint comes from the SDK's own configuration (`AWS_ENDPOINT_URL_SES` locally,
 * where aws-ses-v2-local answers).
 */

/**
 * The Message-ID SES writes on a mail it sent: `<id@email.amazonses.com>` in us-east-1, the
 * region's subdomain elsewhere. A region that is not an AWS region (`local`) is an emulator,
 * which answers like us-east-1.
 */
export const sesMessageId = (sesId: string, region: string | undefined): string => {
  const isAwsRegion = region !== undefined && /^[a-z]{2}(?:-[a-z]+)+-\d+$/.test(region);
  const domain = isAwsRegion && region !== 'us-east-1' ? `${region}.amazonses.com` : 'email.amazonses.com';
  return `${sesId}@${domain}`;
};

export class SesTransport implements MailTransport {
  constructor(private readonly ses: SESClient) {}

  async send(raw: Buffer, envelope: { from: string; to: string }): Promise<SentReceipt> {
    const { MessageId } = await this.ses.send(
      new SendRawEmailCommand({
        RawMessage: { Data: raw },
        Source: envelope.from,
        // Exactly the recipient this mail is for, whatever its headers list.
        Destinations: [envelope.to],
      }),
    );
    if (!MessageId) throw new Error('SES accepted the mail without a MessageId.');
    return { deliveredMessageId: sesMessageId(MessageId, await this.region()) };
  }

  private async region(): Promise<string | undefined> {
    try {
      return await this.ses.config.region();
    } catch {
      return undefined;
    }
  }
}
