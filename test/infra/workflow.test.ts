import { App, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Data } from '#infra/constructs/data';
import { STREAM_FILTER_PATTERNS } from '#infra/constructs/events';
import { LambdaFunction } from '#infra/constructs/lambda-function';
import { Workflow } from '#infra/constructs/workflow';
import { ROUTES } from '#shared/http/routes';
import {
  WORKFLOW_FUNCTIONS,
  type WorkflowFunction,
  workflowDefinitionString,
} from '#shared/workflow/definition';
import {
  appProps,
  DYNAMODB_WRITE_ACTIONS,
  logicalId,
  policyActions,
  SYNTH_TIMEOUT_MS,
  type Synthesis,
  synthesize,
  synthTierdesk,
  type TierdeskSynthesis,
} from './synth.ts';
import { allowStatementsOf, render, resourcesOfAction } from './template.ts';

/** Template assertions on the ticket workflow, the event backbone and their alarms (bundling skipped). */
let synthesis: TierdeskSynthesis;
beforeAll(() => {
  synthesis = synthTierdesk();
}, SYNTH_TIMEOUT_MS);
afterAll(() => synthesis.dispose());

/** The Allow statements of the inline policies attached to a role, actions and resources as lists. */
const statementsOf = (template: Template, roleLogicalId: string) =>
  allowStatementsOf(template, roleLogicalId).map((statement) => ({
    actions: [statement.Action].flat(),
    resources: [statement.Resource].flat(),
  }));

const ARN_PREFIX = 'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>';
const STATE_MACHINE_NAME = 'Tierdesk-dev-ticket-lifecycle';

const stateMachine = () => {
  const resources = Object.entries(synthesis.template.findResources('AWS::StepFunctions::StateMachine'));
  expect(resources).toHaveLength(1);
  const [id, resource] = resources[0] ?? [];
  return { id: id as string, props: resource?.Properties };
};

const task = (name: WorkflowFunction): LambdaFunction => {
  const fn = synthesis.stack.workflow.functions.get(name);
  if (!fn) throw new Error(`no workflow function ${name}`);
  return fn;
};

const functionProps = (fn: LambdaFunction) =>
  synthesis.template.findResources('AWS::Lambda::Function')[logicalId(fn.fn)]?.Properties;

