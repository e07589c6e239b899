import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendSignedMail } from '#infra/local/mail-auth';
import { type RunningSmtpServer, startSmtpServer } from '#infra/local/smtp';
import { fixedClock } from '#shared/domain/clock';
import { DynamoMailStore } from '#shared/email/adapters/dynamodb';
import { type IntakeOutcome, intake, type ReceivedMail } from '#shared/email/intake';
import { type MailBucket, startMailBucket } from '#test/fixtures/email/mail-bucket';
import { CONFIG } from '#test/fixtures/email/world';
import { freshTable } from '#test/support/table';

const clock = fixedClock('2026-11-20T14:00:00.000Z');
let env: Awaited<ReturnType<typeof freshTable>>;
let bucket: MailBucket;
let smtp: RunningSmtpServer;
const received: { mail: ReceivedMail; outcome: IntakeOutcome }[] = [];

beforeAll(async () => {
  env = await freshTable(clock);
  bucket = await startMailBucket(clock);
  const deps = {
    tickets: { ...env.tickets, clock },
    mail: new DynamoMailStore(env.db, env.tableName, clock),
    config: CONFIG,
    attachments: bucket.attachments,
  };
  smtp = await startSmtpServer({
    port: 0,
    rawStore: bucket.raw,
    intake: async (mail) => {
      const outcome = await intake(deps, mail);
      received.push({ mail, outcome });
      return outcome;
    },
  });
});
afterAll(async () => {
  await smtp.close();
  await bucket.stop();
  await env.drop();
});

const transport = () =>
  createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });

describe('Function: startSmtpServer', () => {
  it('keeps the raw message and opens a ticket for a mail to the support address', async () => {
    await transport().sendMail({
      from: 'Grace <grace@example.com>',
      to: 'support@tierdesk.local',
      cc: 'henry@example.com',
      subject: 'Laptop will not boot',
      text: 'It shows a black screen since this morning.',
    });

    const [delivery] = received;
    expect(delivery?.outcome.kind).toBe('ticket');
    // Henry's RCPT TO is refused (not ours to deliver); he is on the Cc line all the same.
    expect(delivery?.mail.envelope).toEqual({
      mailFrom: 'grace@example.com',
      recipients: ['support@tierdesk.local'],
    });
    const raw = await bucket.raw.get(delivery?.mail.rawKey ?? '');
    expect(raw?.toString()).toContain('Subject: Laptop will not boot');
    const number = delivery?.outcome.kind === 'ticket' ? delivery.outcome.ticket : 0;
    expect(await env.store.getTicket(number)).toMatchObject({
      requester: 'grace@example.com',
      watchers: ['henry@example.com'],
      channel: 'email',
    });
  });

  it('verifies each message over the local DNS table: a mail signed with the local test key passes DKIM and DMARC', async () => {
    await sendSignedMail(
      { port: smtp.port },
      {
        from: 'Dana <dana@contoso.example>',
        to: 'support@tierdesk.local',
        subject: 'Badge reader at the side door',
        text: 'It beeps red for everyone.',
      },
    );

    const delivery = received.at(-1);
    // SPF fails: contoso.example names its outbound servers, and the local client is loopback.
    expect(delivery?.mail.authentication).toEqual({
      dkim: [{ result: 'pass', domain: 'contoso.example' }],
      spf: { result: 'fail', domain: 'contoso.example' },
      dmarc: { result: 'pass', domain: 'contoso.example' },
    });
    expect(delivery?.outcome.kind).toBe('ticket');
  });

  it('finds the same mail unsigned a forgery (DMARC fails), and mail of a domain that publishes nothing unjudged', async () => {
    await transport().sendMail({
      from: 'dana@contoso.example',
      to: 'support@tierdesk.local',
      subject: 'Badge reader',
      text: 'x',
    });
    expect(received.at(-1)?.mail.authentication).toEqual({
      dkim: [],
      spf: { result: 'fail', domain: 'contoso.example' },
      dmarc: { result: 'fail', domain: 'contoso.example' },
    });

    // Grace's mail of the first test: example.com publishes no SPF or DMARC.
    expect(received[0]?.mail.authentication).toEqual({
      dkim: [],
      spf: { result: 'none', domain: 'example.com' },
      dmarc: { result: 'none', domain: 'example.com' },
    });
  });

  it('refuses recipients other than the support address with 550', async () => {
    await expect(
      transport().sendMail({
        from: 'grace@example.com',
        to: 'someone@else.example',
        subject: 'x',
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
  });
});
