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
import { METRICS_NAMESPACE, SERVICE_NAME } from '#shared/runtime/observability';

/**
 * The sections of `docs/runbook.md` an alarm points at (GitHub's heading anchors): every alarm's
 * description ends with its link, repository-relative, since where the repository is hosted is not
 * the stack's to know. The infra tests hold each anchor to a heading of the runbook.
 */
export const RUNBOOK_SECTIONS = [
  'api-5xx',
  'a-function-failed',
  'a-function-was-throttled',
  'workflow-executions-failed-or-timed-out',
  'workflow-executions-aborted',
  'stream-processor-behind',
  'stream-dead-letters',
  'stream-dead-letters-unrecoverable',
  'reconciliation-repaired-something',
  'sla-breaches',
  'mailer-dead-letters',
  'mail-intake-failures',
] as const;
export type RunbookSection = (typeof RUNBOOK_SECTIONS)[number];

const RUNBOOK = 'docs/runbook.md';

/** A business metric as the handlers publish it (EMF, `#shared/runtime/observability`): its namespace and service dimension. */
const businessMetric = (metricName: string, period: Duration, statistic: string = Stats.SUM) =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    period,
    statistic,
  });

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
      runbook: 'api-5xx',
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
          runbook: 'a-function-failed',
        });
        // Throttling means the account's concurrency ran out: callers got 5xx without our code running.
        this.alarm(`${name}-throttles`, fnThrottles, {
          threshold: 1,
          description: `${name} was throttled in the last five minutes.`,
          runbook: 'a-function-was-throttled',
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
      runbook: 'workflow-executions-failed-or-timed-out',
    });
    this.alarm('WorkflowExecutionsTimedOut', timedOut, {
      threshold: 1,
      description: 'A ticket workflow execution timed out: its SLA clocks no longer run.',
      runbook: 'workflow-executions-failed-or-timed-out',
    });
    // Stopping an execution is an operator's act, but one nobody expected should be seen.
    this.alarm('WorkflowExecutionsAborted', aborted, {
      threshold: 1,
      description: 'A ticket workflow execution was stopped: its SLA clocks no longer run.',
      runbook: 'workflow-executions-aborted',
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
    // The ops task function drains the queue within seconds (Operations): its depth would hardly
    // ever be seen, so the alarm counts what arrives.
    const dlqSent = deadLetterQueue.metricNumberOfMessagesSent({ period, statistic: Stats.SUM });
    const dlqDepth = deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period,
      statistic: Stats.MAXIMUM,
    });
    this.alarm('StreamIteratorAge', iteratorAge, {
      threshold: Duration.minutes(5).toMilliseconds(),
      description:
        'The stream processor is 5 minutes or more behind the table: tickets wake their workflows late.',
      runbook: 'stream-processor-behind',
    });
    this.alarm('StreamDeadLetters', dlqSent, {
      threshold: 1,
      description:
        'Stream records failed for good: some ticket changes did not reach their workflows. The ops task ' +
        'function records their tickets for the reconciliation.',
      runbook: 'stream-dead-letters',
    });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: '## Stream processing', width: 24, height: 1 }),
      new GraphWidget({ title: 'Iterator age', left: [iteratorAge.with({ label: 'max (ms)' })], width: 12 }),
      new GraphWidget({
        title: 'Dead-letter queue',
        left: [dlqSent.with({ label: 'sent' }), dlqDepth.with({ label: 'waiting' })],
        width: 12,
      }),
    );
  }

  /** The business alarm: the workflow publishes `SlaBreaches` (EMF, service dimension) per breach. */
  monitorSlaBreaches(): void {
    const breaches = businessMetric('SlaBreaches', Duration.minutes(5));
    this.alarm('SlaBreaches', breaches, {
      threshold: 1,
      description: 'A ticket breached its SLA in the last five minutes.',
      runbook: 'sla-breaches',
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
      businessMetric(metricName, period, statistic);
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

  /**
   * The reconciliation and the stream dead letters (the ops task function publishes both, see
   * `shared/ops`): a repair is a symptom of a fault elsewhere; an unrecoverable dead letter is a
   * batch of changes whose tickets nobody can name any more.
   */
  monitorOperations(): void {
    const period = Duration.minutes(5);
    const repairs = businessMetric('ReconciliationRepairs', period);
    const unrecoverable = businessMetric('StreamDeadLettersUnrecoverable', period);
    this.alarm('ReconciliationRepairs', repairs, {
      threshold: 1,
      description:
        'The reconciliation repaired ticket workflows (restarted, woke or stopped executions): find the cause.',
      runbook: 'reconciliation-repaired-something',
    });
    this.alarm('StreamDeadLettersUnrecoverable', unrecoverable, {
      threshold: 1,
      description:
        'A dead-lettered stream batch could no longer be read (past 24 hours, or the shard is gone): its tickets ' +
        'are unknown.',
      runbook: 'stream-dead-letters-unrecoverable',
    });
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Reconciliation repairs and unrecoverable dead letters',
        left: [repairs.with({ label: 'repairs' }), unrecoverable.with({ label: 'unrecoverable batches' })],
        width: 24,
      }),
    );
  }

  /** Any message arriving in a dead-letter queue alarms (the mail queues: see the Email construct). */
  monitorDeadLetterQueue(
    id: string,
    queue: IQueue,
    options: { description: string; runbook: RunbookSection },
  ): void {
    const metric = queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(5),
      statistic: Stats.MAXIMUM,
    });
    this.alarm(id, metric, { threshold: 1, ...options });
  }

  private alarm(
    id: string,
    metric: IMetric,
    options: { threshold: number; description: string; runbook: RunbookSection },
  ): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: options.threshold,
      alarmDescription: `${options.description} Runbook: ${RUNBOOK}#${options.runbook}`,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No requests means nothing is failing.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.alarmAction);
    alarm.addOkAction(this.alarmAction);
  }
}