describe('Construct: Workflow', () => {
  it('is a Standard state machine with a fixed name, logging ALL events with execution data, and traced', () => {
    const { props } = stateMachine();
    expect(props).toMatchObject({
      StateMachineType: 'STANDARD',
      StateMachineName: STATE_MACHINE_NAME,
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { 'Fn::GetAtt': [logicalId(synthesis.stack.workflow.logGroup), 'Arn'] },
            },
          },
        ],
      },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('deploys the definition byte for byte as workflowDefinitionString() renders it', () => {
    // Act: the template may carry the string as is or (with tokens inside) as an Fn::Join
    const deployed = render(stateMachine().props.DefinitionString);

    // Assess
    expect(deployed).toBe(workflowDefinitionString());
  });

  it('substitutes every variable of the definition: task functions by ARN, WorkflowArn by its own name', () => {
    // Prepare
    const variables = [...workflowDefinitionString().matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]);
    const substitutions = stateMachine().props.DefinitionSubstitutions;

    // Assess
    expect(Object.keys(substitutions).sort()).toEqual([...new Set(variables)].sort());
    for (const name of Object.keys(WORKFLOW_FUNCTIONS) as WorkflowFunction[]) {
      expect(substitutions[name], name).toEqual({ 'Fn::GetAtt': [logicalId(task(name).fn), 'Arn'] });
    }
    expect(render(substitutions.WorkflowArn)).toBe(`${ARN_PREFIX}:stateMachine:${STATE_MACHINE_NAME}`);
  });

  it('creates one function per WORKFLOW_FUNCTIONS entry, each reading and writing the table', () => {
    expect([...synthesis.stack.workflow.functions.keys()].sort()).toEqual(
      Object.keys(WORKFLOW_FUNCTIONS).sort(),
    );
    for (const [name, entry] of Object.entries(WORKFLOW_FUNCTIONS) as [WorkflowFunction, string][]) {
      expect(functionProps(task(name)).Description, name).toContain(entry);
      expect(policyActions(synthesis.template, logicalId(task(name).role)), name).toEqual(
        expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem']),
      );
      expect(functionProps(task(name)).Environment.Variables.TABLE_NAME, name).toEqual({
        Ref: logicalId(synthesis.stack.data.table),
      });
    }
  });

  it('lets park, and no other task, complete a task token of this state machine', () => {
    const machineArn = `${ARN_PREFIX}:stateMachine:${STATE_MACHINE_NAME}`;
    for (const name of Object.keys(WORKFLOW_FUNCTIONS) as WorkflowFunction[]) {
      const role = logicalId(task(name).role);
      const states = policyActions(synthesis.template, role).filter((action) => action.startsWith('states:'));
      if (name === 'ParkFunctionArn') {
        expect(states).toEqual(['states:SendTaskSuccess']);
        expect(resourcesOfAction(synthesis.template, role, 'states:SendTaskSuccess').map(render)).toEqual([
          machineArn,
        ]);
        expect(render(functionProps(task(name)).Environment.Variables.WORKFLOW_ARN)).toBe(machineArn);
      } else {
        expect(states, name).toEqual([]);
      }
    }
  });

  it('has a role that invokes exactly the four task functions and starts only its own executions', () => {
    // Prepare
    const role = stateMachine().props.RoleArn['Fn::GetAtt'][0];
    const statements = statementsOf(synthesis.template, role);

    // Assess: unqualified ARNs, no wildcard, nothing else of Lambda
    expect(resourcesOfAction(synthesis.template, role, 'lambda:InvokeFunction')).toEqual(
      expect.arrayContaining(
        (Object.keys(WORKFLOW_FUNCTIONS) as WorkflowFunction[]).map((name) => ({
          'Fn::GetAtt': [logicalId(task(name).fn), 'Arn'],
        })),
      ),
    );
    expect(resourcesOfAction(synthesis.template, role, 'lambda:InvokeFunction')).toHaveLength(4);
    expect(resourcesOfAction(synthesis.template, role, 'states:StartExecution').map(render)).toEqual([
      `${ARN_PREFIX}:stateMachine:${STATE_MACHINE_NAME}`,
    ]);
    const services = new Set(
      statements.flatMap((statement) => statement.actions).map((action) => action.split(':')[0]),
    );
    expect([...services].sort()).toEqual(['lambda', 'logs', 'states', 'xray']);
  });

  it('logs to a log group encrypted with its own rotating key, which only CloudWatch Logs for it may use', () => {
    // Prepare
    const logGroup =
      synthesis.template.findResources('AWS::Logs::LogGroup')[logicalId(synthesis.stack.workflow.logGroup)]
        ?.Properties;
    const keyId = logGroup.KmsKeyId['Fn::GetAtt'][0];
    const key = synthesis.template.findResources('AWS::KMS::Key')[keyId]?.Properties;

    // Assess
    expect(logGroup).toMatchObject({
      LogGroupName: `/aws/vendedlogs/states/${STATE_MACHINE_NAME}`,
      RetentionInDays: 90,
    });
    expect(key.EnableKeyRotation).toBe(true);
    const logsStatement = key.KeyPolicy.Statement.find(
      (statement: { Principal: { Service?: unknown } }) => statement.Principal.Service,
    );
    expect(render(logsStatement.Principal.Service)).toBe('logs.<AWS::Region>.amazonaws.com');
    expect(render(logsStatement.Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn'])).toBe(
      `arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/vendedlogs/states/${STATE_MACHINE_NAME}`,
    );
  });
});

