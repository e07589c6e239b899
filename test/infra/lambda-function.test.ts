import { App, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Data } from '#infra/constructs/data';
import { LambdaFunction, type TableAccess } from '#infra/constructs/lambda-function';
import {
  appProps,
  DYNAMODB_WRITE_ACTIONS,
  logicalId,
  policyActions,
  SYNTH_TIMEOUT_MS,
  type Synthesis,
  synthesize,
} from './synth.ts';

describe('Construct: LambdaFunction', () => {
  let synthesis: Synthesis;
  let template: Template;
  let data: Data;
  const functions = new Map<TableAccess, LambdaFunction>();

  beforeAll(() => {
    // Prepare: one function per kind of table access, and the real (KMS-encrypted) table
    const app = new App(appProps());
    const stack = new Stack(app, 'LambdaFunctionTest');
    data = new Data(stack, 'Data');
    for (const access of ['none', 'read', 'readWrite'] as const) {
      const fn = new LambdaFunction(stack, access, {
        entry: 'functions/api/get-openapi.ts',
        environment: { EXTRA: 'yes' },
      });
      fn.bindTable({ table: data.table, access });
      functions.set(access, fn);
    }

    // Act
    synthesis = synthesize(app);
    template = synthesis.templateOf(stack);
  }, SYNTH_TIMEOUT_MS);

  afterAll(() => synthesis.dispose());

  const fn = (access: TableAccess): LambdaFunction => {
    const found = functions.get(access);
    if (!found) throw new Error(`no function for ${access}`);
    return found;
  };
  const functionProps = (access: TableAccess) =>
    template.findResources('AWS::Lambda::Function')[logicalId(fn(access).fn)]?.Properties;
  const actionsOf = (access: TableAccess) => policyActions(template, logicalId(fn(access).role));

  it('runs Node.js 24 on arm64 with active tracing and JSON logs into its own log group', () => {
    // Assess
    expect(functionProps('none')).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: 512,
      Timeout: 10,
      Handler: 'index.handler',
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalId(fn('none').logGroup) } },
    });
    template.resourceCountIs('AWS::Logs::LogGroup', functions.size);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('sets only the variables it is given: no NODE_OPTIONS (no source maps at run time)', () => {
    expect(functionProps('none').Environment.Variables).toEqual({ EXTRA: 'yes' });
  });

  it('uses a role without AWS managed policies that may write only to its own log group', () => {
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(fn('none').role) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [logicalId(fn('none').logGroup), 'Arn'] },
          },
        ]),
      },
    });
  });

  it("bindTable 'none' grants nothing on the table or its key and withholds TABLE_NAME", () => {
    expect(actionsOf('none').filter((action) => /^(dynamodb|kms):/.test(action))).toEqual([]);
    expect(functionProps('none').Environment.Variables.TABLE_NAME).toBeUndefined();
  });

  it("bindTable 'read' grants reads and decryption with the table key, but no write action", () => {
    expect(actionsOf('read')).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'kms:Decrypt']),
    );
    expect(actionsOf('read').filter((action) => DYNAMODB_WRITE_ACTIONS.includes(action))).toEqual([]);
    expect(actionsOf('read')).not.toContain('kms:Encrypt');
    expect(functionProps('read').Environment.Variables.TABLE_NAME).toEqual({ Ref: logicalId(data.table) });
  });

  it("bindTable 'readWrite' grants writes and encryption with the table key too", () => {
    expect(actionsOf('readWrite')).toEqual(
      expect.arrayContaining([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'kms:Decrypt',
        'kms:Encrypt',
      ]),
    );
    expect(functionProps('readWrite').Environment.Variables.TABLE_NAME).toEqual({
      Ref: logicalId(data.table),
    });
  });
});
