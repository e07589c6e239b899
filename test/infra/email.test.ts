import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { PublicHostedZone } from 'aws-cdk-lib/aws-route53';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Data } from '#infra/constructs/data';
import {
  ATTACHMENT_PREFIX,
  Email,
  type EmailProps,
  MAIL_TEMPLATES,
  RAW_MAIL_PREFIX,
} from '#infra/constructs/email';
import { KnowledgeBase } from '#infra/constructs/knowledge-base';
import { PROJECT_ROOT } from '#infra/constructs/lambda-function';
import { SEND_MAIL_FILTER } from '#shared/email/outbound/filter';
import { eventKey, ticketKey } from '#shared/store/keys';
import { matchesFilter } from '#test/support/event-filter';
import {
  appProps,
  logicalId,
  policyActions,
  SYNTH_TIMEOUT_MS,
  type Synthesis,
  type SynthOptions,
  synthesize,
} from './synth.ts';
import { allowStatementsOf, type PolicyStatement, render, resourcesOfAction } from './template.ts';

const STACK_NAME = 'EmailTest';
const SUPPORT_ADDRESSES = ['Support@Example.com', 'helpdesk@example.com'];

interface EmailSynthesis extends Synthesis {
  stack: Stack;
  email: Email;
  data: Data;
  knowledgeBase: KnowledgeBase;
  template: Template;
}

/**
 * The Email construct on the real (KMS-encrypted) table and the knowledge base (whose index the
 * mailer reads), in a stack of its own with cdk-nag.
 */
