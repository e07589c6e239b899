import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { KB_ENTITY, MAIL_ENTITY, TICKET_ENTITY } from '#shared/store/entities';
import { entityFilter } from '#shared/store/stream-filters';
import { WORKFLOW_ARN_VARIABLE } from '#shared/workflow/config';
import { KB_INDEX_MEMORY_MB, type KnowledgeBase } from './knowledge-base.ts';
import { LambdaFunction } from './lambda-function.ts';
import type { Workflow } from './workflow.ts';

/**
 * Which stream records wake the stream processor, as Lambda event filter patterns (plain JSON, no
 * CDK, so a local poller can apply the same ones). A record passes if any pattern matches; the
 * processor still checks what it receives, since a filter is an optimisation, not a contract.
 * Outbox items, when something must react to them, get a pattern of their own here.
 */
export const STREAM_FILTER_PATTERNS = {
  /** A ticket was created or changed (a delete is not a change the workflow can act on). */
  ticketChanges: entityFilter(['INSERT', 'MODIFY'], 'NewImage', TICKET_ENTITY.ticket),
  /**
   * An article was written: the search index is rebuilt. Two patterns, since a pattern's keys
   * must all match and a removed item has only an old image (an inserted one only a new image).
   */
  articleWrites: entityFilter(['INSERT', 'MODIFY'], 'NewImage', KB_ENTITY.article),
  /** An article was changed or deleted: what it was leaves the index. */
  articleRemovals: entityFilter(['MODIFY', 'REMOVE'], 'OldImage', KB_ENTITY.article),
  /** A mail was quarantined: the reports count it by reason. */
  quarantinedMail: entityFilter(['INSERT'], 'NewImage', MAIL_ENTITY.mailQuarantine),
  /** "This article solved it" was counted (once per person, article and day): so do the reports. */
  deflections: entityFilter(['INSERT'], 'NewImage', KB_ENTITY.deflectionMark),
} as const;

const STREAM_PROCESSOR_ENTRY = 'functions/stream/process-ticket-changes.ts';

export interface EventsProps {
  /** The table whose stream is the event backbone. */
  table: ITable;
  workflow: Workflow;
  /** Where the processor writes the search index it rebuilds when articles change. */
  knowledgeBase: KnowledgeBase;
}

/**
 * The event backbone: the table's stream feeds the stream processor, which starts each ticket's
 * workflow and wakes it when the ticket changes, and rebuilds the knowledge base's search index
 * when an article changes. At least once, in order per ticket: a record that keeps failing is
 * isolated by bisecting its batch, retried a few times, and then recorded in a dead-letter queue
 * (which alarms) rather than holding up its shard.
 */
export class Events extends Construct {
  readonly processor: LambdaFunction;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: EventsProps) {
    super(scope, id);

    this.processor = new LambdaFunction(this, 'StreamProcessor', {
      entry: STREAM_PROCESSOR_ENTRY,
      description:
        'Starts and wakes ticket workflows, keeps the reports and rebuilds the search index from table changes',
      // A batch of 25 makes a few Step Functions calls per record, with SDK retries when throttled;
      // a rebuild at 5,000 articles reads them all and takes seconds of CPU (build, serialize, gzip).
      timeout: Duration.minutes(1),
      memorySize: KB_INDEX_MEMORY_MB,
    });
    // It reads the ticket's workflow record (its task token) to wake the workflow, the articles to
    // index and a version's timeline events, and writes the report cells and their marks.
    this.processor.bindTable({ table: props.table, access: 'readWrite' });
    props.knowledgeBase.grantWriteIndex(this.processor);
    props.workflow.grantStart(this.processor);
    props.workflow.grantTaskResponse(this.processor);
    // To tell a running execution from a finished one when a start finds the name taken.
    props.workflow.grantExecutions(this.processor, 'states:DescribeExecution');
    this.processor.fn.addEnvironment(WORKFLOW_ARN_VARIABLE, props.workflow.stateMachine.stateMachineArn);

    // What lands here is the location of a failed batch in the stream (shard, sequence numbers),
    // not ticket data: SQS-managed encryption is enough. The ops task function consumes it within
    // the stream's 24 hours (Operations); its 15-minute timeout sets the visibility timeout.
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      visibilityTimeout: Duration.minutes(15),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter queue: the stream event source mapping's on-failure destination, " +
        'which cdk-nag does not recognise as one.',
    });

    this.processor.fn.addEventSource(
      new DynamoEventSource(props.table, {
        // Not LATEST: when the mapping is (re)created, changes already in the stream (up to 24 h)
        // are still processed instead of silently leaving tickets without a workflow. Replaying is
        // safe: starts are idempotent by execution name and stale tokens are ignored.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 5,
        // Leaves 18 of the stream's 24 hours to redrive from the dead-letter queue.
        maxRecordAge: Duration.hours(6),
        onFailure: new SqsDlq(this.deadLetterQueue),
        filters: Object.values(STREAM_FILTER_PATTERNS).map((pattern) => FilterCriteria.filter(pattern)),
      }),
    );
    Validations.of(this.processor.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'The event source mapping reads the stream with dynamodb:ListStreams, which supports no resource-level ' +
        'permissions; active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, likewise.',
    });
  }
}
