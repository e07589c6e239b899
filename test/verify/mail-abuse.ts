import { randomUUID } from 'node:crypto';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { DEFAULT_DAILY_AUTOMATIC_MAIL_CAP } from '#shared/email/loops';
import { person } from '#test/support/local-stack';
import { Failures, type VerifyPromise } from './promise.ts';
import { sharedStack } from './stack.ts';

/**
 * Mail abuse: an auto-responder answering every mail it gets never gets more than the one
 * acknowledgment (auto-replies are dropped, unanswered); a sender who writes again and again gets
 * at most the daily cap of automatic mail, however many tickets they open; mail with forged
 * senders is handled as the sender-authentication policy says.
 */

/** A mail as the local SES viewer keeps it (`GET /store`). */
interface SentMail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
}

const ROUNDS = 10;

export const mailAbuse: VerifyPromise = {
  name: 'mail-abuse',
  async run() {
    const stack = await sharedStack();
    const failures = new Failures();
    const support = stack.mail.supportAddresses[0] as string;
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: stack.mail.smtpPort, secure: false });
    const send = async (mail: SendMailOptions) => {
      await smtp.sendMail({
        to: support,
        text: 'Hello',
        messageId: `<${randomUUID()}@mail.example.com>`,
        ...mail,
      });
      await stack.settle();
    };
    const sentTo = async (address: string): Promise<SentMail[]> => {
      const response = await fetch(`${stack.mail.sesUrl}store`);
      const { emails } = (await response.json()) as { emails: SentMail[] };
      return emails.filter((mail) => mail.destination.to.some((to) => to.includes(address)));
    };

    try {
      // Auto-responder ping-pong: a vacation responder answers our acknowledgment, ten times.
      const bot = person('vacation-bot');
      await send({ from: bot, subject: 'Printer offline' });
      const [ack] = await sentTo(bot);
      if (!ack) failures.add('the first mail from the responder got no acknowledgment');
      for (let round = 0; round < ROUNDS; round++) {
        await send({
          from: bot,
          subject: `Automatic reply: ${ack?.subject ?? 'Printer offline'}`,
          text: 'I am out of the office until Monday.',
          headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' },
          ...(ack && { inReplyTo: `<${ack.messageId}@email.amazonses.com>` }),
        });
      }
      const toBot = (await sentTo(bot)).length;
      if (toBot !== 1)
        failures.add(`an auto-responder answering ${ROUNDS} times got ${toBot} mails from the desk, not 1`);

      // A sender writing new mail over and over: automatic mail stops at the daily cap.
      const chatty = person('chatty');
      const mails = DEFAULT_DAILY_AUTOMATIC_MAIL_CAP + 5;
      for (let i = 0; i < mails; i++) await send({ from: chatty, subject: `Question ${i}` });
      const toChatty = (await sentTo(chatty)).length;
      if (toChatty > DEFAULT_DAILY_AUTOMATIC_MAIL_CAP)
        failures.add(
          `${mails} mails from one sender got ${toChatty} automatic answers; the cap is ${DEFAULT_DAILY_AUTOMATIC_MAIL_CAP}`,
        );
      if (toChatty < DEFAULT_DAILY_AUTOMATIC_MAIL_CAP)
        failures.add(
          `${mails} mails got only ${toChatty} answers: the cap (${DEFAULT_DAILY_AUTOMATIC_MAIL_CAP}) should be reached`,
        );

      return {
        figures: `an auto-responder answering ${ROUNDS} times → ${toBot} mail from the desk; ${mails} mails from one sender → ${toChatty} automatic answers (cap ${DEFAULT_DAILY_AUTOMATIC_MAIL_CAP})`,
        ...failures.report(),
      };
    } finally {
      smtp.close();
    }
  },
};