const synthEmail = (
  props: Partial<Omit<EmailProps, 'table' | 'hostedZone'>> & { zone?: { id: string; name: string } } = {},
  options: SynthOptions = {},
): EmailSynthesis => {
  const app = new App(appProps(options));
  const stack = new Stack(app, STACK_NAME);
  const data = new Data(stack, 'Data');
  const knowledgeBase = new KnowledgeBase(stack, 'KnowledgeBase');
  const { zone, ...emailProps } = props;
  const email = new Email(stack, 'Email', {
    table: data.table,
    knowledgeBase,
    supportAddresses: SUPPORT_ADDRESSES,
    hostedZone:
      zone &&
      PublicHostedZone.fromPublicHostedZoneAttributes(stack, 'Zone', {
        hostedZoneId: zone.id,
        zoneName: zone.name,
      }),
    ...emailProps,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const synthesis = synthesize(app);
  return { ...synthesis, stack, email, data, knowledgeBase, template: synthesis.templateOf(stack) };
};

const RULE_ARN =
  `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:receipt-rule-set/${STACK_NAME}-mail` +
  ':receipt-rule/intake';

/** The resources a role may apply an action to, rendered. */
const resourcesFor = (template: Template, roleLogicalId: string, action: string): string[] =>
  resourcesOfAction(template, roleLogicalId, action).map(render);

/** The one resource of a type: its logical id and its template entry (Properties, DependsOn, …). */
const only = (template: Template, type: string) => {
  const resources = Object.entries(template.findResources(type));
  expect(resources, type).toHaveLength(1);
  const [[id, resource]] = resources as [(typeof resources)[number]];
  return { id, resource };
};

describe('Construct: Email', () => {
  let synthesis: EmailSynthesis;
  beforeAll(() => {
    synthesis = synthEmail();
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => synthesis.dispose());

  const bucketId = () => logicalId(synthesis.email.bucket);
  const keyId = () => logicalId(synthesis.email.key);
  /** The mail bucket's policy (the knowledge base's bucket has one too). */
  const bucketPolicy = () => {
    const policies = Object.entries(synthesis.template.findResources('AWS::S3::BucketPolicy')).filter(
      ([, policy]) => JSON.stringify(policy.Properties.Bucket) === JSON.stringify({ Ref: bucketId() }),
    );
    expect(policies).toHaveLength(1);
    const [[id, resource]] = policies as [(typeof policies)[number]];
    return { id, resource };
  };
  const intakeRole = () => logicalId(synthesis.email.intake.role);
  const mailerRole = () => logicalId(synthesis.email.mailer.role);
  const functionProps = (fn: Email['intake']) =>
    synthesis.template.findResources('AWS::Lambda::Function')[logicalId(fn.fn)]?.Properties;

  describe('Receipt', () => {
    it('has one rule set, named after the stack, with one enabled rule for the normalized support addresses', () => {
      const ruleSet = only(synthesis.template, 'AWS::SES::ReceiptRuleSet').resource.Properties;
      const rule = only(synthesis.template, 'AWS::SES::ReceiptRule').resource.Properties;
      expect(ruleSet).toEqual({ RuleSetName: `${STACK_NAME}-mail` });
      expect(rule.RuleSetName).toEqual({ Ref: only(synthesis.template, 'AWS::SES::ReceiptRuleSet').id });
      expect(rule.Rule).toMatchObject({
        Name: 'intake',
        Enabled: true,
        Recipients: ['support@example.com', 'helpdesk@example.com'],
      });
    });

    it('scans for spam and viruses and requires TLS', () => {
      const rule = only(synthesis.template, 'AWS::SES::ReceiptRule').resource.Properties.Rule;
      expect(rule.ScanEnabled).toBe(true);
      expect(rule.TlsPolicy).toBe('Require');
    });

    it('stores the raw message under inbound/ first (no client-side KMS), then invokes the intake as an event', () => {
      const { Actions } = only(synthesis.template, 'AWS::SES::ReceiptRule').resource.Properties.Rule;
      expect(Actions).toEqual([
        { S3Action: { BucketName: { Ref: bucketId() }, ObjectKeyPrefix: RAW_MAIL_PREFIX } },
        {
          LambdaAction: {
            FunctionArn: { 'Fn::GetAtt': [logicalId(synthesis.email.intake.fn), 'Arn'] },
            InvocationType: 'Event',
          },
        },
      ]);
    });

    it('is created after the bucket policy and the invoke permission, since SES checks both', () => {
      const { resource } = only(synthesis.template, 'AWS::SES::ReceiptRule');
      const policyId = bucketPolicy().id;
      const permissionId = only(synthesis.template, 'AWS::Lambda::Permission').id;
      expect(resource.DependsOn).toEqual(expect.arrayContaining([policyId, permissionId]));
    });

    it('lets SES invoke the intake for this rule of this account only', () => {
      const permission = only(synthesis.template, 'AWS::Lambda::Permission').resource.Properties;
      expect(permission).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'ses.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
        FunctionName: { 'Fn::GetAtt': [logicalId(synthesis.email.intake.fn), 'Arn'] },
      });
      expect(render(permission.SourceArn)).toBe(RULE_ARN);
    });
  });

  describe('Mail bucket', () => {
    const bucket = () => synthesis.template.findResources('AWS::S3::Bucket')[bucketId()];

    it('encrypts with its own customer-managed key, which rotates', () => {
      expect(bucket()?.Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: false,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [keyId(), 'Arn'] },
            },
          },
        ],
      });
      expect(synthesis.template.findResources('AWS::KMS::Key')[keyId()]?.Properties.EnableKeyRotation).toBe(
        true,
      );
    });

    it('blocks public access, is versioned and is kept with its key when the stack goes', () => {
      expect(bucket()).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          VersioningConfiguration: { Status: 'Enabled' },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        },
      });
      expect(synthesis.template.findResources('AWS::KMS::Key')[keyId()]?.DeletionPolicy).toBe('Retain');
    });

    it('expires raw mail after 90 days and attachments after 365 by default', () => {
      const rules = bucket()?.Properties.LifecycleConfiguration.Rules;
      expect(rules).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Prefix: RAW_MAIL_PREFIX, ExpirationInDays: 90, Status: 'Enabled' }),
          expect.objectContaining({ Prefix: ATTACHMENT_PREFIX, ExpirationInDays: 365, Status: 'Enabled' }),
          expect.objectContaining({
            ExpiredObjectDeleteMarker: true,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          }),
        ]),
      );
    });

    it('lets SES put objects under inbound/ only, for this rule of this account, and denies plain HTTP', () => {
      const statements: PolicyStatement[] = bucketPolicy().resource.Properties.PolicyDocument.Statement;
      const ses = statements.filter((statement) => statement.Principal?.Service === 'ses.amazonaws.com');
      expect(ses).toHaveLength(1);
      expect(ses[0]).toMatchObject({ Effect: 'Allow', Action: 's3:PutObject' });
      expect(render(ses[0]?.Resource)).toBe(`<${bucketId()}.Arn>/${RAW_MAIL_PREFIX}*`);
      expect(ses[0]?.Condition?.StringEquals?.['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
      expect(render(ses[0]?.Condition?.StringEquals?.['aws:SourceArn'])).toBe(RULE_ARN);
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    });

    it('lets SES use the key for the bucket default encryption, for this rule of this account only', () => {
      const statements: PolicyStatement[] =
        synthesis.template.findResources('AWS::KMS::Key')[keyId()]?.Properties.KeyPolicy.Statement;
      const ses = statements.filter((statement) => statement.Principal?.Service === 'ses.amazonaws.com');
      expect(ses).toHaveLength(1);
      expect([ses[0]?.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      expect(ses[0]?.Condition?.StringEquals?.['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
      expect(render(ses[0]?.Condition?.StringEquals?.['aws:SourceArn'])).toBe(RULE_ARN);
    });
  });

  describe('Intake function', () => {
    it('is told the table, the support addresses and the bucket', () => {
      expect(functionProps(synthesis.email.intake).Environment.Variables).toMatchObject({
        TABLE_NAME: { Ref: logicalId(synthesis.data.table) },
        TIERDESK_SUPPORT_ADDRESSES: 'support@example.com,helpdesk@example.com',
        TIERDESK_MAIL_BUCKET: { Ref: bucketId() },
      });
    });

    it('reads inbound/, writes attachments/, lists the bucket, uses the mail key and writes the table; no more of S3', () => {
      const actions = policyActions(synthesis.template, intakeRole());
      expect(actions.filter((action) => action.startsWith('s3:')).sort()).toEqual([
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
      ]);
      // Listing tells a missing raw object (404) from a refused read (403).
      expect(resourcesFor(synthesis.template, intakeRole(), 's3:ListBucket')).toEqual([
        `<${bucketId()}.Arn>`,
      ]);
      expect(resourcesFor(synthesis.template, intakeRole(), 's3:GetObject')).toEqual([
        `<${bucketId()}.Arn>/${RAW_MAIL_PREFIX}*`,
      ]);
      expect(resourcesFor(synthesis.template, intakeRole(), 's3:PutObject')).toEqual([
        `<${bucketId()}.Arn>/${ATTACHMENT_PREFIX}*`,
      ]);
      for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
        expect(resourcesFor(synthesis.template, intakeRole(), action), action).toContain(`<${keyId()}.Arn>`);
      }
      expect(actions).toEqual(
        expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query']),
      );
      expect(actions.filter((action) => action.startsWith('ses:'))).toEqual([]);
    });

    it('hands an event that failed its two retries to an encrypted queue instead of dropping it', () => {
      const config = only(synthesis.template, 'AWS::Lambda::EventInvokeConfig').resource.Properties;
      const queueId = logicalId(synthesis.email.intakeFailures);
      expect(config).toMatchObject({
        FunctionName: { Ref: logicalId(synthesis.email.intake.fn) },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      });
      expect(synthesis.template.findResources('AWS::SQS::Queue')[queueId]?.Properties.KmsMasterKeyId).toEqual(
        {
          'Fn::GetAtt': [keyId(), 'Arn'],
        },
      );
    });
  });

  describe('Mailer function', () => {
    const mapping = () => only(synthesis.template, 'AWS::Lambda::EventSourceMapping').resource.Properties;
    const identityArn = () =>
      `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/<${logicalId(synthesis.email.identity)}>`;

    it('may send raw mail only through the domain identity and its configuration set, as a support address', () => {
      const statements = allowStatementsOf(synthesis.template, mailerRole()).filter((statement) =>
        [statement.Action].flat().some((action) => action.startsWith('ses:')),
      );
      expect(statements).toHaveLength(1);
      expect(statements[0]?.Action).toBe('ses:SendRawEmail');
      expect([statements[0]?.Resource].flat().map(render).sort()).toEqual([
        `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/<${logicalId(synthesis.email.configurationSet)}>`,
        identityArn(),
      ]);
      expect(statements[0]?.Condition).toEqual({
        StringEquals: { 'ses:FromAddress': ['support@example.com', 'helpdesk@example.com'] },
      });
      // Of S3, only the knowledge base's index (see knowledge-base.test.ts), nothing of the mail bucket.
      const kbBucket = `<${logicalId(synthesis.knowledgeBase.bucket)}.Arn>`;
      expect(resourcesFor(synthesis.template, mailerRole(), 's3:GetObject')).toEqual([`${kbBucket}/kb/*`]);
      expect(
        policyActions(synthesis.template, mailerRole())
          .filter((action) => action.startsWith('s3:'))
          .sort(),
      ).toEqual(['s3:GetObject', 's3:ListBucket']);
    });

    it('is told the table, the support addresses and the bucket, and gets the daily cap only when set', () => {
      const variables = functionProps(synthesis.email.mailer).Environment.Variables;
      expect(variables).toMatchObject({
        TABLE_NAME: { Ref: logicalId(synthesis.data.table) },
        TIERDESK_SUPPORT_ADDRESSES: 'support@example.com,helpdesk@example.com',
        TIERDESK_MAIL_BUCKET: { Ref: bucketId() },
      });
      expect(variables.TIERDESK_DAILY_AUTOMATIC_MAIL_CAP).toBeUndefined();
      expect(policyActions(synthesis.template, mailerRole())).toEqual(
        expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']),
      );
    });

    it('follows the table stream like the stream processor: partial failures, bisecting, a dead-letter queue', () => {
      expect(mapping()).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [logicalId(synthesis.data.table), 'StreamArn'] },
        FunctionName: { Ref: logicalId(synthesis.email.mailer.fn) },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        DestinationConfig: {
          OnFailure: {
            Destination: { 'Fn::GetAtt': [logicalId(synthesis.email.mailerDeadLetterQueue), 'Arn'] },
          },
        },
      });
    });

    it('wakes for timeline events inserted as the ticket store writes them, and for nothing else', () => {
      // Prepare: stream records shaped like DynamoDB's, for items shaped like the ticket store's
      const record = (eventName: string, item: Record<string, string>) => ({
        eventName,
        dynamodb: {
          Keys: { pk: { S: item.pk }, sk: { S: item.sk } },
          NewImage: Object.fromEntries(Object.entries(item).map(([name, value]) => [name, { S: value }])),
        },
      });
      const event = { ...eventKey(1042, 3, 0), entity: 'event', type: 'created', actor: 'ann@example.com' };
      const ticket = { ...ticketKey(1042), entity: 'ticket', status: 'open' };
      const patterns = mapping().FilterCriteria.Filters.map((filter: { Pattern: string }) =>
        JSON.parse(filter.Pattern),
      );
      const wakes = (candidate: unknown) =>
        patterns.some((pattern: unknown) => matchesFilter(pattern, candidate));

      // Assess
      expect(patterns).toEqual([SEND_MAIL_FILTER]);
      expect(wakes(record('INSERT', event))).toBe(true);
      expect(wakes(record('MODIFY', event))).toBe(false);
      expect(wakes(record('INSERT', ticket))).toBe(false);
      expect(wakes(record('REMOVE', event))).toBe(false);
    });
  });

  describe('Domain identity', () => {
    it('verifies the domain of the first support address with Easy DKIM (2048-bit), using the configuration set', () => {
      expect(only(synthesis.template, 'AWS::SES::EmailIdentity').resource.Properties).toMatchObject({
        EmailIdentity: 'example.com',
        DkimAttributes: { SigningEnabled: true },
        DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
        FeedbackAttributes: { EmailForwardingEnabled: true },
        ConfigurationSetAttributes: {
          ConfigurationSetName: { Ref: logicalId(synthesis.email.configurationSet) },
        },
      });
      synthesis.template.hasResourceProperties('AWS::SES::ConfigurationSet', {
        ReputationOptions: { ReputationMetricsEnabled: true },
        SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      });
    });

    it('creates no DNS record without a hosted zone', () => {
      synthesis.template.resourceCountIs('AWS::Route53::RecordSet', 0);
    });
  });

  it('has no unacknowledged cdk-nag (or CDK validation) finding, error or warning', () => {
    expect(synthesis.findings).toEqual([]);
  });
});

