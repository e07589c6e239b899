import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNBOOK_SECTIONS } from '#infra/constructs/observability';
import { OPS_JOB_RUNNER_VARIABLE } from '#shared/ops/config';
import {
  logicalId,
  policyActions,
  SYNTH_TIMEOUT_MS,
  synthTierdesk,
  type TierdeskSynthesis,
} from './synth.ts';
import { allowStatementsOf, render, resourcesOfAction } from './template.ts';

/** Template assertions on operations on AWS: the ops task function, its triggers, grants and alarms. */
let synthesis: TierdeskSynthesis;
beforeAll(() => {
  synthesis = synthTierdesk();
}, SYNTH_TIMEOUT_MS);
afterAll(() => synthesis.dispose());

const ops = () => synthesis.stack.operations.tasks;
const opsRole = () => logicalId(ops().role);
const opsTarget = () => ({ 'Fn::GetAtt': [logicalId(ops().fn), 'Arn'] });
const rules = () =>
  Object.values(synthesis.template.findResources('AWS::Events::Rule')).map((rule) => rule.Properties);
const alarms = () =>
  Object.values(synthesis.template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
const queueArn = () => ({ 'Fn::GetAtt': [logicalId(synthesis.stack.events.deadLetterQueue), 'Arn'] });
const streamArn = () => ({ 'Fn::GetAtt': [logicalId(synthesis.stack.data.table), 'StreamArn'] });

/** GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');

describe('Construct: Operations', () => {
  it('sends Step Functions status changes FAILED, TIMED_OUT and ABORTED of the ticket workflow, and only those, to the ops function', () => {
    // Act
    const incidentRules = rules().filter((rule) => rule.EventPattern);

    // Assess
    expect(incidentRules).toEqual([
      expect.objectContaining({
        State: 'ENABLED',
        EventPattern: {
          source: ['aws.states'],
          'detail-type': ['Step Functions Execution Status Change'],
          detail: {
            status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
            stateMachineArn: [{ Ref: logicalId(synthesis.stack.workflow.stateMachine) }],
          },
        },
        Targets: [expect.objectContaining({ Arn: opsTarget() })],
      }),
    ]);
    expect(incidentRules[0]?.Targets[0].Input).toBeUndefined();
  });

  it('reconciles hourly and runs the queued ops jobs every minute, on the ops function', () => {
    // Act
    const schedules = rules()
      .filter((rule) => rule.ScheduleExpression)
      .map((rule) => ({
        schedule: rule.ScheduleExpression,
        targets: rule.Targets.map((target: { Arn: unknown; Input: string }) => ({
          arn: target.Arn,
          input: JSON.parse(target.Input),
        })),
      }));

    // Assess
    expect(schedules).toEqual(
      expect.arrayContaining([
        { schedule: 'rate(1 hour)', targets: [{ arn: opsTarget(), input: { task: 'reconcile' } }] },
        { schedule: 'rate(1 minute)', targets: [{ arn: opsTarget(), input: { task: 'jobs' } }] },
      ]),
    );
    expect(schedules).toHaveLength(2);
  });

  it('lets EventBridge invoke the ops function for each of its three rules', () => {
    const permissions = Object.values(synthesis.template.findResources('AWS::Lambda::Permission'))
      .map((permission) => permission.Properties)
      .filter((permission) => JSON.stringify(permission.FunctionName) === JSON.stringify(opsTarget()));
    expect(permissions.map((permission) => permission.Principal)).toEqual([
      'events.amazonaws.com',
      'events.amazonaws.com',
      'events.amazonaws.com',
    ]);
  });

  it('consumes the stream dead-letter queue, reporting failures per message, with a visibility timeout no shorter than the function runs', () => {
    // Prepare
    const fn = synthesis.template.findResources('AWS::Lambda::Function')[logicalId(ops().fn)]?.Properties;
    const queue =
      synthesis.template.findResources('AWS::SQS::Queue')[logicalId(synthesis.stack.events.deadLetterQueue)]
        ?.Properties;

    // Act
    const mappings = Object.values(synthesis.template.findResources('AWS::Lambda::EventSourceMapping'))
      .map((mapping) => mapping.Properties)
      .filter(
        (mapping) => JSON.stringify(mapping.FunctionName) === JSON.stringify({ Ref: logicalId(ops().fn) }),
      );

    // Assess
    expect(mappings).toEqual([
      expect.objectContaining({
        EventSourceArn: queueArn(),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 10,
      }),
    ]);
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(fn.Timeout);
    expect(fn.Timeout).toBe(15 * 60);
    // Jobs are picked up by the schedule, never run in the background of a frozen invocation.
    expect(fn.Environment.Variables).toMatchObject({
      [OPS_JOB_RUNNER_VARIABLE]: 'schedule',
      TABLE_NAME: { Ref: logicalId(synthesis.stack.data.table) },
      WORKFLOW_ARN: { Ref: logicalId(synthesis.stack.workflow.stateMachine) },
    });
  });

  it("reads the table's stream by shard and sequence number, that stream only, and consumes that queue only", () => {
    // Prepare
    const statements = allowStatementsOf(synthesis.template, opsRole());
    const actions = policyActions(synthesis.template, opsRole());

    // Assess: streams (the table's read grant names the same actions on the table and its indexes,
    // which no stream ARN matches)
    const table = render({ 'Fn::GetAtt': [logicalId(synthesis.stack.data.table), 'Arn'] });
    for (const action of ['dynamodb:GetShardIterator', 'dynamodb:GetRecords']) {
      const resources = resourcesOfAction(synthesis.template, opsRole(), action);
      expect(resources, action).toContainEqual(streamArn());
      expect(resources.map(render).sort(), action).toEqual(
        [table, `${table}/index/*`, render(streamArn())].sort(),
      );
    }
    expect(actions).not.toContain('dynamodb:ListStreams');
    expect(actions).not.toContain('dynamodb:*');
    // Assess: SQS
    const sqs = statements.filter((statement) => [statement.Action].flat().some((a) => a.startsWith('sqs:')));
    expect(sqs.flatMap((statement) => [statement.Resource].flat())).toEqual([queueArn()]);
    expect(sqs.flatMap((statement) => [statement.Action].flat()).sort()).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ]);
  });

  it('operates this state machine and its executions only: no states:* action, no resource beyond them', () => {
    // Prepare
    const machine = JSON.stringify({ Ref: logicalId(synthesis.stack.workflow.stateMachine) });
    const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:Tierdesk-dev-ticket-lifecycle:*`;

    // Act
    const states = allowStatementsOf(synthesis.template, opsRole()).filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('states:')),
    );

    // Assess
    expect([...new Set(states.flatMap((statement) => [statement.Action].flat()))].sort()).toEqual([
      'states:DescribeExecution',
      'states:GetExecutionHistory',
      'states:ListExecutions',
      'states:RedriveExecution',
      'states:SendTaskFailure',
      'states:SendTaskHeartbeat',
      'states:SendTaskSuccess',
      'states:StartExecution',
      'states:StopExecution',
    ]);
    for (const resource of states.flatMap((statement) => [statement.Resource].flat())) {
      expect([machine, JSON.stringify(executions)]).toContain(
        JSON.stringify(
          typeof resource === 'string' || !('Fn::Join' in (resource as object)) ? resource : render(resource),
        ),
      );
    }
    for (const action of ['states:RedriveExecution', 'states:StopExecution', 'states:DescribeExecution'])
      expect(resourcesOfAction(synthesis.template, opsRole(), action).map(render), action).toEqual([
        executions,
      ]);
  });
});

describe('Construct: Observability (operations)', () => {
  const alarmsOn = (metricName: string) => alarms().filter((alarm) => alarm.MetricName === metricName);

  it('alarms on any reconciliation repair, the EMF metric the job publishes (namespace Tierdesk, service dimension)', () => {
    expect(alarmsOn('ReconciliationRepairs')).toEqual([
      expect.objectContaining({
        Namespace: 'Tierdesk',
        Dimensions: [{ Name: 'service', Value: 'tierdesk' }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    ]);
  });

  it('alarms on an unrecoverable stream dead letter, and on errors of the ops function', () => {
    expect(alarmsOn('StreamDeadLettersUnrecoverable')).toEqual([
      expect.objectContaining({ Namespace: 'Tierdesk', Threshold: 1, Statistic: 'Sum' }),
    ]);
    const fn = { Name: 'FunctionName', Value: { Ref: logicalId(ops().fn) } };
    expect(
      alarmsOn('Errors').filter((alarm) => JSON.stringify(alarm.Dimensions) === JSON.stringify([fn])),
    ).toHaveLength(1);
  });

  it('alarms on failed and timed-out executions once each, pointing at the runbook section that says what to do', () => {
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      const [alarm, ...more] = alarmsOn(metric);
      expect(more, metric).toEqual([]);
      expect(alarm?.AlarmDescription, metric).toContain(
        'docs/runbook.md#workflow-executions-failed-or-timed-out',
      );
    }
  });

  it("links every alarm's description to a section of docs/runbook.md that exists", () => {
    // Prepare: the runbook's headings, as the anchors GitHub gives them
    const runbook = readFileSync(new URL('../../docs/runbook.md', import.meta.url), 'utf8');
    const anchors = [...runbook.matchAll(/^##+ (.+)$/gm)].map((match) => anchorOf(match[1] ?? ''));

    // Act
    const links = alarms().map(
      (alarm) => /Runbook: docs\/runbook\.md#([\w-]+)$/.exec(alarm.AlarmDescription)?.[1],
    );

    // Assess
    expect(links.filter((link) => link === undefined)).toEqual([]);
    expect(new Set(links)).toEqual(new Set(RUNBOOK_SECTIONS));
    for (const section of RUNBOOK_SECTIONS) expect(anchors, section).toContain(section);
  });
});
