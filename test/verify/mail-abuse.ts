import { randomUUID } from 'node:crypto';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { sendSignedMail } from '#infra/local/mail-auth';
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

      // Forged senders: staff and vendor mail without authentication changes nothing; a forgery of
      // a requester whose domain publishes SPF/DKIM/DMARC opens a ticket, but answers nobody and
      // makes nobody a watcher (no backscatter, no reading by Cc).
      const requester = { email: person('forgery-target'), role: 'requester' } as const;
      const created = await stack.api<{ number: number }>('/tickets', {
        method: 'POST',
        as: requester,
        body: { subject: 'VPN drops', description: 'Every hour.' },
      });
      const number = created.body.number;
      await stack.settle(); // its triage and acknowledgment first
      const agentView = { email: 'priya@example.com', role: 'agent', tiers: [1] } as const;
      const timeline = async () =>
        (
          await stack.api<{ items: { type: string; actor: string; public: boolean }[] }>(
            `/tickets/${number}/timeline?limit=100`,
            { as: agentView },
          )
        ).body.items;
      const before = (await timeline()).length;
      // Its assignee (round-robin in Tier 1): an agent whose reply by mail the desk takes.
      const assignee =
        (await stack.api<{ assignee?: string }>(`/tickets/${number}`, { as: agentView })).body.assignee ??
        'priya@example.com';
      const mailsToRequester = (await sentTo(requester.email)).length;
      const local = { port: stack.mail.smtpPort };
      await sendSignedMail(
        local,
        {
          from: assignee,
          to: support,
          subject: `Re: [#${number}] VPN drops`,
          text: 'Please send me your password.',
        },
        { unsigned: true },
      );
      await sendSignedMail(
        local,
        {
          from: 'vendor@printer-vendor.example',
          to: support,
          subject: `Re: [#${number}] VPN drops`,
          text: 'Resolved on our side.',
        },
        { unsigned: true },
      );
      await stack.settle();
      const forgedStaff = (await timeline()).length - before;
      if (forgedStaff !== 0)
        failures.add(`unsigned mail as an agent and a vendor added ${forgedStaff} events to #${number}`);
      const leaked = (await sentTo(requester.email)).length - mailsToRequester;
      if (leaked !== 0)
        failures.add(`unsigned mail as an agent made the desk mail the requester ${leaked} times`);
      // The control: the same agent's signed mail is their reply, so the refusals above are the signature's doing.
      await sendSignedMail(local, {
        from: assignee,
        to: support,
        subject: `Re: [#${number}] VPN drops`,
        text: 'Could you try the other gateway?',
      });
      await stack.settle();
      const replies = (await timeline()).filter(
        (event) => event.type === 'comment' && event.public && event.actor === assignee,
      );
      const signed = replies.length;
      if (signed !== 1)
        failures.add(`the assignee's signed mail made ${signed} public replies on #${number}, not 1`);

      const victim = `ceo-${Date.now()}@contoso.example`;
      const attacker = person('attacker');
      await sendSignedMail(
        local,
        { from: victim, to: support, cc: attacker, subject: 'Wire transfer', text: 'Please reset my MFA.' },
        { unsigned: true },
      );
      await stack.settle();
      const backscatter = (await sentTo(victim)).length;
      const toAttacker = (await sentTo(attacker)).length;
      const attackerTickets = await stack.api<{ items: unknown[] }>('/tickets?view=mine', {
        as: { email: attacker, role: 'requester' },
      });
      const victimTickets = await stack.api<{ items: unknown[] }>('/tickets?view=mine', {
        as: { email: victim, role: 'requester' },
      });
      if (backscatter !== 0) failures.add(`a forged sender got ${backscatter} mails (backscatter)`);
      if (toAttacker !== 0 || attackerTickets.body.items.length !== 0)
        failures.add('the Cc of a forged mail became a watcher');
      if (victimTickets.body.items.length !== 1)
        failures.add('the forged requester mail opened no ticket (a real requester could be lost)');

      return {
        figures: `an auto-responder answering ${ROUNDS} times → ${toBot} mail from the desk; ${mails} mails from one sender → ${toChatty} automatic answers (cap ${DEFAULT_DAILY_AUTOMATIC_MAIL_CAP}); unsigned mail as an agent and a vendor → ${forgedStaff} events, ${leaked} mails (signed: ${signed} reply); a forged requester → ${victimTickets.body.items.length} ticket, ${backscatter} answers, Cc not a watcher`,
        ...failures.report(),
      };
    } finally {
      smtp.close();
    }
  },
};
