import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type IPublicHostedZone, MxRecord } from 'aws-cdk-lib/aws-route53';
import { type Bucket, type CfnBucket, HttpMethods } from 'aws-cdk-lib/aws-s3';
import {
  ConfigurationSet,
  DkimIdentity,
  EasyDkimSigningKeyLength,
  EmailIdentity,
  Identity,
  type IReceiptRuleAction,
  type ReceiptRule,
  ReceiptRuleSet,
  SuppressionReasons,
  TlsPolicy,
} from 'aws-cdk-lib/aws-ses';
import { Lambda as LambdaAction, LambdaInvocationType } from 'aws-cdk-lib/aws-ses-actions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MAIL_VARIABLES, type MailConfig, mailConfig } from '#shared/email/config';
import { ATTACHMENT_PREFIX, RAW_MAIL_PREFIX } from '#shared/email/mail-objects';
import { SEND_MAIL_FILTER } from '#shared/email/outbound/filter';
import { TICKET_VARIABLES, UPLOAD_PREFIX } from '#shared/tickets/config';
import { KB_INDEX_MEMORY_MB, type KnowledgeBase } from './knowledge-base.ts';
import { LambdaFunction } from './lambda-function.ts';
import { PrivateBucket } from './private-bucket.ts';

const MAIL_INTAKE_ENTRY = 'functions/email/receive-mail.ts';
const MAILER_ENTRY = 'functions/email/send-mail.ts';

// The bucket's layout is the S3 adapters': SES writes `inbound/<SES message id>`, the intake
// writes `attachments/<ticket>/…`, browsers upload comment files to `uploads/<ticket>/<id>` with
// presigned POSTs. Policies and lifecycle rules follow the same prefixes.
export { ATTACHMENT_PREFIX, RAW_MAIL_PREFIX };

/**
 * What an API function does with attachment files: `check` reads what an upload stored (the
 * comment function, before it lists a file); `serve` presigns uploads and downloads (the
 * console function). Presigned requests run with the signer's permissions.
 */
export type AttachmentAccess = 'check' | 'serve';

/** The mail templates (text + HTML), read by the mailer at run time from `templates/` beside its handler. */
export const MAIL_TEMPLATES = { from: 'shared/email/templates', to: 'templates' } as const;

export const DEFAULT_RAW_MAIL_RETENTION_DAYS = 90;
export const DEFAULT_ATTACHMENT_RETENTION_DAYS = 365;

export interface EmailProps {
  /** The single table: tickets, message ids, dedupe claims, quarantine records, mail counters. */
  table: ITable;
  /**
   * The addresses the desk receives mail for (plus-addresses included: SES matches
   * `support+42@` to a rule for `support@`). The first is the From of every mail Tierdesk sends,
   * and its domain gets the SES identity.
   */
  supportAddresses: readonly string[];
  /**
   * The public hosted zone of the mail domain (or of a parent domain). When given, the DKIM and
   * MX records are created in it; otherwise they are added by hand (see docs/email-on-aws.md).
   */
  hostedZone?: IPublicHostedZone;
  /** Days raw inbound mail (`inbound/`) is kept. @default 90 */
  rawMailRetentionDays?: number;
  /** Days attachments (`attachments/`) are kept. @default 365 */
  attachmentRetentionDays?: number;
  /** Automatic mails per address per day; the mailer's own default when omitted. */
  dailyAutomaticMailCap?: number;
  /** Whose search index the mailer reads to suggest articles in the acknowledgment. */
  knowledgeBase: KnowledgeBase;
  /** Browser origins (the console's) that upload attachment files straight to the bucket. */
  corsOrigins?: readonly string[];
}

/**
 * The email channel on AWS. Inbound: SES receives mail for the support addresses, scans it (spam
 * and virus verdicts), stores the raw message in the mail bucket, then invokes the intake function
 * asynchronously with the verdicts; the intake reads the object. Outbound: the mailer follows
 * the table's stream and sends through SES from the verified domain identity (Easy DKIM).
 *
 * The receipt rule set is created but not activated: an account has one active rule set per
 * region, and taking that over is an operator's decision (see docs/email-on-aws.md).
 */
export class Email extends Construct {
  readonly config: MailConfig;
  readonly key: Key;
  readonly bucket: Bucket;
  readonly ruleSet: ReceiptRuleSet;
  /** The rule set's name, a plain string: the activation command names it. */
  readonly ruleSetName: string;
  readonly rule: ReceiptRule;
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  readonly intake: LambdaFunction;
  /** Intake invocations that failed every retry: the SES event, so the raw object can be found and redriven. */
  readonly intakeFailures: Queue;
  readonly mailer: LambdaFunction;
  readonly mailerDeadLetterQueue: Queue;
  /** The mail domain, whose DKIM and MX records are needed; see {@link inboundMxHost}. */
  readonly domain: string;
  /** The host the domain's MX record names: SES receiving in this stack's region. */
  readonly inboundMxHost: string;

