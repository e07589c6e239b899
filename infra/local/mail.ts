import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import * as sesLocalModule from 'aws-ses-v2-local';
import S3rver from 's3rver';
import s3rverAccounts from 's3rver/lib/models/account.js';
import { S3RawMailStore } from '#shared/email/adapters/s3';
import { MAIL_VARIABLES, mailBucketFromEnv } from '#shared/email/config';
import type { IntakeOutcome, ReceivedMail } from '#shared/email/intake';
import type { RawMailStore } from '#shared/email/mail-objects';
import { KB_VARIABLES } from '#shared/kb/config';
import { clockFromEnv } from '#shared/runtime/clock';
import { s3BucketFromEnv } from '#shared/runtime/s3-bucket';
import { TICKET_VARIABLES } from '#shared/tickets/config';
import { type LambdaHandler, loadHandler, localFunction } from './lambda.ts';
import { freePort } from './ports.ts';
import {
  DEFAULT_SMTP_PORT,
  DEFAULT_SUPPORT_ADDRESS,
  type RunningSmtpServer,
  startSmtpServer,
} from './smtp.ts';
import { type StreamPoller, type StreamStart, startStreamPoller } from './stream-poller.ts';
import { teardown } from './teardown.ts';

/**
 * The email half of the local stack, each part standing in for its AWS service:
 * - an S3 server (s3rver) holding the mail bucket: raw messages and attachments, written and
 *   read by the same S3 adapter the Lambdas use;
 * - an SMTP server in place of SES inbound: it keeps the raw message in that bucket and runs the
 *   intake the SES Lambda runs;
 * - aws-ses-v2-local in place of SES outbound, with its viewer of the sent mail;
 * - a second reader of the table's stream feeding the real mailer Lambda, as the second event
 *   source mapping on AWS does.
 */

export const DEFAULT_SES_PORT = 8005;

/**
 * aws-ses-v2-local is CommonJS with an `exports.default`: Node's ESM import sees the exports
 * object as the default, a bundler's interop the function itself.
 */
type StartSes = typeof sesLocalModule.default;
const startSes: StartSes =
  (sesLocalModule.default as unknown as { default?: StartSes }).default ?? sesLocalModule.default;
const LOCAL_MAIL_BUCKET = 'tierdesk-mail-local';
/** The knowledge base's bucket (its search index) lives on the same local S3. */
const LOCAL_KB_BUCKET = 'tierdesk-kb-local';
const MAILER_ENTRY = 'functions/email/send-mail.ts';
const TASK_TIMEOUT_MS = 30_000;

/** What the local stack's functions sign requests with (see `functionEnvironment` in stack.ts). */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface LocalMailPorts {
  /** 0 picks a free port; default {@link DEFAULT_SMTP_PORT}. */
  smtpPort?: number;
  /** 0 picks a free port; default {@link DEFAULT_SES_PORT}. */
  sesPort?: number;
  supportAddresses?: readonly string[];
}

export interface LocalMailPlan {
  smtpPort: number;
  sesPort: number;
  s3Port: number;
  supportAddresses: readonly string[];
  /** Env of the functions: the mail settings and the local S3/SES endpoints. */
  env: Record<string, string>;
}

/** Ports and env, decided before any handler module loads (their clients read the env once). */
export const planLocalMail = async (options: LocalMailPorts): Promise<LocalMailPlan> => {
  const smtpPort = options.smtpPort === 0 ? await freePort() : (options.smtpPort ?? DEFAULT_SMTP_PORT);
  const sesPort = options.sesPort === 0 ? await freePort() : (options.sesPort ?? DEFAULT_SES_PORT);
  const s3Port = await freePort();
  const supportAddresses = options.supportAddresses ?? [DEFAULT_SUPPORT_ADDRESS];
  return {
    smtpPort,
    sesPort,
    s3Port,
    supportAddresses,
    env: {
      [MAIL_VARIABLES.supportAddresses]: supportAddresses.join(','),
      [MAIL_VARIABLES.bucket]: LOCAL_MAIL_BUCKET,
      // Comment files share the mail bucket, as on AWS.
      [TICKET_VARIABLES.attachmentBucket]: LOCAL_MAIL_BUCKET,
      [KB_VARIABLES.bucket]: LOCAL_KB_BUCKET,
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${s3Port}`,
      AWS_ENDPOINT_URL_SES: `http://127.0.0.1:${sesPort}`,
      // s3rver serves buckets by path, not by host name.
      TIERDESK_S3_FORCE_PATH_STYLE: 'true',
    },
  };
};

/**
 * What the SMTP server hands each message to: the SES intake function's own dependencies (the
 * mail bucket, the table, the settings), so a mail takes the same path as on AWS from the
 * moment its raw bytes are kept. Call it once the function environment is bound.
 */
