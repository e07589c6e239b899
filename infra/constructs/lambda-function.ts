import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AssetHashType,
  type BundlingOptions,
  DockerImage,
  Duration,
  type ILocalBundling,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import type { CfnTable, ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  Function as LambdaRuntimeFunction,
  LoggingFormat,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type BuildOptions, build, buildSync, type Metafile } from 'esbuild';
import type { RouteDefinition } from '#shared/http/routes';
import { TABLE_NAME_VARIABLE } from '#shared/store/client';
import { escapeBundleOutput } from './ascii-output.ts';

/** The repository root: entry points, package.json (`imports` aliases) and the lock file live here. */
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What a bundled function resolves `@aws-sdk/credential-provider-node` to. */
const LAMBDA_CREDENTIALS = 'shared/runtime/lambda-credentials.ts';

/**
 * How every function is bundled, as esbuild options: CDK's asset bundling runs esbuild with them
 * (`bundleFunction`), and so does the benchmark (`bundleLambda`).
 */
const ESBUILD = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  // What a function needs only on some invocations (the search index rebuild, article
  // suggestions, a survey link's key) is an `import()` of its own chunk beside `index.mjs`,
  // loaded when first used instead of parsed at every cold start.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  target: 'node24',
  // Prefer packages' ESM builds: esbuild tree-shakes those, not CommonJS.
  mainFields: ['module', 'main'],
  // `lambda`: the stores' DynamoDB API is the lean client (package.json `imports`, `#shared/store/sdk`).
  // `module` is esbuild's default condition, dropped when any is given.
  conditions: ['lambda', 'module'],
  minify: true,
  // The map stays beside the bundle (mappings only, no copy of the sources) to read a logged stack
  // trace offline: `new (await import('node:module')).SourceMap(map).findOrigin(line, column)`.
  // Node does not apply it at run time: `--enable-source-maps` reads and parses the map at every
  // cold start, about 15 % of a small function's import time, to improve only error stacks.
  sourcemap: true,
  sourcesContent: false,
  // Aliases resolve from the bundling directory, the project root.
  alias: {
    // A function's credentials come from its role's environment variables: the SDK's default
    // chain is replaced by that one link (see shared/runtime/lambda-credentials.ts).
    '@aws-sdk/credential-provider-node': `./${LAMBDA_CREDENTIALS}`,
    // The mail parser imports libmime as ESM and its MIME splitter requires it as CommonJS: one
    // copy (the CommonJS build, which both can use) instead of both.
    libmime: './node_modules/libmime/dist/cjs/libmime.js',
    // The mail parser only encodes with `he` (see shared/email/he.ts).
    he: './shared/email/he.ts',
    // node:http through `require`, without the ESM facade that loads undici (see shared/runtime/node-http.cjs).
    'node:http': './shared/runtime/node-http.cjs',
    // The mail parser's linkifier serves only `textAsHtml`, which the intake skips (see shared/email/no-linkify.ts).
    'linkify-it': './shared/email/no-linkify.ts',
    // sanitize-html parses no style attributes here (see shared/runtime/no-postcss.ts).
    postcss: './shared/runtime/no-postcss.ts',
    // Mail charsets are decoded by Node's TextDecoder, not from code pages in the bundle (see shared/email/charset-decoding.ts).
    'iconv-lite': './shared/email/charset-decoding.ts',
    'encoding-japanese': './shared/email/charset-decoding.ts',
    // micromark's character references from a compact decoder (see shared/kb/named-character-reference.ts).
    'decode-named-character-reference': './shared/kb/named-character-reference.ts',
  },
  // ESM has no `require`; CommonJS dependencies bundled into an ESM file still call it.
  banner: {
    js: "import { createRequire as topLevelCreateRequire } from 'node:module';const require = topLevelCreateRequire(import.meta.url);",
  },
} as const satisfies BuildOptions;

/**
 * The esbuild options that bundle one function (`entry` relative to the project root) into
 * `outdir`: `index.mjs` (the handler), its lazily loaded chunks under `chunks/`, source maps beside.
 */
const lambdaEsbuildOptions = (entry: string, outdir: string): BuildOptions => ({
  ...ESBUILD,
  mainFields: [...ESBUILD.mainFields],
  conditions: [...ESBUILD.conditions],
  absWorkingDir: PROJECT_ROOT,
  entryPoints: { index: entry },
  outdir,
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});

/**
 * One function's code as CDK bundles it, in this process, for the benchmark and the tests that
 * compare with the staged asset: esbuild with `lambdaEsbuildOptions`, its output made ASCII-only
 * (`escapeBundleOutput`). Answers esbuild's metafile (which writes nothing to `outdir`).
 */
export const bundleLambda = async (entry: string, outdir: string): Promise<Metafile> => {
  const { metafile } = await build({ ...lambdaEsbuildOptions(entry, outdir), metafile: true });
  escapeBundleOutput(outdir);
  return metafile;
};

/**
 * Bundles one function into `outdir` as its asset: what `bundleLambda` does, synchronously (CDK's
 * local bundling cannot wait), then the folders it reads at run time.
 */
