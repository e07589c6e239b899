import { Duration, Stack } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
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

  /** Error and throttle alarms per function, and graphs of all of them side by side. */
  monitorFunctions(title: string, functions: ReadonlyMap<string, IFunction>): void {
    const period = Duration.minutes(5);
    const errors: IMetric[] = [];
    const throttles: IMetric[] = [];
    const durations: IMetric[] = [];
    for (const [name, fn] of functions) {
      const fnErrors = fn.metricErrors({ period });
      const fnThrottles = fn.metricThrottles({ period });
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
