import {
  App,
  type AppProps,
  Aws,
  CfnOutput,
  Fn,
  Stack,
  type StackProps,
  Tags,
  Validations,
} from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { PublicHostedZone } from 'aws-cdk-lib/aws-route53';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { CONSOLE_URL_VARIABLE, KB_INDEX_KEY, PUBLIC_API_URL_VARIABLE } from '#shared/kb/config';
import { parseOrgDomains } from '#shared/tickets/config';
import { Api } from './constructs/api.ts';
import { Auth } from './constructs/auth.ts';
import { Console } from './constructs/console.ts';
import { Data } from './constructs/data.ts';
import {
  DEFAULT_ATTACHMENT_RETENTION_DAYS,
  DEFAULT_RAW_MAIL_RETENTION_DAYS,
  Email,
} from './constructs/email.ts';
import { Events } from './constructs/events.ts';
import { KnowledgeBase } from './constructs/knowledge-base.ts';
import { Observability } from './constructs/observability.ts';
import { Operations } from './constructs/operations.ts';
import { SurveyKeys } from './constructs/survey-keys.ts';
import { Workflow } from './constructs/workflow.ts';

export interface TierdeskStackProps extends StackProps {
  /** Where alarm notifications are mailed; none when omitted. */
  alarmEmail?: string;
  /** Browser origins allowed to call the API; default: the console's own origin, and no other. */
  corsOrigins?: string[];
  throttleRateLimit: number;
  throttleBurstLimit: number;
  /** The organization's mail domains: whom requesters may name as watchers. */
  orgDomains: string[];
  mail: MailSettings;
  console: ConsoleSettings;
}

/** The web console's deployment settings (see the Console construct). */
export interface ConsoleSettings {
  /** The desk's name in the console's header. */
  deskName: string;
  /** Prefix of the Cognito managed login domain; default `<stack name>-<account id>`, lowercase. */
  signInDomainPrefix?: string;
  /** A domain of the organization's own for the console, with an ACM certificate in us-east-1. */
  customDomain?: { name: string; certificateArn: string };
}

/** The email channel's deployment settings (see the Email construct). */
export interface MailSettings {
  supportAddresses: string[];
  /** The Route 53 public hosted zone of the mail domain, for its DKIM and MX records. */
  hostedZone?: { id: string; name: string };
  rawMailRetentionDays: number;
  attachmentRetentionDays: number;
  dailyAutomaticMailCap?: number;
}

