import type { Template } from 'aws-cdk-lib/assertions';

/** Reading a synthesized template in the infra tests: policies, and intrinsic values as text. */

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Principal?: { Service?: string };
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Every Allow statement of the inline policies attached to a role. */
export const allowStatementsOf = (template: Template, roleLogicalId: string): PolicyStatement[] =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties.Roles as unknown[]).some(
        (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId }),
      ),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatement[])
    .filter((statement) => statement.Effect === 'Allow');

/** The resources a role may apply an action to, as the template states them. */
export const resourcesOfAction = (template: Template, roleLogicalId: string, action: string): unknown[] =>
  allowStatementsOf(template, roleLogicalId)
    .filter((statement) => [statement.Action].flat().includes(action))
    .flatMap((statement) => [statement.Resource].flat());

/** A CloudFormation string with references written as `<AWS::Region>` and `<Id.Attribute>`. */
export const render = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const intrinsic = value as { 'Fn::Join'?: [string, unknown[]]; Ref?: string; 'Fn::GetAtt'?: string[] };
  if (intrinsic['Fn::Join']) return intrinsic['Fn::Join'][1].map(render).join(intrinsic['Fn::Join'][0]);
  if (intrinsic.Ref) return `<${intrinsic.Ref}>`;
  if (intrinsic['Fn::GetAtt']) return `<${intrinsic['Fn::GetAtt'].join('.')}>`;
  throw new Error(`Cannot render ${JSON.stringify(value)}`);
};