describe('Construct: Events', () => {
  const processor = () => synthesis.stack.events.processor;
  const mapping = () => {
    // The mailer reads the same stream through its own mapping (see email.test.ts).
    const mappings = Object.values(
      synthesis.template.findResources('AWS::Lambda::EventSourceMapping'),
    ).filter(
      (resource) =>
        JSON.stringify(resource.Properties.FunctionName) ===
        JSON.stringify({ Ref: logicalId(processor().fn) }),
    );
    expect(mappings).toHaveLength(1);
    return mappings[0]?.Properties;
  };

  it('feeds the table stream to the stream processor from the oldest record, 25 at a time', () => {
    expect(mapping()).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [logicalId(synthesis.stack.data.table), 'StreamArn'] },
      FunctionName: { Ref: logicalId(processor().fn) },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 25,
    });
  });

  it('reports partial batch failures, bisects failing batches, and gives up into the dead-letter queue', () => {
    expect(mapping()).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 6 * 60 * 60,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [logicalId(synthesis.stack.events.deadLetterQueue), 'Arn'] },
        },
      },
    });
  });

  it('wakes for tickets inserted or modified (and for articles: see knowledge-base.test.ts)', () => {
    // Act
    const patterns = mapping().FilterCriteria.Filters.map((filter: { Pattern: string }) =>
      JSON.parse(filter.Pattern),
    );

    // Assess
    expect(patterns).toEqual(Object.values(STREAM_FILTER_PATTERNS));
    expect(patterns).toContainEqual({
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: { NewImage: { entity: { S: ['ticket'] } } },
    });
  });

  it('has an encrypted dead-letter queue that requires TLS and keeps messages 14 days', () => {
    const queueId = logicalId(synthesis.stack.events.deadLetterQueue);
    expect(synthesis.template.findResources('AWS::SQS::Queue')[queueId]?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 60 * 60,
    });
    const policy = Object.values(synthesis.template.findResources('AWS::SQS::QueuePolicy')).find(
      (resource) => JSON.stringify(resource.Properties.Queues) === JSON.stringify([{ Ref: queueId }]),
    );
    expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('lets the processor read and write the table (report cells), start and signal the workflow, and describe its executions', () => {
    // Prepare
    const role = logicalId(processor().role);
    const machine = { Ref: stateMachine().id };
    const actions = policyActions(synthesis.template, role);

    // Assess
    // It keeps the reports (report cells and their marks): item writes, never a table-wide action.
    expect(actions.filter((action) => DYNAMODB_WRITE_ACTIONS.includes(action)).sort()).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(actions).toContain('dynamodb:GetItem');
    for (const action of [
      'states:StartExecution',
      'states:SendTaskSuccess',
      'states:SendTaskFailure',
      'states:SendTaskHeartbeat',
    ]) {
      expect(resourcesOfAction(synthesis.template, role, action), action).toEqual([machine]);
    }
    expect(resourcesOfAction(synthesis.template, role, 'states:DescribeExecution').map(render)).toEqual([
      `${ARN_PREFIX}:execution:${STATE_MACHINE_NAME}:*`,
    ]);
    expect(actions.filter((action) => action.startsWith('states:')).sort()).toEqual([
      'states:DescribeExecution',
      'states:SendTaskFailure',
      'states:SendTaskHeartbeat',
      'states:SendTaskSuccess',
      'states:StartExecution',
    ]);
    expect(functionProps(processor()).Environment.Variables).toMatchObject({
      TABLE_NAME: { Ref: logicalId(synthesis.stack.data.table) },
      WORKFLOW_ARN: machine,
    });
  });
});