/** One thin stack: it wires the constructs of each concern together and exports what clients need. */
export class TierdeskStack extends Stack {
  readonly data: Data;
  readonly auth: Auth;
  readonly console: Console;
  readonly workflow: Workflow;
  readonly knowledgeBase: KnowledgeBase;
  readonly events: Events;
  readonly email: Email;
  readonly api: Api;
  readonly observability: Observability;
  readonly surveyKeys: SurveyKeys;
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: TierdeskStackProps) {
    super(scope, id, props);

    this.data = new Data(this, 'Data');
    this.auth = new Auth(this, 'Auth', {
      domainPrefix: props.console.signInDomainPrefix ?? `${this.stackName.toLowerCase()}-${Aws.ACCOUNT_ID}`,
    });
    const { customDomain } = props.console;
    this.console = new Console(this, 'Console', {
      signInDomain: this.auth.signInDomain,
      issuerOrigin: `https://cognito-idp.${this.region}.${this.urlSuffix}`,
      customDomain: customDomain && {
        name: customDomain.name,
        certificate: Certificate.fromCertificateArn(this, 'ConsoleCertificate', customDomain.certificateArn),
      },
    });
    const consoleClient = this.auth.addConsoleClient(this.console.url);
    this.workflow = new Workflow(this, 'Workflow', { table: this.data.table });
    this.knowledgeBase = new KnowledgeBase(this, 'KnowledgeBase');
    this.events = new Events(this, 'Events', {
      table: this.data.table,
      workflow: this.workflow,
      knowledgeBase: this.knowledgeBase,
    });
    const corsOrigins = props.corsOrigins ?? [this.console.url];
    this.email = new Email(this, 'Email', {
      table: this.data.table,
      supportAddresses: props.mail.supportAddresses,
      hostedZone:
        props.mail.hostedZone &&
        PublicHostedZone.fromPublicHostedZoneAttributes(this, 'MailZone', {
          hostedZoneId: props.mail.hostedZone.id,
          zoneName: props.mail.hostedZone.name,
        }),
      rawMailRetentionDays: props.mail.rawMailRetentionDays,
      attachmentRetentionDays: props.mail.attachmentRetentionDays,
      dailyAutomaticMailCap: props.mail.dailyAutomaticMailCap,
      knowledgeBase: this.knowledgeBase,
      // The console uploads comment files straight to the bucket: the same origins as the API's.
      corsOrigins,
    });
    this.api = new Api(this, 'Api', {
      table: this.data.table,
      userPool: this.auth.userPool,
      userPoolClients: [this.auth.client, consoleClient],
      corsOrigins,
      throttleRateLimit: props.throttleRateLimit,
      throttleBurstLimit: props.throttleBurstLimit,
      orgDomains: props.orgDomains,
      workflow: this.workflow,
      knowledgeBase: this.knowledgeBase,
      attachments: this.email,
    });
    this.operations = new Operations(this, 'Operations', {
      table: this.data.table,
      workflow: this.workflow,
      streamDeadLetterQueue: this.events.deadLetterQueue,
    });
    // The survey links: the mailer signs them (with the API's address), the survey's function
    // verifies them. The intake does not: a mail reply is matched to the survey mail it answers.
    this.surveyKeys = new SurveyKeys(this, 'SurveyKeys');
    this.surveyKeys.grantRead(this.email.mailer);
    this.surveyKeys.grantRead(this.api.functionFor('post-csat-page'));
    this.email.mailer.fn.addEnvironment(PUBLIC_API_URL_VARIABLE, this.api.url);
    // Links in mail open the console's pages (an article, a ticket), not the API's JSON.
    this.email.mailer.fn.addEnvironment(CONSOLE_URL_VARIABLE, this.console.url);
    this.console.deploy({
      apiUrl: this.api.httpApi.apiEndpoint,
      auth: {
        kind: 'oidc',
        // The issuer of the pool's tokens, as the API's authorizer names it.
        authority: `https://cognito-idp.${this.region}.${this.urlSuffix}/${this.auth.userPool.userPoolId}`,
        clientId: consoleClient.userPoolClientId,
        logoutUrl: `${this.auth.signInDomain}/logout`,
      },
      deskName: props.console.deskName,
    });
    this.observability = new Observability(this, 'Observability', { alarmEmail: props.alarmEmail });
    this.observability.monitorApi(this.api.stage);
    this.observability.monitorFunctions(
      'API handlers',
      new Map([...this.api.functions].map(([name, handler]) => [name, handler.fn])),
    );
    this.observability.monitorWorkflow(this.workflow.stateMachine);
    this.observability.monitorFunctions(
      'Workflow tasks',
      new Map([...this.workflow.functions].map(([name, task]) => [name.replace(/Arn$/, ''), task.fn])),
      // The definition retries task errors (a lost race is one); what retries cannot fix fails the
      // execution, and that alarms.
      { alarms: false },
    );
    this.observability.monitorFunctions(
      'Stream processor',
      new Map([['StreamProcessor', this.events.processor.fn]]),
    );
    this.observability.monitorStreamProcessing({
      processor: this.events.processor.fn,
      deadLetterQueue: this.events.deadLetterQueue,
    });
    this.observability.monitorSlaBreaches();
    this.observability.monitorReports();
    this.observability.monitorFunctions(
      'Email',
      new Map([
        ['MailIntake', this.email.intake.fn],
        ['Mailer', this.email.mailer.fn],
      ]),
    );
    this.observability.monitorDeadLetterQueue('MailerDeadLetters', this.email.mailerDeadLetterQueue, {
      description:
        'Timeline events failed for good in the mailer: their mail was not sent. Redrive within 24 hours.',
      runbook: 'mailer-dead-letters',
    });
    this.observability.monitorDeadLetterQueue('MailIntakeFailures', this.email.intakeFailures, {
      description:
        'Received mail failed in the intake after retries: no ticket or comment yet. The raw message is in ' +
        'the mail bucket; redrive the SES event from the queue.',
      runbook: 'mail-intake-failures',
    });
    this.observability.monitorFunctions('Operations', new Map([['OpsTasks', this.operations.tasks.fn]]));
    this.observability.monitorOperations();

    new CfnOutput(this, 'ConsoleUrl', {
      value: this.console.url,
      description: 'The web console: people sign in here (Cognito managed login)',
    });
    new CfnOutput(this, 'ConsoleClientId', {
      value: consoleClient.userPoolClientId,
      description: "The console's app client (authorization code with PKCE)",
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.auth.client.userPoolClientId,
      description: 'App client whose ID tokens the API accepts',
    });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'WorkflowArn', {
      value: this.workflow.stateMachine.stateMachineArn,
      description: 'The ticket lifecycle state machine: one execution per ticket',
    });
    // Named like the definition's substitution variables, so a local run can map them back.
    for (const [name, task] of this.workflow.functions) {
      new CfnOutput(this, name, { value: task.fn.functionArn, description: `Workflow task ${name}` });
    }
    new CfnOutput(this, 'StreamProcessorFunctionArn', { value: this.events.processor.fn.functionArn });
    new CfnOutput(this, 'OpsTasksFunctionArn', {
      value: this.operations.tasks.fn.functionArn,
      description:
        'Records workflow incidents, runs the reconciliation and ops jobs, reads stream dead letters',
    });
    new CfnOutput(this, 'KbBucketName', {
      value: this.knowledgeBase.bucket.bucketName,
      description: `The search index (${KB_INDEX_KEY}), rebuilt by the stream processor when articles change`,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.observability.alarmTopic.topicArn,
      description: 'Subscribe on-call endpoints here',
    });
    this.mailOutputs(props.mail.hostedZone !== undefined);
  }

  /** What an operator needs to finish the email setup by hand (docs/email-on-aws.md). */
  private mailOutputs(recordsInZone: boolean): void {
    const { email } = this;
    new CfnOutput(this, 'MailBucketName', {
      value: email.bucket.bucketName,
      description:
        'Raw inbound mail (inbound/), mail attachments (attachments/) and uploaded files (uploads/)',
    });
    // An output's description must be a literal: the name is one (see Email).
    new CfnOutput(this, 'MailReceiptRuleSetName', {
      value: email.ruleSetName,
      description: `Activate once: aws ses set-active-receipt-rule-set --rule-set-name ${email.ruleSetName}`,
    });
    new CfnOutput(this, 'MailDomainIdentity', {
      value: email.identity.emailIdentityName,
      description: `SES domain identity (Easy DKIM); Tierdesk sends as ${email.config.fromAddress}`,
    });
    new CfnOutput(this, 'MailIntakeFunctionArn', { value: email.intake.fn.functionArn });
    new CfnOutput(this, 'MailerFunctionArn', { value: email.mailer.fn.functionArn });
    if (recordsInZone) return;
    // Without a hosted zone the records are added wherever the domain's DNS is served.
    email.identity.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `MailDkimRecord${index + 1}`, {
        value: Fn.join(' ', [record.name, 'CNAME', record.value]),
        description: 'Add to DNS for Easy DKIM (SES verifies the domain through these)',
      });
    });
    new CfnOutput(this, 'MailMxRecord', {
      value: Fn.join(' ', [email.domain, 'MX', '10', email.inboundMxHost]),
      description: 'Add to DNS so that mail for the support addresses reaches SES',
    });
  }
}

