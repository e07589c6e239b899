import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Context, SESEvent } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRINTER_VENDOR } from '#infra/local/demo/service-levels';
import { fixedClock } from '#shared/domain/clock';
import { principalFromGroups } from '#shared/domain/principal';
import { DynamoMailStore } from '#shared/email/adapters/dynamodb';
import { S3RawMailStore } from '#shared/email/adapters/s3';
import { MAIL_VARIABLES } from '#shared/email/config';
import type { IntakeOutcome } from '#shared/email/intake';
import { RAW_MAIL_PREFIX } from '#shared/email/mail-objects';
import { type ReceiveDeps, type ReceiveResult, receiveMail } from '#shared/email/receive';
import { s3BucketFromEnv } from '#shared/runtime/s3-bucket';
import { escalateTicket, handOffTicket } from '#shared/tickets/ticket-actions';
import { type MailBucket, startMailBucket } from '#test/fixtures/email/mail-bucket';
import { mutatedMail, randomMime } from '#test/fixtures/email/mutate';
import { CONFIG, fixture, MESSAGE_IDS, SUPPORT } from '#test/fixtures/email/world';
import { freshTable } from '#test/support/table';

/**
 * The SES intake function on DynamoDB Local and a real S3 (s3rver): events shaped as SES sends
 * them, raw objects where the receipt rule's S3 action writes them (`inbound/<messageId>`).
 */

const clock = fixedClock('2026-11-20T14:00:00.000Z');
let env: Awaited<ReturnType<typeof freshTable>>;
let bucket: MailBucket;
let mail: DynamoMailStore;
let deps: ReceiveDeps;
let handler: typeof import('#functions/email/receive-mail').handler;

beforeAll(async () => {
  env = await freshTable(clock);
  bucket = await startMailBucket(clock);
  mail = new DynamoMailStore(env.db, env.tableName, clock);
  deps = {
    raw: bucket.raw,
    intake: {
      tickets: { ...env.tickets, clock },
      mail,
      config: CONFIG,
      attachments: bucket.attachments,
    },
  };
  // The module wires its default dependencies from the environment when it loads, as in Lambda.
  Object.assign(process.env, {
    TABLE_NAME: env.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: env.endpoint,
    // By host name, as a developer's setup may name it: an IP address would be addressed by path
    // whatever the setting, and hide a missing TIERDESK_S3_FORCE_PATH_STYLE.
    AWS_ENDPOINT_URL_S3: bucket.endpoint.replace('127.0.0.1', 'localhost'),
    TIERDESK_S3_FORCE_PATH_STYLE: 'true',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    [MAIL_VARIABLES.bucket]: bucket.bucket,
    [MAIL_VARIABLES.supportAddresses]: SUPPORT,
  });
  ({ handler } = await import('#functions/email/receive-mail'));
});
afterAll(async () => {
  await bucket.stop();
  await env.drop();
});

const context = {
  awsRequestId: 'test',
  functionName: 'tierdesk-receive-mail',
  getRemainingTimeInMillis: () => 120_000,
} as Context;

type Verdicts = Partial<Record<'spam' | 'virus' | 'spf' | 'dkim' | 'dmarc', string>>;

/** An SES receipt event for the Lambda action, as SES sends it (after its S3 action). */
const sesEvent = (messageId: string, verdicts: Verdicts = {}, from = 'alice@example.com'): SESEvent => {
  const status = (name: keyof Verdicts) => ({ status: (verdicts[name] ?? 'PASS') as 'PASS' });
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp: clock.now().toISOString(),
            source: from,
            messageId,
            destination: [SUPPORT],
            headersTruncated: false,
            headers: [
              { name: 'From', value: `Alice Example <${from}>` },
              { name: 'Subject', value: 'Printer on floor 3 jams' },
            ],
            commonHeaders: {
              returnPath: from,
              from: [`Alice Example <${from}>`],
              date: 'Fri, 20 Nov 2026 13:55:00 +0000',
              to: [SUPPORT],
              messageId: `<${messageId}.original@example.com>`,
              subject: 'Printer on floor 3 jams',
            },
          },
          receipt: {
            timestamp: clock.now().toISOString(),
            processingTimeMillis: 420,
            recipients: [SUPPORT],
            spamVerdict: status('spam'),
            virusVerdict: status('virus'),
            spfVerdict: status('spf'),
            dkimVerdict: status('dkim'),
            dmarcVerdict: status('dmarc'),
            action: {
              type: 'Lambda',
              functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:tierdesk-receive-mail',
              invocationType: 'Event',
            },
          },
        },
      },
    ],
  };
};