const bundleFunction = (
  entry: string,
  outdir: string,
  copyIntoBundle: readonly BundledFolder[] = [],
): void => {
  buildSync(lambdaEsbuildOptions(entry, outdir));
  escapeBundleOutput(outdir);
  for (const { from, to } of copyIntoBundle)
    cpSync(join(PROJECT_ROOT, from), join(outdir, to), { recursive: true });
};

export type TableAccess = RouteDefinition['tableAccess'];

export interface LambdaFunctionProps {
  /** Entry point relative to the project root, e.g. `functions/api/get-ticket.ts`. */
  entry: string;
  description?: string;
  environment?: Record<string, string>;
  /** @default 512 */
  memorySize?: number;
  /** @default 10 seconds: an HTTP API integration gives up after 30 s, a handler should fail well before. */
  timeout?: Duration;
  /**
   * Folders the handler reads at run time (esbuild bundles only what is imported), copied into
   * the bundle: `from` relative to the project root, `to` relative to the bundle root, where the
   * handler is `index.mjs`.
   */
  copyIntoBundle?: readonly BundledFolder[];
}

export interface BundledFolder {
  from: string;
  to: string;
}

export interface BindTableProps {
  table: ITable;
  access: TableAccess;
}

/**
 * CDK asset bundling by `bundleFunction`, in this process. Its fields are the asset's identity:
 * CDK keys the assets it bundles in one synthesis on the bundling options (all functions bundle
 * from the project root), so the entry and the copied folders must be among them, as they are
 * among `NodejsFunction`'s. The image is never run: local bundling does not fail over to Docker.
 */
class EsbuildBundling implements BundlingOptions {
  readonly image = DockerImage.fromRegistry('dummy');
  readonly local: ILocalBundling;
  readonly entry: string;
  readonly copyIntoBundle: readonly BundledFolder[];

  constructor(entry: string, copyIntoBundle: readonly BundledFolder[]) {
    this.entry = entry;
    this.copyIntoBundle = copyIntoBundle;
    this.local = {
      tryBundle: (outputDir) => {
        bundleFunction(entry, outputDir, copyIntoBundle);
        return true;
      },
    };
  }
}

/**
 * Every Tierdesk Lambda function: Node.js 24 on arm64, bundled by the local esbuild as minified
 * ESM with the AWS SDK inside (tree-shaken, and pinned to the version the tests ran against
 * instead of whatever the runtime ships), rarely needed code in chunks loaded on first use, and
 * source maps beside them for reading stack traces offline; X-Ray active tracing, and a log
 * group with a retention. (CDK's `NodejsFunction` bundles into a single file only: no chunks.)
 *
 * The role is created here rather than by the function so that it carries no AWS managed policy:
 * it may write to its own log group and nothing else until a grant says otherwise.
 */
export class LambdaFunction extends Construct {
  readonly fn: LambdaRuntimeFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** The entry point, relative to the project root. */
  readonly entry: string;
  /** Folders copied next to the bundled handler. */
  readonly copyIntoBundle: readonly BundledFolder[];

  constructor(scope: Construct, id: string, props: LambdaFunctionProps) {
    super(scope, id);
    this.entry = props.entry;
    this.copyIntoBundle = props.copyIntoBundle ?? [];

    this.logGroup = new LogGroup(this, 'Logs', {
      // The ticket timeline in DynamoDB is the audit record; logs serve debugging, for which a month is plenty.
      retention: RetentionDays.ONE_MONTH,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${this.node.path}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new LambdaRuntimeFunction(this, 'Function', {
      // Bundled here by esbuild (never in Docker), hashed by the bundle it produced.
      code: Code.fromAsset(PROJECT_ROOT, {
        assetHashType: AssetHashType.OUTPUT,
        bundling: new EsbuildBundling(props.entry, this.copyIntoBundle),
      }),
      handler: 'index.handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      // Cold starts parse the bundled SDK and are CPU-bound; Lambda's CPU share grows with memory.
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      // Platform records (START/REPORT) in JSON too, so Logs Insights queries them like the handlers' lines.
      loggingFormat: LoggingFormat.JSON,
      environment: props.environment,
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.',
    });
  }

  /**
   * Least-privilege access to the table for a route's `tableAccess`: `read` cannot write a single
   * item, `none` gets neither a grant nor the table's name. The grant includes the KMS actions the
   * table's customer-managed key needs for the same operations.
   */
  bindTable({ table, access }: BindTableProps): void {
    switch (access) {
      case 'none':
        return;
      case 'read':
        table.grantReadData(this.fn);
        break;
      case 'readWrite':
        table.grantReadWriteData(this.fn);
        Validations.of(this.role).acknowledge(
          {
            id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
            reason:
              "CDK's read-write grant on a table with a customer-managed key, so DynamoDB can use the key on the " +
              "caller's behalf; the statement names only the table's own key.",
          },
          {
            id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
            reason:
              "CDK's read-write grant on a table with a customer-managed key; the statement names only the " +
              "table's own key, which encrypts nothing else.",
          },
        );
        break;
    }
    this.fn.addEnvironment(TABLE_NAME_VARIABLE, table.tableName);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${tableLogicalId(table)}.Arn>/index/*]`,
      reason:
        "Queries read the table's own global secondary indexes; the wildcard covers only this table's indexes.",
    });
  }
}

const tableLogicalId = (table: ITable): string =>
  Stack.of(table).getLogicalId(table.node.defaultChild as CfnTable);