describe('Construct: Api (workflow access)', () => {
  const workflowAccessOf = (route: (typeof ROUTES)[number]) =>
    (route as { workflowAccess?: string }).workflowAccess;

  it("lets the functions of routes with workflowAccess 'read' read executions, those with 'operate' operate them, and no other function", () => {
    for (const route of ROUTES) {
      // Prepare
      const handler = synthesis.stack.api.functionFor(route.id);
      const role = logicalId(handler.role);

      // Act
      const states = policyActions(synthesis.template, role).filter((action) => action.startsWith('states:'));

      // Assess
      if (workflowAccessOf(route) === 'read') {
        expect(states.sort(), route.id).toEqual([
          'states:DescribeExecution',
          'states:GetExecutionHistory',
          'states:ListExecutions',
        ]);
        expect(functionProps(handler).Environment.Variables.WORKFLOW_ARN, route.id).toEqual({
          Ref: stateMachine().id,
        });
      } else if (workflowAccessOf(route) === 'operate') {
        expect([...new Set(states)].sort(), route.id).toEqual([
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
      } else {
        expect(states, route.id).toEqual([]);
        expect(functionProps(handler).Environment?.Variables.WORKFLOW_ARN, route.id).toBeUndefined();
      }
    }
  });
});

describe('Method: Workflow.grantRead', () => {
  let readSynthesis: Synthesis;
  let template: Template;
  let reader: LambdaFunction;
  beforeAll(() => {
    // Prepare: a workflow and a function that reads it, with cdk-nag
    const app = new App(appProps());
    const stack = new Stack(app, 'WorkflowReadTest');
    const data = new Data(stack, 'Data');
    const workflow = new Workflow(stack, 'Workflow', { table: data.table });
    reader = new LambdaFunction(stack, 'Reader', { entry: 'functions/api/get-openapi.ts' });
    workflow.grantRead(reader);

    // Act
    readSynthesis = synthesize(app);
    template = readSynthesis.templateOf(stack);
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => readSynthesis.dispose());

  it('lists executions of the state machine and describes them and their histories, and nothing else', () => {
    const role = logicalId(reader.role);
    const machine = {
      Ref: logicalId(Stack.of(reader).node.findChild('Workflow').node.findChild('StateMachine')),
    };
    expect(resourcesOfAction(template, role, 'states:ListExecutions')).toEqual([machine]);
    for (const action of ['states:DescribeExecution', 'states:GetExecutionHistory']) {
      expect(resourcesOfAction(template, role, action).map(render), action).toEqual([
        'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:WorkflowReadTest-ticket-lifecycle:*',
      ]);
    }
    expect(policyActions(template, role).filter((action) => action.startsWith('states:'))).toHaveLength(3);
    const variables =
      template.findResources('AWS::Lambda::Function')[logicalId(reader.fn)]?.Properties.Environment.Variables;
    expect(variables.WORKFLOW_ARN).toEqual(machine);
  });

  it('acknowledges the execution wildcard it needs, so cdk-nag finds nothing', () => {
    expect(readSynthesis.findings).toEqual([]);
  });
});

describe('Construct: Observability (workflow and stream)', () => {
  const alarms = () =>
    Object.values(synthesis.template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties,
    );
  const alarmsOn = (metricName: string, dimension: unknown) =>
    alarms().filter(
      (alarm) =>
        alarm.MetricName === metricName &&
        JSON.stringify(alarm.Dimensions).includes(JSON.stringify(dimension)),
    );

  it('alarms on failed, timed-out and aborted executions of the state machine', () => {
    const machine = { Name: 'StateMachineArn', Value: { Ref: stateMachine().id } };
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
      expect(alarmsOn(metric, machine), metric).toEqual([
        expect.objectContaining({ Namespace: 'AWS/States', Threshold: 1, Statistic: 'Sum' }),
      ]);
    }
  });

  it('alarms on any message sent to the dead-letter queue (its consumer drains it) and on a stream processor 5 minutes behind', () => {
    const queue = {
      Name: 'QueueName',
      Value: { 'Fn::GetAtt': [logicalId(synthesis.stack.events.deadLetterQueue), 'QueueName'] },
    };
    expect(alarmsOn('NumberOfMessagesSent', queue)).toEqual([
      expect.objectContaining({
        Threshold: 1,
        Statistic: 'Sum',
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    ]);
    expect(alarmsOn('ApproximateNumberOfMessagesVisible', queue)).toEqual([]);
    const processor = {
      Name: 'FunctionName',
      Value: { Ref: logicalId(synthesis.stack.events.processor.fn) },
    };
    expect(alarmsOn('IteratorAge', processor)).toEqual([
      expect.objectContaining({ Threshold: 300_000, Statistic: 'Maximum' }),
    ]);
    expect(alarmsOn('Errors', processor)).toHaveLength(1);
  });

  it('alarms on a single SLA breach published by the workflow', () => {
    expect(alarmsOn('SlaBreaches', { Name: 'service', Value: 'tierdesk' })).toEqual([
      expect.objectContaining({ Namespace: 'Tierdesk', Threshold: 1, Statistic: 'Sum' }),
    ]);
  });

  it('graphs the workflow tasks without alarming on their errors, which the definition retries', () => {
    for (const name of Object.keys(WORKFLOW_FUNCTIONS) as WorkflowFunction[]) {
      expect(alarmsOn('Errors', { Ref: logicalId(task(name).fn) }), name).toEqual([]);
    }
  });
});