  constructor(scope: Construct, id: string, props: EmailProps) {
    super(scope, id);

    const stack = Stack.of(this);
    this.config = mailConfig(props.supportAddresses, props.dailyAutomaticMailCap);
    this.domain = this.config.domain;
    this.inboundMxHost = `inbound-smtp.${stack.region}.amazonaws.com`;
    const rawMailRetentionDays = wholeDays(
      'rawMailRetentionDays',
      props.rawMailRetentionDays ?? DEFAULT_RAW_MAIL_RETENTION_DAYS,
    );
    const attachmentRetentionDays = wholeDays(
      'attachmentRetentionDays',
      props.attachmentRetentionDays ?? DEFAULT_ATTACHMENT_RETENTION_DAYS,
    );
    const ses = new ServicePrincipal('ses.amazonaws.com');

    // Named, not generated: the rule set is activated by name, and SES's own writes and
    // invocations are tied to this one rule by its ARN (no token, so no dependency cycle).
    const ruleSetName = `${stack.stackName}-mail`;
    this.ruleSetName = ruleSetName;
    const ruleName = 'intake';
    const ruleArn = stack.formatArn({
      service: 'ses',
      resource: 'receipt-rule-set',
      resourceName: `${ruleSetName}:receipt-rule/${ruleName}`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const fromThisRule = { 'aws:SourceAccount': stack.account, 'aws:SourceArn': ruleArn };

    // ---- storage: raw messages and attachments, under a key of their own -----------------------

    const storage = new PrivateBucket(this, 'MailStorage', {
      purpose: 'Tierdesk mail: raw inbound messages and attachments',
      // A bucket key would save KMS calls; at help-desk mail volume they cost little, and per-object
      // data keys keep every read and write visible in CloudTrail against its object.
      bucketKeyEnabled: false,
      lifecycleRules: [
        {
          id: 'expire-raw-mail',
          prefix: RAW_MAIL_PREFIX,
          expiration: Duration.days(rawMailRetentionDays),
          noncurrentVersionExpiration: Duration.days(30),
        },
        {
          id: 'expire-attachments',
          prefix: ATTACHMENT_PREFIX,
          expiration: Duration.days(attachmentRetentionDays),
          noncurrentVersionExpiration: Duration.days(30),
        },
        {
          id: 'expire-uploads',
          prefix: UPLOAD_PREFIX,
          expiration: Duration.days(attachmentRetentionDays),
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
      // Browsers post comment files with presigned POSTs: a cross-origin request from the console.
      cors: props.corsOrigins?.length
        ? [
            {
              allowedOrigins: [...props.corsOrigins],
              allowedMethods: [HttpMethods.POST, HttpMethods.GET],
              allowedHeaders: ['*'],
              exposedHeaders: ['ETag'],
              maxAge: 3000,
            },
          ]
        : undefined,
      noAccessLogReason:
        'Only SES (for one receipt rule), the two mail functions and the API functions that take or serve ' +
        'attachment files can reach this bucket, each confined to a prefix by policy; browsers only with ' +
        'presigned requests of those functions, good for minutes.',
    });
    // The raw message is the evidence behind tickets and quarantine records: kept versioned, so an
    // overwrite or a delete by mistake leaves the previous version for a while.
    this.key = storage.key;
    this.bucket = storage.bucket;

    // SES stores with the bucket's default encryption (SSE-KMS with this key). The S3 action's own
    // `kmsKey` is deliberately not used: that is client-side encryption (the S3 encryption client),
    // which the intake could not read with a plain GetObject. Hence no `aws-ses-actions.S3` either:
    // it would also allow every rule of the account, where this allows exactly one.
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowSesToStoreInboundMail',
        principals: [ses],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${RAW_MAIL_PREFIX}*`)],
        conditions: { StringEquals: fromThisRule },
      }),
    );
    // S3 asks KMS for the object's data key on SES's behalf, so SES needs the key too, for the
    // same one rule. (The object ARN S3 puts in the encryption context cannot narrow this to
    // `inbound/`: the key cannot name the bucket that names the key.) GenerateDataKey encrypts a
    // new object; Decrypt is what S3 also needs should it upload a large message in parts.
    // Encrypt is not an SSE-KMS call at all.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowSesToEncryptInboundMailThroughS3',
        principals: [ses],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: fromThisRule },
      }),
    );

    const environment = {
      [MAIL_VARIABLES.supportAddresses]: this.config.supportAddresses.join(','),
      [MAIL_VARIABLES.bucket]: this.bucket.bucketName,
    };

    // ---- inbound: rule set → S3 → intake ---------------------------------------------------------

    this.intake = new LambdaFunction(this, 'Intake', {
      entry: MAIL_INTAKE_ENTRY,
      description: 'Turns received mail into tickets, comments, bounces or quarantine records',
      environment,
      // A message may be 40 MB (SES's limit); parsing it and storing its attachments takes memory and time.
      memorySize: 1024,
      timeout: Duration.minutes(2),
    });
    this.intake.bindTable({ table: props.table, access: 'readWrite' });
    this.grantObjects(this.intake, ['s3:GetObject'], RAW_MAIL_PREFIX);
    this.grantObjects(this.intake, ['s3:PutObject'], ATTACHMENT_PREFIX);
    // Without ListBucket, S3 answers a missing object with 403 instead of 404, and the intake
    // could not tell a message that is gone (quarantined as such) from an outage (retried).
    this.intake.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
    );
    // Decrypt to read raw mail; GenerateDataKey to write attachments (Decrypt again for multipart).
    this.key.grant(this.intake.role, 'kms:Decrypt', 'kms:GenerateDataKey');

    // SES invokes asynchronously: Lambda retries a failed invocation twice, then hands the event
    // (which names the message, so its raw object) to this queue instead of dropping it. The event
    // carries the message's headers (sender, subject): encrypted with the mail key, like the mail.
    this.intakeFailures = deadLetterQueue(
      this,
      'IntakeFailures',
      'the on-failure destination of the intake',
      this.key,
    );
    this.intake.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.intakeFailures),
    });
    // Added before the Lambda action binds, which then keeps it instead of its own account-wide
    // one: SES may invoke the intake for this rule only.
    this.intake.fn.addPermission('AllowSes', {
      principal: ses,
      action: 'lambda:InvokeFunction',
      sourceAccount: stack.account,
      sourceArn: ruleArn,
    });

    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: ruleSetName });
    this.rule = this.ruleSet.addRule('Intake', {
      receiptRuleName: ruleName,
      enabled: true,
      recipients: [...this.config.supportAddresses],
      // Spam and virus verdicts reach the intake, which quarantines a FAIL instead of opening a ticket.
      scanEnabled: true,
      // Mail arrives encrypted in transit or bounces; every serious sending server offers TLS.
      tlsPolicy: TlsPolicy.REQUIRE,
      // In this order: the object exists before the intake is invoked to read it.
      actions: [
        this.deliverToBucket(),
        new LambdaAction({ function: this.intake.fn, invocationType: LambdaInvocationType.EVENT }),
      ],
    });

    // ---- outbound: identity, configuration set, mailer ----------------------------------------------

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      // Bounce and complaint rates per configuration set in CloudWatch: the reputation SES judges us by.
      reputationMetrics: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: mailIdentity(this.domain, props.hostedZone),
      dkimSigning: true,
      dkimIdentity: DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_2048_BIT),
      // The default for mail from this identity, so the mailer need not name it.
      configurationSet: this.configurationSet,
      // Bounce and complaint notices go to the sender (a support address), so bounces reach the intake.
      feedbackForwarding: true,
    });
    if (props.hostedZone) {
      new MxRecord(this, 'InboundMx', {
        zone: props.hostedZone,
        recordName: `${this.domain}.`,
        values: [{ priority: 10, hostName: this.inboundMxHost }],
      });
    }

    this.mailer = new LambdaFunction(this, 'Mailer', {
      entry: MAILER_ENTRY,
      description: 'Sends the mail that timeline events call for through SES',
      environment: {
        ...environment,
        ...(props.dailyAutomaticMailCap === undefined
          ? {}
          : { [MAIL_VARIABLES.dailyAutomaticMailCap]: String(props.dailyAutomaticMailCap) }),
      },
      // A batch of 10, each a few table calls and one SES call, with SDK retries when throttled.
      timeout: Duration.minutes(1),
      // It loads the search index once per container, for the acknowledgment's suggestions.
      memorySize: KB_INDEX_MEMORY_MB,
      copyIntoBundle: [MAIL_TEMPLATES],
    });
    this.mailer.bindTable({ table: props.table, access: 'readWrite' });
    props.knowledgeBase.grantReadIndex(this.mailer);
    this.mailer.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendRawEmail'],
        resources: [
          this.identity.emailIdentityArn,
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: this.configurationSet.configurationSetName,
          }),
        ],
        // The domain identity would let it send as anyone@domain; the desk sends as itself.
        conditions: { StringEquals: { 'ses:FromAddress': [...this.config.supportAddresses] } },
      }),
    );

    this.mailerDeadLetterQueue = deadLetterQueue(
      this,
      'MailerDeadLetterQueue',
      "the on-failure destination of the mailer's stream event source mapping",
    );
    this.mailer.fn.addEventSource(
      new DynamoEventSource(props.table, {
        // As the stream processor: events already in the stream (up to 24 h) when the mapping is
        // (re)created are still mailed; the mailer claims each event before sending, so a replay
        // or a retry does not send twice.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 5,
        // An acknowledgment six hours late is still an answer; later than that, a person should look.
        maxRecordAge: Duration.hours(6),
        onFailure: new SqsDlq(this.mailerDeadLetterQueue),
        filters: [FilterCriteria.filter(SEND_MAIL_FILTER)],
      }),
    );
    Validations.of(this.mailer.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'The event source mapping reads the stream with dynamodb:ListStreams, which supports no resource-level ' +
        'permissions; active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, likewise.',
    });
  }

  /**
   * Attachment files for an API function (see {@link AttachmentAccess}), confined to their
   * prefixes. `check` is a HeadObject under `uploads/`: it reads no content, so no key use; and
   * without `s3:ListBucket` a missing upload answers 403, which the adapter reads as missing.
   */
  grantAttachments(fn: LambdaFunction, access: AttachmentAccess): void {
    if (access !== 'check' && access !== 'serve') throw new Error(`Unknown attachment access '${access}'.`);
    fn.fn.addEnvironment(TICKET_VARIABLES.attachmentBucket, this.bucket.bucketName);
    if (access === 'check') {
      this.grantObjects(fn, ['s3:GetObject'], UPLOAD_PREFIX);
      return;
    }
    this.grantObjects(fn, ['s3:GetObject', 's3:PutObject'], UPLOAD_PREFIX);
    this.grantObjects(fn, ['s3:GetObject'], ATTACHMENT_PREFIX);
    // A presigned upload is encrypted, a presigned download decrypted, with the signer's rights.
    this.key.grant(fn.role, 'kms:GenerateDataKey', 'kms:Decrypt');
  }

  /**
   * SES's S3 action without a `kmsKey` (see the bucket policy above). The rule waits for the
   * bucket policy: SES writes a test object when the rule is created.
   */
  private deliverToBucket(): IReceiptRuleAction {
    return {
      bind: (rule) => {
        if (this.bucket.policy) rule.node.addDependency(this.bucket.policy);
        return { s3Action: { bucketName: this.bucket.bucketName, objectKeyPrefix: RAW_MAIL_PREFIX } };
      },
    };
  }

  /** Object actions under one prefix of the mail bucket, and nothing else of it. */
  private grantObjects(fn: LambdaFunction, actions: string[], prefix: string): void {
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions, resources: [this.bucket.arnForObjects(`${prefix}*`)] }),
    );
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/${prefix}*]`,
      reason: `Objects are named by message, attachment or upload; the wildcard covers only the ${prefix} prefix of the mail bucket.`,
    });
  }
}

/**
 * The SES identity of the mail domain. With a hosted zone, CDK writes the DKIM records into it;
 * the domain may be the zone itself or a subdomain of it (`help.example.com` in `example.com`),
 * which `Identity.publicHostedZone` (the zone's own name only) does not cover.
 */
const mailIdentity = (domain: string, zone?: IPublicHostedZone): Identity => {
  if (!zone) return Identity.domain(domain);
  if (domain === zone.zoneName) return Identity.publicHostedZone(zone);
  if (!domain.endsWith(`.${zone.zoneName}`)) {
    throw new Error(`The mail domain ${domain} is not in the hosted zone ${zone.zoneName}.`);
  }
  return { value: domain, hostedZone: zone };
};

const wholeDays = (name: string, days: number): number => {
  if (!Number.isInteger(days) || days < 1)
    throw new Error(`${name} must be a whole number of days ≥ 1, got ${days}.`);
  return days;
};

/**
 * A dead-letter queue: TLS only, 14 days to redrive. SQS-managed encryption unless a key is given
 * (for a queue that holds more than positions in a stream).
 */
const deadLetterQueue = (scope: Construct, id: string, role: string, key?: Key): Queue => {
  const queue = new Queue(scope, id, {
    ...(key
      ? { encryption: QueueEncryption.KMS, encryptionMasterKey: key }
      : { encryption: QueueEncryption.SQS_MANAGED }),
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself a dead-letter queue (${role}), which cdk-nag does not recognise as one.`,
  });
  return queue;
};
