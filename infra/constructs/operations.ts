import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OPS_JOB_RUNNER_VARIABLE } from '#shared/ops/config';
import { INCIDENT_STATUSES } from '#shared/ops/incidents';
import { LambdaFunction } from './lambda-function.ts';
import type { Workflow } from './workflow.ts';

const OPS_TASKS_ENTRY = 'functions/ops/ops-tasks.ts';

export interface OperationsProps {
  table: ITable;
  workflow: Workflow;
  /** The stream processor's on-failure destination: where a failed batch's place in the stream lands. */
  streamDeadLetterQueue: IQueue;
}

/**
 * Operations on AWS: one function (`functions/ops/ops-tasks.ts`) for every ops task outside a
 * request, so the stack grows by a handful of resources:
 *
 * - the incident recorder: an EventBridge rule on "Step Functions Execution Status Change" for
 *   FAILED, TIMED_OUT and ABORTED executions of the ticket workflow;
 * - the reconciliation, hourly, and the job runner, every minute (jobs asked for over HTTP run
 *   here: the API functions get no Lambda client and no invoke permission);
 * - the stream dead-letter consumer: it reads the failed batch's records again from the stream
 *   and records the tickets they name for the reconciliation.
 */
export class Operations extends Construct {
  readonly tasks: LambdaFunction;
  readonly incidentRule: Rule;
  readonly reconcileSchedule: Rule;
  readonly jobsSchedule: Rule;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const streamArn = props.table.tableStreamArn;
    if (!streamArn) throw new Error('Operations need the table to have a stream.');

    this.tasks = new LambdaFunction(this, 'Tasks', {
      entry: OPS_TASKS_ENTRY,
      description:
        'Ops tasks: records workflow incidents, runs the reconciliation and ops jobs, reads stream dead letters',
      // A reconciliation of every tier queue runs in one invocation (see shared/ops/reconcile.ts).
      timeout: Duration.minutes(15),
      environment: { [OPS_JOB_RUNNER_VARIABLE]: 'schedule' },
    });
    this.tasks.bindTable({ table: props.table, access: 'readWrite' });
    props.workflow.grantOperate(this.tasks);
    // The records of a failed batch, read again by shard and sequence number: this table's stream
    // only (the stream ARN is in each message, so no ListStreams).
    this.tasks.role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetShardIterator', 'dynamodb:GetRecords'],
        resources: [streamArn],
      }),
    );

    const target = (input?: Record<string, unknown>) =>
      new LambdaTarget(this.tasks.fn, {
        ...(input && { event: RuleTargetInput.fromObject(input) }),
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      });
    this.incidentRule = new Rule(this, 'IncidentRule', {
      description: 'Failed, timed-out and stopped ticket workflow executions become ops incidents',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: [...INCIDENT_STATUSES],
          stateMachineArn: [props.workflow.stateMachine.stateMachineArn],
        },
      },
      targets: [target()],
    });
    this.reconcileSchedule = new Rule(this, 'ReconcileSchedule', {
      description: 'The hourly reconciliation of the ticket workflows',
      schedule: Schedule.rate(Duration.hours(1)),
      targets: [target({ task: 'reconcile' })],
    });
    this.jobsSchedule = new Rule(this, 'JobsSchedule', {
      description: 'Runs the ops jobs asked for over HTTP (reconciliation, bulk redrive)',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [target({ task: 'jobs' })],
    });

    this.tasks.fn.addEventSource(
      new SqsEventSource(props.streamDeadLetterQueue, {
        batchSize: 10,
        reportBatchItemFailures: true,
      }),
    );
  }
}
