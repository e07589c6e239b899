import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { normalizeEmail } from '#shared/domain/principal';
import { withoutTag } from '#shared/email/address';
import type { IntakeOutcome, ReceivedMail } from '#shared/email/intake';
import type { RawMailStore } from '#shared/email/mail-objects';
import { verifyLocally } from './mail-auth.ts';

/**
 * The local stand-in for SES inbound: an SMTP server that accepts mail for the support address
 * (and its plus-addresses), keeps the raw message where the S3 action would, verifies its SPF,
 * DKIM and DMARC as SES would (with mailauth, against the local DNS table of `mail-auth.ts`), and
 * hands it with those results to the same intake the SES Lambda runs. No SMTP AUTH and no TLS: it
 * listens on loopback for a developer's mail client, `swaks` or `npm run mail`.
 */

export const DEFAULT_SMTP_PORT = 2525;
export const DEFAULT_SUPPORT_ADDRESS = 'support@tierdesk.local';
/** SES accepts messages up to 40 MB; the local server takes the same. */
const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

export interface SmtpServerOptions {
  /** 0 picks a free port (tests); default {@link DEFAULT_SMTP_PORT}. */
  port?: number;
  host?: string;
  /** Addresses mail is accepted for; default {@link DEFAULT_SUPPORT_ADDRESS}. */
  supportAddresses?: readonly string[];
  intake: (received: ReceivedMail) => Promise<IntakeOutcome>;
  rawStore: RawMailStore;
  /**
   * Where an intake failure is reported (the client is told to retry). Default: console.error.
   * A callback rather than the handlers' logger: this module loads before their environment is set.
   */
  onError?: (error: unknown) => void;
}

export interface RunningSmtpServer {
  port: number;
  close(): Promise<void>;
}

/** An SMTP reply with its code, as smtp-server sends it. */
const smtpError = (responseCode: number, message: string): Error =>
  Object.assign(new Error(message), { responseCode });

export const startSmtpServer = async (options: SmtpServerOptions): Promise<RunningSmtpServer> => {
  const accepted = new Set((options.supportAddresses ?? [DEFAULT_SUPPORT_ADDRESS]).map(normalizeEmail));

  const receive = async (stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    if (stream.sizeExceeded) throw smtpError(552, `Message exceeds ${MAX_MESSAGE_BYTES} bytes`);
    const raw = Buffer.concat(chunks);
    // Kept before anything reads it: whatever the intake makes of it, the message is not lost.
    const rawKey = await options.rawStore.put(raw);
    const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const authentication = await verifyLocally(raw, {
      ip: session.remoteAddress,
      helo: session.hostNameAppearsAs,
      mailFrom,
    });
    await options.intake({
      raw,
      rawKey,
      envelope: { mailFrom, recipients: session.envelope.rcptTo.map((recipient) => recipient.address) },
      authentication,
    });
  };

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    banner: 'Tierdesk local mail intake',
    onRcptTo(address, _session, callback) {
      if (accepted.has(normalizeEmail(withoutTag(address.address)))) callback();
      else callback(smtpError(550, `No mailbox here by that name: ${address.address}`));
    },
    onData(stream, session, callback) {
      receive(stream, session).then(
        () => callback(),
        (error: unknown) => {
          (options.onError ?? ((failure) => console.error('SMTP intake failed:', failure)))(error);
          const code = (error as { responseCode?: number }).responseCode;
          // Anything but a size refusal is ours: a temporary failure makes the client retry.
          callback(code ? (error as Error) : smtpError(451, 'Temporary failure, try again later'));
        },
      );
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? DEFAULT_SMTP_PORT, options.host ?? '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