let sequence = 0;
/** SES's message ids are opaque tokens; these are unique per test run. */
const nextSesId = (): string => {
  sequence += 1;
  return `o${Date.now().toString(36)}${sequence.toString(36).padStart(4, '0')}`;
};

/** What SES's S3 action does before it invokes the function. */
const storeAsSes = async (sesId: string, raw: Buffer): Promise<void> => {
  await bucket.s3.send(
    new PutObjectCommand({ Bucket: bucket.bucket, Key: `${RAW_MAIL_PREFIX}${sesId}`, Body: raw }),
  );
};

const receive = async (event: unknown, using: ReceiveDeps = deps): Promise<IntakeOutcome | undefined> => {
  clock.advance(1000);
  const result = (await receiveMail(using)(event)) as ReceiveResult;
  return result.outcomes[0];
};

const aliceMail = (messageId: string): Buffer =>
  Buffer.from(
    [
      'From: Alice Example <alice@example.com>',
      `To: ${SUPPORT}`,
      'Subject: Printer on floor 3 jams',
      'Date: Fri, 20 Nov 2026 13:55:00 +0000',
      `Message-ID: <${messageId}>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The printer on floor 3 jams on every second page.',
      '',
    ].join('\r\n'),
  );

describe('Class: S3RawMailStore', () => {
  it('keeps a message under inbound/<day>/<uuid>.eml and gives back the same bytes', async () => {
    const raw = fixture('nested-related-inline-image.eml');

    const key = await bucket.raw.put(raw);

    expect(key).toMatch(/^inbound\/2026-11-20\/[0-9a-f-]{36}\.eml$/);
    expect((await bucket.raw.get(key))?.equals(raw)).toBe(true);
  });

  it('answers undefined for a key nobody wrote', async () => {
    expect(await bucket.raw.get('inbound/2026-11-20/nothing-here.eml')).toBeUndefined();
  });

  it('throws when the bucket itself is not there: an outage, not a missing message', async () => {
    const elsewhere = new S3RawMailStore(bucket.bucketNamed('no-such-mail-bucket'), clock);

    await expect(elsewhere.get('inbound/x')).rejects.toMatchObject({ status: 404, code: 'NoSuchBucket' });
  });
});

describe('Function: s3BucketFromEnv', () => {
  it('addresses the bucket by path when TIERDESK_S3_FORCE_PATH_STYLE=true (a local S3)', async () => {
    // Prepare: the endpoint (localhost), region and credentials come from the SDK's own variables.
    const mailBucket = s3BucketFromEnv(bucket.bucket);
    const store = new S3RawMailStore(mailBucket, clock);

    const key = await store.put(Buffer.from('From: a@example.com\r\n\r\nhello\r\n'));

    expect((await bucket.raw.get(key))?.toString()).toContain('hello');
    expect(mailBucket.urlOf(key).host).toBe(new URL(process.env.AWS_ENDPOINT_URL_S3 as string).host);
    expect(mailBucket.urlOf(key).pathname).toBe(`/${bucket.bucket}/${key}`);
  });

  it('addresses it by host name otherwise, as S3 on AWS expects, at the regional endpoint', () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 's' };
    expect(s3BucketFromEnv('tierdesk-mail', env).urlOf('inbound/a b.eml').href).toBe(
      'https://tierdesk-mail.s3.eu-west-1.amazonaws.com/inbound/a%20b.eml',
    );
    expect(
      s3BucketFromEnv('tierdesk-mail', { ...env, AWS_ENDPOINT_URL_S3: 'http://localhost:4569' }).urlOf('k')
        .href,
    ).toBe('http://tierdesk-mail.localhost:4569/k');
  });

  it('loads without credentials, and fails the first request that needs them, naming what is missing', async () => {
    const unconfigured = s3BucketFromEnv('tierdesk-mail', { AWS_REGION: 'eu-west-1' });
    await expect(unconfigured.get('inbound/x')).rejects.toThrow(
      'S3 bucket tierdesk-mail: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set',
    );
  });
});

describe('Function: receiveMail', () => {
  it('opens a ticket from the object SES stored, with the envelope and verdicts of the event', async () => {
    const sesId = nextSesId();
    await storeAsSes(sesId, aliceMail('ses.first@example.com'));

    const outcome = await receive(sesEvent(sesId));

    expect(outcome).toMatchObject({ kind: 'ticket' });
    const number = outcome?.kind === 'ticket' ? outcome.ticket : 0;
    expect(await env.store.getTicket(number)).toMatchObject({
      requester: 'alice@example.com',
      channel: 'email',
      subject: 'Printer on floor 3 jams',
    });
    expect(await mail.ticketByMessageId('ses.first@example.com')).toBe(number);
  });

  it('quarantines a message SES found a virus in, naming its object, and opens nothing', async () => {
    const sesId = nextSesId();
    await storeAsSes(sesId, aliceMail('ses.virus@example.com'));

    const outcome = await receive(sesEvent(sesId, { virus: 'FAIL' }));

    expect(outcome).toMatchObject({ kind: 'quarantine', reason: 'virus' });
    const [record] = await mail.quarantined(1);
    expect(record).toMatchObject({
      reason: 'virus',
      rawKey: `inbound/${sesId}`,
      from: 'alice@example.com',
      messageId: 'ses.virus@example.com',
    });
    expect(await mail.ticketByMessageId('ses.virus@example.com')).toBeUndefined();
  });

  it('believes the event over X-SES-* headers in the stored message', async () => {
    const sesId = nextSesId();
    await storeAsSes(sesId, fixture('ses-virus-verdict.eml'));

    expect(await receive(sesEvent(sesId))).toMatchObject({ kind: 'ticket' });
  });

  it('records a missing object as quarantined and returns: no retry can bring it back', async () => {
    const sesId = nextSesId();

    const outcome = await receive(sesEvent(sesId, {}, 'grace@example.com'));

    expect(outcome).toEqual({
      kind: 'quarantine',
      reason: 'raw-missing',
      detail: `no object inbound/${sesId} in the mail bucket`,
    });
    const [record] = await mail.quarantined(1);
    expect(record).toMatchObject({
      reason: 'raw-missing',
      rawKey: `inbound/${sesId}`,
      from: 'Alice Example <grace@example.com>',
      subject: 'Printer on floor 3 jams',
      messageId: `${sesId}.original@example.com`,
    });
  });

  it('fails the invocation when the bucket is unreachable, so that Lambda retries the event', async () => {
    const sesId = nextSesId();
    await storeAsSes(sesId, aliceMail('ses.outage@example.com'));
    const outage: ReceiveDeps = {
      ...deps,
      raw: new S3RawMailStore(bucket.bucketNamed('no-such-mail-bucket')),
    };

    await expect(receive(sesEvent(sesId), outage)).rejects.toMatchObject({ code: 'NoSuchBucket' });
    // The retry, once the bucket is back, finds the message as it was.
    expect(await receive(sesEvent(sesId))).toMatchObject({ kind: 'ticket' });
  });

  it('refuses an event that is not an SES receipt (kept by the on-failure queue)', async () => {
    await expect(receive({ Records: [{ eventSource: 'aws:sqs', body: '{}' }] })).rejects.toThrow(
      'The event is not an SES receipt',
    );
    await expect(receive(sesEvent('../../etc/passwd'))).rejects.toThrow('not an SES receipt');
  });

  it('runs as deployed: the handler wired from the environment reads the bucket by path', async () => {
    const sesId = nextSesId();
    await storeAsSes(sesId, aliceMail('ses.deployed@example.com'));

    const result = (await handler(sesEvent(sesId), context)) as ReceiveResult;

    expect(result.outcomes).toEqual([{ kind: 'ticket', ticket: expect.any(Number) }]);
    expect(await mail.ticketByMessageId('ses.deployed@example.com')).toBe(
      result.outcomes[0]?.kind === 'ticket' ? result.outcomes[0].ticket : -1,
    );
  });
});

describe('Function: receiveMail › who the sender is, as SES found it', () => {
  const AGENT = 'ines.agent@example.com';
  let number: number;

  /** A mail as SES stores it: its own Authentication-Results on top of what the sender wrote. */
  const asStoredBySes = (sesResults: string, from: string, lines: string[]): Buffer =>
    Buffer.from(
      [
        `Return-Path: <${from}>`,
        'Received: from mail.example.com (mail.example.com [192.0.2.25]) by inbound-smtp.eu-west-1.amazonaws.com',
        'X-SES-Spam-Verdict: PASS',
        'X-SES-Virus-Verdict: PASS',
        `Authentication-Results: amazonses.com;${sesResults}`,
        `From: ${from}`,
        `To: ${SUPPORT}`,
        ...lines,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'The new toner is in; I replaced it and printed a test page.',
        '',
      ].join('\r\n'),
    );

  const replyOf = (id: string) => [
    'Subject: Re: Printer on floor 3 jams',
    `Message-ID: <${id}>`,
    'In-Reply-To: <ses.auth.original@example.com>',
  ];

  beforeAll(async () => {
    await env.directory.putUser({
      email: AGENT,
      name: 'Ines',
      role: 'agent',
      tiers: [1],
      updatedAt: clock.now().toISOString(),
    });
    const sesId = nextSesId();
    await storeAsSes(sesId, aliceMail('ses.auth.original@example.com'));
    const opened = await receive(sesEvent(sesId));
    number = opened?.kind === 'ticket' ? opened.ticket : 0;
  });

  it("quarantines an agent's mail that SES found unsigned, whatever Authentication-Results the sender added", async () => {
    const sesId = nextSesId();
    await storeAsSes(
      sesId,
      asStoredBySes(
        ' spf=none smtp.mailfrom=example.com; dkim=none header.i=unknown; dmarc=none header.from=example.com;',
        AGENT,
        [
          ...replyOf('ses.auth.forged@example.com'),
          // Written by the forger, below SES's header: not believed.
          'Authentication-Results: amazonses.com; dkim=pass header.i=@example.com; dmarc=pass header.from=example.com',
        ],
      ),
    );
    const before = await env.store.timeline(number, { limit: 100, includeInternal: true });

    const outcome = await receive(sesEvent(sesId, { spf: 'GRAY', dkim: 'GRAY', dmarc: 'GRAY' }, AGENT));

    expect(outcome).toMatchObject({ kind: 'quarantine', reason: 'unauthenticated-staff' });
    expect((await mail.quarantined(1))[0]).toMatchObject({
      rawKey: `inbound/${sesId}`,
      auth: { verdict: 'none', reason: 'nothing-published' },
    });
    expect(await env.store.timeline(number, { limit: 100, includeInternal: true })).toEqual(before);
  });

  it("takes an agent's mail that SES's own header shows signed by their domain as their reply", async () => {
    const sesId = nextSesId();
    await storeAsSes(
      sesId,
      asStoredBySes(
        ' spf=none smtp.mailfrom=example.com; dkim=pass header.i=@example.com; dmarc=none header.from=example.com;',
        AGENT,
        replyOf('ses.auth.signed@example.com'),
      ),
    );

    const outcome = await receive(sesEvent(sesId, { spf: 'GRAY', dmarc: 'GRAY' }, AGENT));

    expect(outcome).toEqual({ kind: 'comment', ticket: number });
    const { items } = await env.store.timeline(number, { limit: 100, includeInternal: true });
    // (the agent's first public reply also opens the ticket: an `updated` event follows it)
    expect(items.findLast((event) => event.type === 'comment')).toMatchObject({
      actor: AGENT,
      public: true,
      data: { mail: { auth: { verdict: 'pass', reason: 'aligned-dkim-pass', mechanism: 'dkim' } } },
    });
  });
});

describe('Fuzz: receiveMail', () => {
  const OUTCOME_KINDS: readonly IntakeOutcome['kind'][] = [
    'ticket',
    'comment',
    'bounce',
    'quarantine',
    'drop',
    'duplicate',
  ];

  /** The same message under a Message-ID of its own, so that it is processed, not deduplicated. */
  const withMessageId = (raw: Buffer, id: string): Buffer => {
    const text = raw.toString('latin1');
    const replaced = text.replace(/^Message-ID:[^\r\n]*/im, `Message-ID: <${id}>`);
    return Buffer.from(replaced === text ? `Message-ID: <${id}>\r\n${text}` : replaced, 'latin1');
  };

  beforeAll(async () => {
    // The desk the fixtures were written for, as far as threading goes: their replies and bounces
    // find a ticket, and the vendor's mail finds it handed off to the vendor.
    const sesId = nextSesId();
    await storeAsSes(sesId, aliceMail('fuzz.original@example.com'));
    const opened = await receive(sesEvent(sesId));
    const number = opened?.kind === 'ticket' ? opened.ticket : 0;
    for (const id of [...Object.keys(MESSAGE_IDS), 'CRM.case.00551234@printco.example'])
      await mail.recordMessageId(id, number, 'out');
    await env.putVendor({
      ...DEMO_PRINTER_VENDOR,
      vendorId: 'printco',
      email: 'vendor-support@printco.example',
    });
    const work = { reason: 'Next tier', summary: 'Tried the usual.' };
    const tickets = deps.intake.tickets;
    await escalateTicket(tickets, principalFromGroups('t1@tierdesk.local', ['tier1']), number, work);
    await escalateTicket(tickets, principalFromGroups('t2@tierdesk.local', ['tier2']), number, work);
    await handOffTicket(tickets, principalFromGroups('t3@tierdesk.local', ['tier3']), number, {
      vendorId: 'printco',
      message: 'Please have a look.',
    });
  });

  it('never throws for mutated or random MIME, keeps every raw object, and always has an outcome', async () => {
    const raw = fc.oneof(
      { arbitrary: mutatedMail, weight: 3 },
      { arbitrary: randomMime, weight: 2 },
      { arbitrary: fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)), weight: 1 },
    );
    // Mostly clean verdicts: a FAIL quarantines before anything else is tried.
    const verdict = (...others: string[]) =>
      fc.oneof({ arbitrary: fc.constant('PASS'), weight: 8 }, fc.constantFrom(...others));
    const verdicts = fc.record({
      spam: verdict('FAIL', 'GRAY', 'PROCESSING_FAILED'),
      virus: verdict('FAIL', 'GRAY'),
      dmarc: verdict('FAIL', 'GRAY'),
    });

    await fc.assert(
      fc.asyncProperty(raw, fc.boolean(), verdicts, async (bytes, fresh, receipt) => {
        const sesId = nextSesId();
        const message = fresh ? withMessageId(bytes, `${sesId}@fuzz.example`) : bytes;
        await storeAsSes(sesId, message);

        const outcome = await receive(sesEvent(sesId, receipt));

        expect(OUTCOME_KINDS).toContain(outcome?.kind);
        expect((await bucket.raw.get(`inbound/${sesId}`))?.equals(message)).toBe(true);
        if (outcome?.kind === 'quarantine') {
          expect((await mail.quarantined(1))[0]?.rawKey).toBe(`inbound/${sesId}`);
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
