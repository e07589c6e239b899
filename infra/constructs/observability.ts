import { Duration, Stack } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface ObservabilityProps {
  /** Subscribed to the alarm topic when given; subscribe other endpoints to the topic at will. */
  alarmEmail?: string;
}

/**
 * What operators watch: one encrypted SNS topic every alarm notifies (on alarm and on recovery),
 * and one dashboard. Other constructs hand their parts over through the `monitor*` methods, so an
 * alarm and its graph are always added together.
 */
export class Observability extends Construct {
  readonly alarmTopic: Topic;
  readonly dashboard: Dashboard;
  private readonly alarmAction: SnsAction;

  constructor(scope: Construct, id: string, props: ObservabilityProps = {}) {
    super(scope, id);

    const key = new Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the Tierdesk alarm topic',
      enableKeyRotation: true,
    });
    // CloudWatch publishes to the encrypted topic with its own principal, so the key must let it.
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'Tierdesk alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.alarmAction = new SnsAction(this.alarmTopic);

    const stack = Stack.of(this);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      // Dashboard names are per account, not per region.
      dashboardName: `${stack.stackName}-${stack.region}`,
      defaultInterval: Duration.hours(3),
    });
  }

  /** 5xx alarm and request/error/latency graphs for an HTTP API stage. */
  monitorApi(stage: IHttpStage): void {
    const period = Duration.minutes(5);
    const serverErrors = stage.metricServerError({ period });
    this.alarm('Api5xx', serverErrors, {
      // A handful in five minutes rather than one: a 503 is a designed answer to a transient fault.
      threshold: 5,
      description: 'The HTTP API answered 5 or more requests with a 5xx in five minutes.',
    });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: '## HTTP API', width: 24, height: 1 }),
      new GraphWidget({
        title: 'Requests and errors',
        left: [stage.metricCount({ period, statistic: Stats.SUM })],
        right: [stage.metricClientError({ period }), serverErrors],
        width: 12,
      }),
      new GraphWidget({
        title: 'Latency',
        left: [Stats.p(50), Stats.p(90), Stats.p(99)].map((statistic) =>
          stage.metricLatency({ period, statistic, label: `latency ${statistic}` }),
        ),
        width: 12,
      }),
    );
  }

  /**
   * Error and throttle alarms per function, and graphs of all of them side by side. `alarms: false`
   * graphs only: for functions whose caller retries errors and alarms itself when retries run out.
   */
  monitorFunctions(
    title: string,
    functions: ReadonlyMap<string, IFunction>,
    { alarms = true }: { alarms?: boolean } = {},
  ): void {
    const period = Duration.minutes(5);
    const errors: IMetric[] = [];
    const throttles: IMetric[] = [];
    const durations: IMetric[] = [];
    for (const [name, fn] of functions) {
      const fnErrors = fn.metricErrors({ period });
      const fnThrottles = fn.metricThrottles({ period });
      if (alarms) {
        // Handlers turn expected failures into responses, so any error is an unhandled crash or a timeout.
        this.alarm(`${name}-errors`, fnErrors, {
          threshold: 1,
          description: `${name} failed in the last five minutes.`,
        });
        // Throttling means the account's concurrency ran out: callers got 5xx without our code running.
        this.alarm(`${name}-throttles`, fnThrottles, {
          threshold: 1,
          description: `${name} was throttled in the last five minutes.`,
        });
      }
      errors.push(fnErrors.with({ label: name }));
      throttles.push(fnThrottles.with({ label: name }));
      durations.push(fn.metricDuration({ period, statistic: Stats.p(90), label: name }));
    }
    this.dashboard.addWidgets(
      new TextWidget({ markdown: `## ${title}`, width: 24, height: 1 }),
      new GraphWidget({ title: 'Errors', left: errors, width: 8 }),
      new GraphWidget({ title: 'Throttles', left: throttles, width: 8 }),
      new GraphWidget({ title: 'Duration p90', left: durations, width: 8 }),
    );
  }

  /**
   * Executions that ended badly: a failed one is a ticket whose clocks stopped (its tasks' retries
   * ran out), so each alarms. Graphs of the whole flow beside them.
   */
  monitorWorkflow(stateMachine: IStateMachine): void {
    const period = Duration.minutes(5);
    const failed = stateMachine.metricFailed({ period });
    const timedOut = stateMachine.metricTimedOut({ period });
    const aborted = stateMachine.metricAborted({ period });
    this.alarm('WorkflowExecutionsFailed', failed, {
      threshold: 1,
      description: 'A ticket workflow execution failed: its SLA clocks no longer run. Redrive it.',
    });
    this.alarm('WorkflowExecutionsTimedOut', timedOut, {
      threshold: 1,
      description: 'A ticket workflow execution timed out: its SLA clocks no longer run.',
    });
    // Stopping an execution is an operator's act, but one nobody expected should be seen.
    this.alarm('WorkflowExecutionsAborted', aborted, {
      threshold: 1,
      description: 'A ticket workflow execution was stopped: its SLA clocks no longer run.',
    });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: '## Ticket workflow', width: 24, height: 1 }),
      new GraphWidget({
        title: 'Executions',
        left: [
          stateMachine.metricStarted({ period, label: 'started' }),
          stateMachine.metricSucceeded({ period, label: 'succeeded' }),
        ],
        right: [
          failed.with({ label: 'failed' }),
          timedOut.with({ label: 'timed out' }),
          aborted.with({ label: 'aborted' }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Throttled state transitions',
        left: [stateMachine.metricThrottled({ period, label: 'throttled' })],
        width: 12,
      }),
    );
  }

  /**
   * The event backbone: a late stream processor is a late wake-up (a change waits, an SLA decision
   * is taken on stale facts); a message in the dead-letter queue is a change that never arrived.
   */
  monitorStreamProcessing({
    processor,
    deadLetterQueue,
  }: {
    processor: IFunction;
    deadLetterQueue: IQueue;
  }): void {
    const period = Duration.minutes(5);
    const iteratorAge = processor.metric('IteratorAge', { period, statistic: Stats.MAXIMUM });
    const dlqDepth = deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period,
      statistic: Stats.MAXIMUM,
    });
    this.alarm('StreamIteratorAge', iteratorAge, {
      threshold: Duration.minutes(5).toMilliseconds(),
      description:
        'The stream processor is 5 minutes or more behind the table: tickets wake their workflows late.',
    });
    this.alarm('StreamDeadLetters', dlqDepth, {
      threshold: 1,
      description:
        'Stream records failed for good: some ticket changes did not reach their workflows. Redrive within 24 hours.',
    });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: '## Stream processing', width: 24, height: 1 }),
      new GraphWidget({ title: 'Iterator age', left: [iteratorAge.with({ label: 'max (ms)' })], width: 12 }),
      new GraphWidget({
        title: 'Dead-letter queue',
        left: [dlqDepth.with({ label: 'messages' })],
        width: 12,
      }),
    );
  }

  /** The business alarm: the workflow publishes `SlaBreaches` (Powertools, service dimension) per breach. */
  monitorSlaBreaches(): void {
    const breaches = new Metric({
      // The Powertools namespace and service name every function is configured with (LambdaFunction).
      namespace: 'Tierdesk',
      metricName: 'SlaBreaches',
      dimensionsMap: { service: 'tierdesk' },
      period: Duration.minutes(5),
      statistic: Stats.SUM,
    });
    this.alarm('SlaBreaches', breaches, {
      threshold: 1,
      description: 'A ticket breached its SLA in the last five minutes.',
    });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: '## Service levels', width: 24, height: 1 }),
      new GraphWidget({ title: 'SLA breaches', left: [breaches.with({ label: 'breaches' })], width: 24 }),
    );
  }

  /**
   * The report figures the stream processor publishes as it counts them (`ReportCreated`, …, see
   * `#shared/reports/report-changes`): backlog growth, breaches, first-contact resolution and
   * CSAT, by the day. `GET /reports/summary` has the exact figures per tier, group and priority.
   */
  monitorReports(): void {
    const period = Duration.days(1);
    const figure = (metricName: string, statistic: string = Stats.SUM) =>
      new Metric({
        namespace: 'Tierdesk',
        metricName,
        dimensionsMap: { service: 'tierdesk' },
        period,
        statistic,
      });
    const created = figure('ReportCreated');
    const reopened = figure('ReportReopened');
    const resolved = figure('ReportResolved');
    const closed = figure('ReportClosed');
    const firstContact = figure('ReportFirstContactResolved');
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: '## Reports (per day; exact figures per tier, group and priority: `GET /reports/summary`)',
        width: 24,
        height: 1,
      }),
      new GraphWidget({
        title: 'Backlog: in and out',
        left: [
          created.with({ label: 'created' }),
          reopened.with({ label: 'reopened' }),
          resolved.with({ label: 'resolved' }),
          closed.with({ label: 'closed' }),
        ],
        right: [
          new MathExpression({
            expression: 'created + reopened - resolved',
            usingMetrics: { created, reopened, resolved },
            label: 'backlog growth (created + reopened − resolved)',
            period,
          }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Service-level breaches (SLA, OLA, UC)',
        left: [figure('ReportBreaches').with({ label: 'breaches' })],
        width: 12,
      }),
      new GraphWidget({
        title: 'First-contact resolution (%)',
        left: [
          new MathExpression({
            expression: '100 * fcr / resolved',
            usingMetrics: { fcr: firstContact, resolved },
            label: 'resolved at Tier 0/1 without escalation',
            period,
          }),
        ],
        leftYAxis: { min: 0, max: 100 },
        width: 12,
      }),
      new SingleValueWidget({
        title: 'CSAT (1–5) and answers',
        metrics: [
          figure('ReportCsatScore', Stats.AVERAGE).with({ label: 'average score' }),
          figure('ReportCsatScore', Stats.SAMPLE_COUNT).with({ label: 'answers' }),
        ],
        width: 12,
      }),
    );
  }

  private alarm(id: string, metric: IMetric, options: { threshold: number; description: string }): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: options.threshold,
      alarmDescription: options.description,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No requests means nothing is failing.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.alarmAction);
    alarm.addOkAction(this.alarmAction);
  }
}
