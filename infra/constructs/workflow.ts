import { ArnFormat, Aws, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { WORKFLOW_ARN_VARIABLE } from '#shared/workflow/config';
import {
  WORKFLOW_FUNCTIONS,
  type WorkflowFunction,
  workflowDefinitionString,
} from '#shared/workflow/definition';

import { LambdaFunction } from './lambda-function.ts';

/** The environment variable through which a function learns the state machine's ARN. */

export interface WorkflowProps {
  table: ITable;
}

/**
 * The ticket lifecycle: a Standard state machine running the one definition in
 * `shared/workflow/definition.ts` as is, and one Lambda function per task it invokes.
 *
 * The definition is a string, so CDK cannot see what it calls: the role's grants are spelled out
 * here, and they are exactly the four task functions and the state machine itself (continue as new).
 *
 * The state machine has a fixed name, so its ARN is known before it exists. The definition and the
 * park function refer to the state machine through that computed ARN: a reference to the resource
 * itself would be a cycle (the state machine depends on its functions, which would depend on it).
 */
export class Workflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly stateMachineName: string;
  /** Built from the name; equals `stateMachine.stateMachineArn` once deployed. */
  readonly stateMachineArn: string;
  /** The ARNs of every execution, past and future (continue as new included), of this state machine. */
  readonly executionArns: string;
  readonly functions: ReadonlyMap<WorkflowFunction, LambdaFunction>;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);

    const stack = Stack.of(this);
    this.stateMachineName = `${stack.stackName}-ticket-lifecycle`;
    this.stateMachineArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: this.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.executionArns = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const functions = new Map<WorkflowFunction, LambdaFunction>();
    for (const [name, entry] of Object.entries(WORKFLOW_FUNCTIONS) as [WorkflowFunction, string][]) {
      const fn = new LambdaFunction(this, name.replace(/Arn$/, ''), {
        entry,
        description: `Ticket lifecycle task (${entry})`,
      });
      // Every task reads the ticket; triage routes it, park stores its token, the others record events.
      fn.bindTable({ table: props.table, access: 'readWrite' });
      functions.set(name, fn);
    }
    this.functions = functions;

    // When the ticket changed between the decision and the park, park completes its own token.
    const park = this.task('ParkFunctionArn');
    park.role.addToPolicy(
      new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [this.stateMachineArn] }),
    );
    park.fn.addEnvironment(WORKFLOW_ARN_VARIABLE, this.stateMachineArn);

    this.logGroup = this.encryptedLogGroup();
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: this.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      comment: 'Tierdesk ticket lifecycle: one execution per ticket',
      definitionBody: DefinitionBody.fromString(workflowDefinitionString()),
      definitionSubstitutions: {
        ...Object.fromEntries([...functions].map(([name, fn]) => [name, fn.fn.functionArn])),
        WorkflowArn: this.stateMachineArn,
      },
      // The execution history is the ticket's story; the logs keep it, inputs and outputs included,
      // in a searchable form after the console's 90 days.
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        // Unqualified ARNs only: the definition invokes `$LATEST` of each function, no version or alias.
        actions: ['lambda:InvokeFunction'],
        resources: [...functions.values()].map((fn) => fn.fn.functionArn),
      }),
    );
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachineArn] }),
    );
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Logging to CloudWatch Logs goes through log delivery (logs:CreateLogDelivery and friends) and X-Ray ' +
        'tracing through xray:PutTraceSegments; neither supports resource-level permissions.',
    });
  }

  /** Start executions (one per ticket, named after it); for the stream processor. */
  grantStart(grantee: LambdaFunction): void {
    this.stateMachine.grantStartExecution(grantee.fn);
  }

  /** Complete (success, failure) or extend (heartbeat) parked tasks by their token. */
  grantTaskResponse(grantee: LambdaFunction): void {
    this.stateMachine.grantTaskResponse(grantee.fn);
  }

  /** Look up a ticket's executions and their histories; tells the function the state machine ARN. */
  grantRead(grantee: LambdaFunction): void {
    grantee.role.addToPolicy(
      new PolicyStatement({
        actions: ['states:ListExecutions'],
        resources: [this.stateMachine.stateMachineArn],
      }),
    );
    this.grantExecutions(grantee, 'states:DescribeExecution', 'states:GetExecutionHistory');
    grantee.fn.addEnvironment(WORKFLOW_ARN_VARIABLE, this.stateMachine.stateMachineArn);
  }

  /**
   * Operate the ticket workflows (the ops routes and task): read them, list them by status, redrive,
   * start a new generation, stop an orphan, wake a lost wake — this state machine and its
   * executions only.
   */
  grantOperate(grantee: LambdaFunction): void {
    this.grantRead(grantee);
    this.grantStart(grantee);
    this.grantTaskResponse(grantee);
    this.grantExecutions(grantee, 'states:RedriveExecution', 'states:StopExecution');
  }

  /** Actions on the executions of this state machine, whichever ticket (or generation) they belong to. */
  grantExecutions(grantee: LambdaFunction, ...actions: string[]): void {
    grantee.role.addToPolicy(new PolicyStatement({ actions, resources: [this.executionArns] }));
    Validations.of(grantee.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResource(this, this.executionArns)}]`,
      reason:
        'Executions are named after tickets at run time (ticket-<number>-g<generation>); the wildcard covers the executions of this one state machine only.',
    });
  }

  private task(name: WorkflowFunction): LambdaFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`No workflow function ${name}`);
    return fn;
  }

  /**
   * Logs with execution data carry ticket content, which the table protects with a customer-managed
   * key: the logs get one of their own, usable by CloudWatch Logs for this log group only.
   */
  private encryptedLogGroup(): LogGroup {
    const stack = Stack.of(this);
    // Step Functions' vended-logs prefix keeps its log resource policy from growing per log group.
    const logGroupName = `/aws/vendedlogs/states/${this.stateMachineName}`;
    const key = new Key(this, 'LogsKey', {
      description: `Encrypts the execution logs of ${this.stateMachineName}`,
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnEquals: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: logGroupName,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    return new LogGroup(this, 'Logs', {
      logGroupName,
      encryptionKey: key,
      // Matches the 90 days Step Functions keeps a closed execution's history.
      retention: RetentionDays.THREE_MONTHS,
    });
  }
}

/** How cdk-nag names a resource in a finding: intrinsics flattened to `<Ref>` and `<LogicalId.Attribute>`. */
const nagResource = (scope: Construct, value: string): string => {
  const flatten = (node: unknown): string => {
    if (typeof node === 'string') return node;
    const fn = node as Record<string, unknown>;
    if (Array.isArray(fn['Fn::Join'])) {
      const [delimiter, parts] = fn['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(delimiter);
    }
    if (fn.Ref !== undefined) return `<${flatten(fn.Ref)}>`;
    if (Array.isArray(fn['Fn::GetAtt'])) return `<${(fn['Fn::GetAtt'] as unknown[]).map(flatten).join('.')}>`;
    return JSON.stringify(node);
  };
  return flatten(Stack.of(scope).resolve(value));
};
