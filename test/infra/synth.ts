import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, type AppProps, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { createTierdeskApp, type TierdeskStack } from '#infra/tierdesk-stack';

/** The context `cdk synth` passes from cdk.json (feature flags), so tests synthesize what the CLI does. */
const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

/**
 * For `beforeAll` hooks that synthesize: the infra project's test timeout, since hooks otherwise
 * get vitest's 10 s default and bundling every handler takes longer on a busy machine.
 */
export const SYNTH_TIMEOUT_MS = 300_000;

export interface SynthOptions {
  /**
   * Run esbuild for every function. Off by default: template assertions do not need the code,
   * and bundling is most of the time a synthesis takes.
   */
  bundle?: boolean;
  /** Context parameters, as with `cdk synth -c name=value`. */
  context?: Record<string, unknown>;
}

/** One violation reported by a validation plugin (cdk-nag's AwsSolutions pack, or CDK's own). */
export interface Finding {
  plugin: string;
  rule: string;
  severity: string;
  paths: string[];
}

export interface Synthesis {
  /** The cloud assembly directory: templates, bundled assets, the validation report. */
  directory: string;
  /** Unacknowledged violations from the validation report, errors and warnings alike. */
  findings: Finding[];
  templateOf(stack: Stack): Template;
  dispose(): void;
}

export const appProps = ({ bundle = false, context = {} }: SynthOptions = {}): AppProps => ({
  outdir: mkdtempSync(join(tmpdir(), 'tierdesk-cdk-')),
  context: {
    ...CDK_JSON_CONTEXT,
    // Report violations in the validation report instead of throwing at the first error, so a
    // failing test lists every finding.
    '@aws-cdk/core:failSynthOnValidationErrors': false,
    // Asset paths in template metadata, as the CLI records them, to find each function's bundle.
    'aws:cdk:enable-asset-metadata': true,
    ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    ...context,
  },
});

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

/** Synthesizes an app (validation plugins included) and reads its validation report. */
export const synthesize = (app: App): Synthesis => {
  const assembly = app.synth();
  const report: ValidationReport = JSON.parse(
    readFileSync(join(assembly.directory, VALIDATION_REPORT_FILE), 'utf8'),
  );
  return {
    directory: assembly.directory,
    findings: report.pluginReports.flatMap((plugin) =>
      plugin.violations.map((violation) => ({
        plugin: plugin.pluginName,
        rule: violation.ruleName,
        severity: violation.severity,
        paths: violation.violatingConstructs.map((construct) => construct.constructPath),
      })),
    ),
    templateOf: (stack) => Template.fromJSON(assembly.getStackByName(stack.stackName).template),
    dispose: () => rmSync(assembly.directory, { recursive: true, force: true }),
  };
};

export interface TierdeskSynthesis extends Synthesis {
  stack: TierdeskStack;
  template: Template;
}

/** The Tierdesk app exactly as `infra/app.ts` builds it, cdk-nag included. */
export const synthTierdesk = (options?: SynthOptions): TierdeskSynthesis => {
  const props = appProps(options);
  try {
    const { app, stack } = createTierdeskApp(props);
    const synthesis = synthesize(app);
    return { ...synthesis, stack, template: synthesis.templateOf(stack) };
  } catch (error) {
    rmSync(props.outdir as string, { recursive: true, force: true });
    throw error;
  }
};

/** Every IAM action that the inline policies attached to a role allow. */
export const policyActions = (template: Template, roleLogicalId: string): string[] =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties.Roles as unknown[]).some(
        (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId }),
      ),
    )
    .flatMap(
      (policy) =>
        policy.Properties.PolicyDocument.Statement as { Effect: string; Action: string | string[] }[],
    )
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) => statement.Action);

/** Actions that change table data: a handler with read access must hold none of them. */
export const DYNAMODB_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:TransactWriteItems',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
  'dynamodb:*',
];

/** The logical ID CloudFormation knows a construct's resource by. */
export const logicalId = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