/**
 * Context parameters (`cdk synth -c name=value`, or `context` in cdk.json), all optional. The stack
 * stays environment-agnostic: account and region come from the deploying credentials.
 */
const CONTEXT_DEFAULTS = {
  /** Deployment name: the stack is `Tierdesk-<stage>`, so stages can share an account. */
  stage: 'dev',
  /** Email subscribed to the alarm topic; empty for none. */
  alarmEmail: '',
  /**
   * Comma-separated browser origins allowed by CORS, replacing the default: the console's own
   * origin alone (empty). `*` allows any: bearer tokens are no cookies a page could borrow.
   */
  corsOrigins: '',
  throttleRateLimit: 50,
  throttleBurstLimit: 100,
  /**
   * Comma-separated mail domains of the organization: a requester may copy colleagues of these
   * domains as watchers of a ticket they file; empty: requesters copy nobody (the desk still may).
   */
  orgDomains: '',
  /**
   * Comma-separated addresses the desk receives mail for. The first is the From of every mail it
   * sends, and its domain becomes the SES identity: set a domain you control before deploying.
   */
  supportAddresses: 'support@example.com',
  /**
   * The Route 53 public hosted zone of the mail domain (or a parent), id and name: when both are
   * set, the DKIM and MX records are created in it; when empty, the stack outputs them to add by hand.
   */
  hostedZoneId: '',
  hostedZoneName: '',
  /** Days raw inbound mail is kept in the mail bucket. */
  rawMailRetentionDays: DEFAULT_RAW_MAIL_RETENTION_DAYS,
  /** Days stored attachments are kept. */
  attachmentRetentionDays: DEFAULT_ATTACHMENT_RETENTION_DAYS,
  /** Automatic mails per address per day; empty for the built-in default. */
  dailyAutomaticMailCap: '',
  /** The desk's name in the web console's header. */
  deskName: 'Tierdesk',
  /**
   * Prefix of the Cognito managed login domain (`<prefix>.auth.<region>.amazoncognito.com`),
   * unique in the region across AWS; empty: `tierdesk-<stage>-<account id>`.
   */
  signInDomainPrefix: '',
  /**
   * A domain for the console (e.g. desk.example.com) and the ARN of its ACM certificate in
   * us-east-1, both or neither; point the domain's DNS at the ConsoleUrl's CloudFront domain.
   * Empty: the console is served at its *.cloudfront.net address.
   */
  consoleDomainName: '',
  consoleCertificateArn: '',
};