describe('Construct: Email (settings)', () => {
  const records = (template: Template) =>
    Object.values(template.findResources('AWS::Route53::RecordSet')).map((record) => record.Properties);

  let zoned: EmailSynthesis;
  let subdomain: EmailSynthesis;
  beforeAll(() => {
    zoned = synthEmail({
      zone: { id: 'Z0123456789', name: 'example.com' },
      rawMailRetentionDays: 30,
      attachmentRetentionDays: 730,
      dailyAutomaticMailCap: 3,
    });
    subdomain = synthEmail({
      supportAddresses: ['support@help.example.com'],
      zone: { id: 'Z0123456789', name: 'example.com' },
    });
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => {
    zoned.dispose();
    subdomain.dispose();
  });

  it('writes the three DKIM CNAMEs and an MX record for SES receiving into the hosted zone', () => {
    const all = records(zoned.template);
    const cnames = all.filter((record) => record.Type === 'CNAME');
    expect(cnames).toHaveLength(3);
    for (const cname of cnames) expect(cname.HostedZoneId).toBe('Z0123456789');
    const mx = all.filter((record) => record.Type === 'MX');
    expect(mx).toEqual([expect.objectContaining({ HostedZoneId: 'Z0123456789', Name: 'example.com.' })]);
    expect(mx[0]?.ResourceRecords.map(render)).toEqual(['10 inbound-smtp.<AWS::Region>.amazonaws.com']);
    expect(zoned.findings).toEqual([]);
  });

  it('verifies a subdomain of the hosted zone and points its MX there', () => {
    expect(only(subdomain.template, 'AWS::SES::EmailIdentity').resource.Properties.EmailIdentity).toBe(
      'help.example.com',
    );
    const mx = records(subdomain.template).filter((record) => record.Type === 'MX');
    expect(mx.map((record) => record.Name)).toEqual(['help.example.com.']);
    expect(records(subdomain.template).filter((record) => record.Type === 'CNAME')).toHaveLength(3);
  });

  it('applies the retention days and the daily cap it is given', () => {
    const rules =
      zoned.template.findResources('AWS::S3::Bucket')[logicalId(zoned.email.bucket)]?.Properties
        .LifecycleConfiguration.Rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: RAW_MAIL_PREFIX, ExpirationInDays: 30 }),
        expect.objectContaining({ Prefix: ATTACHMENT_PREFIX, ExpirationInDays: 730 }),
      ]),
    );
    const mailer = zoned.template.findResources('AWS::Lambda::Function')[logicalId(zoned.email.mailer.fn)];
    expect(mailer?.Properties.Environment.Variables.TIERDESK_DAILY_AUTOMATIC_MAIL_CAP).toBe('3');
  });

  it('rejects a mail domain outside the hosted zone, no support address, and retention that is not whole days', () => {
    expect(() => synthEmail({ zone: { id: 'Z0123456789', name: 'example.org' } })).toThrow(
      'The mail domain example.com is not in the hosted zone example.org.',
    );
    expect(() => synthEmail({ supportAddresses: [] })).toThrow(
      'TIERDESK_SUPPORT_ADDRESSES must name at least one',
    );
    expect(() => synthEmail({ rawMailRetentionDays: 0 })).toThrow(
      'rawMailRetentionDays must be a whole number',
    );
    expect(() => synthEmail({ attachmentRetentionDays: 1.5 })).toThrow(
      'attachmentRetentionDays must be a whole number',
    );
  });
});

