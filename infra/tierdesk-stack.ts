import { App, type AppProps, CfnOutput, Stack, type StackProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { Api } from './constructs/api.ts';
import { Auth } from './constructs/auth.ts';
import { Data } from './constructs/data.ts';
import { Events } from './constructs/events.ts';
import { Observability } from './constructs/observability.ts';
import { Workflow } from './constructs/workflow.ts';

export interface TierdeskStackProps extends StackProps {
  /** Where alarm notifications are mailed; none when omitted. */
  alarmEmail?: string;
  /** Browser origins allowed to call the API. */
  corsOrigins: string[];
  throttleRateLimit: number;
  throttleBurstLimit: number;
}

/** One thin stack: it wires the constructs of each concern together and exports what clients need. */
export class TierdeskStack extends Stack {
  readonly data: Data;
  readonly auth: Auth;
  readonly workflow: Workflow;
  readonly events: Events;
  readonly api: Api;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: TierdeskStackProps) {
    super(scope, id, props);

    this.data = new Data(this, 'Data');
    this.auth = new Auth(this, 'Auth');
    this.workflow = new Workflow(this, 'Workflow', { table: this.data.table });
    this.events = new Events(this, 'Events', { table: this.data.table, workflow: this.workflow });
    this.api = new Api(this, 'Api', {
      table: this.data.table,
      userPool: this.auth.userPool,
      userPoolClient: this.auth.client,
      corsOrigins: props.corsOrigins,
      throttleRateLimit: props.throttleRateLimit,
      throttleBurstLimit: props.throttleBurstLimit,
      workflow: this.workflow,
    });
    this.observability = new Observability(this, 'Observability', { alarmEmail: props.alarmEmail });
    this.observability.monitorApi(this.api.stage);
    this.observability.monitorFunctions(
      'API handlers',
      new Map([...this.api.functions].map(([routeId, handler]) => [routeId, handler.fn])),
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
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.observability.alarmTopic.topicArn,
      description: 'Subscribe on-call endpoints here',
    });
  }
}

/**
 * Context parameters (`cdk synth -c name=value`, or `context` in cdk.json), all optional. The stack
 * stays environment-agnostic: account and region come from the deploying credentials.
 */
export const CONTEXT_DEFAULTS = {
  /** Deployment name: the stack is `Tierdesk-<stage>`, so stages can share an account. */
  stage: 'dev',
  /** Email subscribed to the alarm topic; empty for none. */
  alarmEmail: '',
  /** Comma-separated browser origins allowed by CORS; `*` suits bearer tokens, which no page can borrow. */
  corsOrigins: '*',
  throttleRateLimit: 50,
  throttleBurstLimit: 100,
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

  const stage = context('stage');
  const stack = new TierdeskStack(app, `Tierdesk-${stage}`, {
    description: `Tierdesk help desk (${stage})`,
    alarmEmail: context('alarmEmail') || undefined,
    corsOrigins: context('corsOrigins')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    throttleRateLimit: positiveNumber('throttleRateLimit'),
    throttleBurstLimit: positiveNumber('throttleBurstLimit'),
  });
  Tags.of(app).add('project', 'tierdesk');
  Tags.of(app).add('stage', stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
};
