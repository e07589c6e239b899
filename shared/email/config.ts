import { normalizeEmail } from '#shared/domain/principal';
import { requiredEnv } from '#shared/runtime/env';
import { DEFAULT_DAILY_AUTOMATIC_MAIL_CAP } from './loops.ts';

/**
 * The email channel's settings, one reading for the intake (SES Lambda, local SMTP server) and
 * the mailer. The stack (or the local stack) sets the variables:
 *
 * - `TIERDESK_SUPPORT_ADDRESSES`: comma-separated; mail for these (and their plus-addresses)
 *   is the desk's. The first is the address Tierdesk sends from and whose plus-address
 *   (`support+42@…`) replies go to.
 * - `TIERDESK_MAIL_BUCKET`: where raw inbound mail (`inbound/`) and attachments (`attachments/`) are kept.
 * - `TIERDESK_DAILY_AUTOMATIC_MAIL_CAP`: automatic mails per address per day (default 10).
 */

export const MAIL_VARIABLES = {
  supportAddresses: 'TIERDESK_SUPPORT_ADDRESSES',
  bucket: 'TIERDESK_MAIL_BUCKET',
  dailyAutomaticMailCap: 'TIERDESK_DAILY_AUTOMATIC_MAIL_CAP',
} as const;

export interface MailConfig {
  /** Normalized; never empty. */
  supportAddresses: readonly string[];
  /** The first support address: From of every mail, base of the Reply-To plus-address. */
  fromAddress: string;
  /** The domain of {@link fromAddress}: the right-hand side of the Message-IDs Tierdesk makes. */
  domain: string;
  dailyAutomaticMailCap: number;
}

export const mailConfig = (
  supportAddresses: readonly string[],
  dailyAutomaticMailCap = DEFAULT_DAILY_AUTOMATIC_MAIL_CAP,
): MailConfig => {
  const addresses = supportAddresses.map((address) => normalizeEmail(address.trim())).filter(Boolean);
  const [fromAddress] = addresses;
  if (!fromAddress || !/^[^@\s]+@[^@\s]+$/.test(fromAddress)) {
    throw new Error(
      `${MAIL_VARIABLES.supportAddresses} must name at least one address (support@example.com).`,
    );
  }
  if (!Number.isInteger(dailyAutomaticMailCap) || dailyAutomaticMailCap < 0) {
    throw new Error(`${MAIL_VARIABLES.dailyAutomaticMailCap} must be a whole number ≥ 0.`);
  }
  return {
    supportAddresses: addresses,
    fromAddress,
    domain: fromAddress.slice(fromAddress.indexOf('@') + 1),
    dailyAutomaticMailCap,
  };
};

export const mailConfigFromEnv = (env: NodeJS.ProcessEnv = process.env): MailConfig => {
  const cap = env[MAIL_VARIABLES.dailyAutomaticMailCap];
  return mailConfig(
    (env[MAIL_VARIABLES.supportAddresses] ?? '').split(','),
    cap === undefined || cap === '' ? undefined : Number(cap),
  );
};

export const mailBucketFromEnv = (env: NodeJS.ProcessEnv = process.env): string =>
  requiredEnv(MAIL_VARIABLES.bucket, env);

/** `support+42@example.com`: replies to it thread to ticket 42 (from a participant). */
export const ticketReplyAddress = (config: MailConfig, ticket: number): string => {
  const at = config.fromAddress.indexOf('@');
  return `${config.fromAddress.slice(0, at)}+${ticket}${config.fromAddress.slice(at)}`;
};