export const localMailIntake = async (): Promise<{
  rawStore: RawMailStore;
  intake: (received: ReceivedMail) => Promise<IntakeOutcome>;
}> => {
  // Imported here, not at the top: the logger reads the function environment when it loads.
  const { receiveDepsFromEnv } = await import('#shared/email/deps');
  const { intake } = await import('#shared/email/intake');
  const { lambdaHandler } = await import('#shared/runtime/handler');
  const deps = receiveDepsFromEnv();
  // Run as the intake function is on AWS, through the handler factory: what it logs names it.
  const receiveMail = localFunction(
    'tierdesk-receive-mail',
    lambdaHandler('ses', (received: ReceivedMail) => intake(deps.intake, received)) as LambdaHandler,
    TASK_TIMEOUT_MS,
  );
  return {
    rawStore: new S3RawMailStore(s3BucketFromEnv(mailBucketFromEnv()), clockFromEnv()),
    intake: async (received) => (await receiveMail.invoke(received)) as IntakeOutcome,
  };
};

/**
 * The mail bucket's CORS rule, as the Email construct gives it on AWS: the console's origins may
 * post presigned uploads (and fetch presigned downloads). s3rver does not check the POST policy
 * itself (size, type): the comment route checks the stored object instead.
 */
const corsConfiguration = (origins: readonly string[]): string[] =>
  origins.length === 0
    ? []
    : [
        `<CORSConfiguration><CORSRule>${origins.map((origin) => `<AllowedOrigin>${origin}</AllowedOrigin>`).join('')}` +
          '<AllowedMethod>POST</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader>' +
          '<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>',
      ];

export interface LocalMail {
  smtpPort: number;
  supportAddresses: readonly string[];
  /** The SES viewer (a page of the sent mail; `GET /store` is the same as JSON). */
  sesUrl: string;
  s3Endpoint: string;
  bucket: string;
  /** Resolves once the mailer has handled every table change so far. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export const startLocalMail = async (options: {
  plan: LocalMailPlan;
  dynamoEndpoint: string;
  tableName: string;
  /** Keep the mail bucket under this folder (with `--persist`); otherwise a temporary folder. */
  persistDir?: string;
  rawStore: RawMailStore;
  intake: (received: ReceivedMail) => Promise<IntakeOutcome>;
  onError: (error: unknown, where: string) => void;
  /** Where the mailer starts reading the table's stream (default: its oldest record). */
  streamFrom?: StreamStart;
  /** Browser origins (the console's) that upload comment files to the mail bucket. */
  corsOrigins?: readonly string[];
}): Promise<LocalMail> => {
  const { plan } = options;
  const stops = teardown();
  const stop = stops.stop;
  try {
    const directory = options.persistDir ?? (await mkdtemp(join(tmpdir(), 'tierdesk-s3-')));
    if (!options.persistDir) stops.push(() => rm(directory, { recursive: true, force: true }));
    const s3 = new S3rver({
      address: '127.0.0.1',
      port: plan.s3Port,
      silent: true,
      directory,
      configureBuckets: [
        { name: LOCAL_MAIL_BUCKET, configs: corsConfiguration(options.corsOrigins ?? []) },
        { name: LOCAL_KB_BUCKET },
      ],
    });
    // The functions sign with the local stack's dummy credentials; s3rver knows only its own.
    s3rverAccounts.DUMMY_ACCOUNT.createKeyPair(
      LOCAL_CREDENTIALS.accessKeyId,
      LOCAL_CREDENTIALS.secretAccessKey,
    );
    await s3.run();
    stops.push(() => s3.close());

    const ses: Server = await startSes({ host: '127.0.0.1', port: plan.sesPort });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          ses.close(() => resolve());
          ses.closeAllConnections();
        }),
    );

    const mailer = localFunction('tierdesk-send-mail', await loadHandler(MAILER_ENTRY), TASK_TIMEOUT_MS);
    const poller: StreamPoller = await startStreamPoller({
      endpoint: options.dynamoEndpoint,
      tableName: options.tableName,
      handler: async (event) => (await mailer.invoke(event)) as DynamoDBBatchResponse,
      from: options.streamFrom,
      onDeadLetter: (record: DynamoDBRecord, error) =>
        options.onError(error, `mail for stream record ${record.eventID ?? ''}`),
    });
    stops.push(() => poller.stop());

    const smtp: RunningSmtpServer = await startSmtpServer({
      port: plan.smtpPort,
      supportAddresses: plan.supportAddresses,
      rawStore: options.rawStore,
      intake: options.intake,
      onError: (error) => options.onError(error, 'SMTP intake'),
    });
    stops.push(() => smtp.close());

    return {
      smtpPort: smtp.port,
      supportAddresses: plan.supportAddresses,
      sesUrl: `http://127.0.0.1:${(ses.address() as AddressInfo).port}/`,
      s3Endpoint: plan.env.AWS_ENDPOINT_URL_S3 as string,
      bucket: LOCAL_MAIL_BUCKET,
      drain: () => poller.drain(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