/**
 * The Tierdesk CDK app with cdk-nag's AwsSolutions checks registered: `infra/app.ts` runs it and
 * the infra tests synthesize the very same thing.
 */
export const createTierdeskApp = (props?: AppProps): { app: App; stack: TierdeskStack } => {
  const app = new App(props);
  const context = <K extends keyof typeof CONTEXT_DEFAULTS>(name: K): string =>
    String(app.node.tryGetContext(name) ?? CONTEXT_DEFAULTS[name]);
  const positiveNumber = (name: 'throttleRateLimit' | 'throttleBurstLimit'): number => {
    const value = Number(context(name));
    if (!(value > 0)) throw new Error(`Context ${name} must be a positive number, got '${context(name)}'.`);
    return value;
  };
  const wholeNumber = (
    name: 'rawMailRetentionDays' | 'attachmentRetentionDays' | 'dailyAutomaticMailCap',
    minimum: number,
  ): number => {
    const value = Number(context(name));
    if (!Number.isInteger(value) || value < minimum) {
      throw new Error(`Context ${name} must be a whole number ≥ ${minimum}, got '${context(name)}'.`);
    }
    return value;
  };
  const list = (name: 'corsOrigins' | 'supportAddresses'): string[] =>
    context(name)
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  const supportAddresses = (): string[] => {
    const addresses = list('supportAddresses');
    if (addresses.length === 0) throw new Error('Context supportAddresses must name at least one address.');
    return addresses;
  };
  const hostedZone = (): MailSettings['hostedZone'] => {
    const [id, name] = [context('hostedZoneId'), context('hostedZoneName')];
    if (!id && !name) return undefined;
    if (!id || !name)
      throw new Error('Context hostedZoneId and hostedZoneName go together: set both or neither.');
    return { id, name: name.replace(/\.$/, '') };
  };
  const consoleDomain = (): ConsoleSettings['customDomain'] => {
    const [name, certificateArn] = [context('consoleDomainName'), context('consoleCertificateArn')];
    if (!name && !certificateArn) return undefined;
    if (!name || !certificateArn)
      throw new Error(
        'Context consoleDomainName and consoleCertificateArn go together: set both or neither.',
      );
    if (!/^arn:aws[\w-]*:acm:us-east-1:/.test(certificateArn))
      throw new Error(
        'Context consoleCertificateArn must be an ACM certificate in us-east-1 (CloudFront uses only those).',
      );
    return { name: name.replace(/\.$/, ''), certificateArn };
  };

  const stage = context('stage');
  const stack = new TierdeskStack(app, `Tierdesk-${stage}`, {
    description: `Tierdesk help desk (${stage})`,
    alarmEmail: context('alarmEmail') || undefined,
    corsOrigins: list('corsOrigins').length > 0 ? list('corsOrigins') : undefined,
    throttleRateLimit: positiveNumber('throttleRateLimit'),
    throttleBurstLimit: positiveNumber('throttleBurstLimit'),
    orgDomains: parseOrgDomains(context('orgDomains')),
    mail: {
      supportAddresses: supportAddresses(),
      hostedZone: hostedZone(),
      rawMailRetentionDays: wholeNumber('rawMailRetentionDays', 1),
      attachmentRetentionDays: wholeNumber('attachmentRetentionDays', 1),
      dailyAutomaticMailCap: context('dailyAutomaticMailCap')
        ? wholeNumber('dailyAutomaticMailCap', 0)
        : undefined,
    },
    console: {
      deskName: context('deskName'),
      signInDomainPrefix: context('signInDomainPrefix') || undefined,
      customDomain: consoleDomain(),
    },
  });
  Tags.of(app).add('project', 'tierdesk');
  Tags.of(app).add('stage', stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
};