describe('Construct: Email (bundles)', () => {
  let bundled: EmailSynthesis;
  beforeAll(() => {
    bundled = synthEmail({}, { bundle: true });
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => bundled.dispose());

  const assetOf = (fn: Email['mailer']): string => {
    const resource = bundled.template.findResources('AWS::Lambda::Function')[logicalId(fn.fn)];
    return join(bundled.directory, resource?.Metadata['aws:asset:path']);
  };

  it("copies the mail templates into the mailer's bundle, beside its handler", () => {
    // Prepare
    const source = join(PROJECT_ROOT, MAIL_TEMPLATES.from);
    const copied = join(assetOf(bundled.email.mailer), MAIL_TEMPLATES.to);

    // Assess: the same files with the same content, next to index.mjs
    const files = readdirSync(source, { recursive: true, encoding: 'utf8' }).sort();
    expect(files.length).toBeGreaterThan(0);
    expect(readdirSync(copied, { recursive: true, encoding: 'utf8' }).sort()).toEqual(files);
    for (const file of files.filter((name) => /\.(txt|html)$/.test(name))) {
      expect(readFileSync(join(copied, file), 'utf8'), file).toBe(readFileSync(join(source, file), 'utf8'));
    }
    expect(readdirSync(assetOf(bundled.email.mailer))).toContain('index.mjs');
  });

  it('copies nothing into bundles that did not ask for it: the handler, its chunks, their source maps', () => {
    const asset = assetOf(bundled.email.intake);
    const files = readdirSync(asset, { recursive: true, encoding: 'utf8' });
    expect(files).toContain('index.mjs');
    expect(
      files.filter((file) => file !== 'chunks' && !/^(chunks\/)?[\w-]+\.mjs(\.map)?$/.test(file)),
    ).toEqual([]);
  });
});
