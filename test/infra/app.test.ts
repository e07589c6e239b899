import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadedAtImport, stackFunctions } from '#infra/bundle-budgets';
import { bundleLambda, type LambdaFunction } from '#infra/constructs/lambda-function';
import { functionOf, ROUTES } from '#shared/http/routes';
import { HANDLER_KIND, type HandlerKind } from '#shared/runtime/handler';
import { WORKFLOW_FUNCTIONS } from '#shared/workflow/definition';
import {
  appProps,
  logicalId,
  SYNTH_TIMEOUT_MS,
  type Synthesis,
  synthesize,
  synthTierdesk,
  type TierdeskSynthesis,
} from './synth.ts';

const execFileAsync = promisify(execFile);

/** The app as `cdk synth` builds it: cdk.json context, cdk-nag, and every handler bundled by esbuild. */
describe('App: Tierdesk', () => {
  let synthesis: TierdeskSynthesis;
  beforeAll(() => {
    synthesis = synthTierdesk({ bundle: true });
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => synthesis.dispose());

  /** Every function of the stack by name: the route handlers, the workflow tasks, the stream processor, mail, ops. */
  const handlers = (): Map<string, LambdaFunction> =>
    new Map([...stackFunctions(synthesis.stack)].map(([name, { fn }]) => [name, fn]));

  const bundleOf = (name: string): string => {
    const handler = handlers().get(name);
    if (!handler) throw new Error(`no handler for ${name}`);
    const resource = synthesis.template.findResources('AWS::Lambda::Function')[logicalId(handler.fn)];
    return join(synthesis.directory, resource?.Metadata['aws:asset:path'], 'index.mjs');
  };

  it('bundles every function of the stack: the routes, the workflow tasks, the stream processor, mail and ops', () => {
    expect([...handlers().keys()].sort()).toEqual(
      [
        ...new Set(ROUTES.map(functionOf)),
        ...Object.keys(WORKFLOW_FUNCTIONS),
        'StreamProcessor',
        'MailIntake',
        'Mailer',
        'OpsTasks',
      ].sort(),
    );
    // And CDK's bucket deployment handler, which deploys the console.
    synthesis.template.resourceCountIs('AWS::Lambda::Function', handlers().size + 1);
  });

  it("stages the console's build: index.html loads its hashed entry script and stylesheet, which are there", () => {
    // Prepare: the build the console's assets deployment uploads
    const deployment = Object.entries(synthesis.template.findResources('Custom::CDKBucketDeployment')).find(
      ([id]) => id.startsWith('ConsoleAssets'),
    )?.[1];
    const [key] = (deployment?.Properties.SourceObjectKeys ?? []) as string[];
    const build = join(synthesis.directory, `asset.${key?.replace(/\.zip$/, '')}`);

    // Act
    const html = readFileSync(join(build, 'index.html'), 'utf8');
    const referenced = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map(
      (match) => match[1] as string,
    );

    // Assess
    expect(referenced.filter((file) => /^assets\/main-\w+\.js$/.test(file))).toHaveLength(1);
    expect(referenced.filter((file) => /\.css$/.test(file))).toHaveLength(1);
    for (const file of referenced) expect(existsSync(join(build, file)), file).toBe(true);
  });

  it('has no unacknowledged cdk-nag (or CDK validation) finding, error or warning', () => {
    expect(synthesis.findings).toEqual([]);
  });

  it('stays within the 500 resources CloudFormation allows a stack', () => {
    expect(Object.keys(synthesis.template.toJSON().Resources).length).toBeLessThanOrEqual(500);
  });

  it('bundles each handler as minified ESM with source maps, importing nothing but Node built-ins and its own chunks', () => {
    for (const name of handlers().keys()) {
      const directory = dirname(bundleOf(name));
      const files = [
        bundleOf(name),
        ...(existsSync(join(directory, 'chunks'))
          ? readdirSync(join(directory, 'chunks'))
              .filter((file) => file.endsWith('.mjs'))
              .map((file) => join(directory, 'chunks', file))
          : []),
      ];
      // Minified code has few, very long lines (line breaks survive only inside template literals).
      const codes = files.map((file) => readFileSync(file, 'utf8'));
      const lines = codes.reduce((total, code) => total + code.split('\n').length, 0);
      expect(codes.join('').length / lines, name).toBeGreaterThan(1000);
      for (const [index, file] of files.entries()) {
        const code = codes[index] as string;
        expect(existsSync(`${file}.map`), file).toBe(true);
        // `import{…}from"x"`, not any `from"…"`: bundled code has string literals such as "from".
        const imports = [
          ...code.matchAll(/\bimport\s*[\w$\s{},*]*?\bfrom\s*["']([^"']+)["']/g),
          ...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
        ].map((match) => match[1] as string);
        // Built-ins either way: some bundled packages (email-reply-parser) import `module` unprefixed.
        const ownChunk = (specifier: string) =>
          specifier.startsWith('./') && existsSync(resolve(dirname(file), specifier));
        expect(
          imports.filter((specifier) => !isBuiltin(specifier) && !ownChunk(specifier)),
          file,
        ).toEqual([]);
      }
    }
  });

  describe('loads what only some invocations need on first use, not at a cold start', () => {
    /** Whether the code a cold start loads, or the lazy chunks, carry `marker` (a library's own strings). */
    const atStart = (name: string, marker: (code: string) => boolean) =>
      loadedAtImport(bundleOf(name)).some((file) => marker(readFileSync(file, 'utf8')));
    const inLazyChunk = (name: string, marker: (code: string) => boolean) => {
      const chunks = join(dirname(bundleOf(name)), 'chunks');
      if (!existsSync(chunks)) return false;
      const loaded = new Set(loadedAtImport(bundleOf(name)));
      return readdirSync(chunks)
        .filter((file) => file.endsWith('.mjs'))
        .map((file) => resolve(chunks, file))
        .some((file) => !loaded.has(file) && marker(readFileSync(file, 'utf8')));
    };

    it('the Markdown renderer: not in the functions that read articles (they serve the HTML the writers keep)', () => {
      // One of micromark's token names, which survive minification
      const renderer = (code: string) => code.includes('definitionDestinationLiteralMarker');
      for (const reader of ['get-article', 'get-public-article']) {
        expect(atStart(reader, renderer), reader).toBe(false);
        // An article without kept HTML (older, or too large) is still rendered.
        expect(inLazyChunk(reader, renderer), reader).toBe(true);
      }
      for (const writer of ['create-article', 'update-article'])
        expect(atStart(writer, renderer), writer).toBe(true);
    });

    it('the Step Functions client: not in the workflow tasks (only a park that lost a race wakes an execution)', () => {
      // The JSON protocol's target prefix of every Step Functions request
      const stepFunctions = (code: string) => code.includes('AWSStepFunctions');
      for (const name of Object.keys(WORKFLOW_FUNCTIONS)) {
        expect(atStart(name, stepFunctions), name).toBe(false);
        expect(inLazyChunk(name, stepFunctions), name).toBe(true);
      }
      expect(atStart('get-workflow', stepFunctions)).toBe(true);
    });

    it('the SDK’s S3 client: in no function (objects are read, written and presigned by signed requests)', () => {
      // The S3 client's own service name, which survives minification
      const s3Client = (code: string) => code.includes('"AmazonS3"');
      for (const name of handlers().keys())
        expect(atStart(name, s3Client) || inLazyChunk(name, s3Client), name).toBe(false);
    });

    it('the SDK’s DynamoDB client: in no function (the stores call DynamoDB through the lean client)', () => {
      // The SDK client's own service id, which survives minification; the lean client's target prefix
      const sdkClient = (code: string) => code.includes('"DynamoDB"') && code.includes('dynamodb-codec');
      const leanClient = (code: string) => code.includes('DynamoDB_20120810');
      for (const name of handlers().keys()) {
        expect(atStart(name, sdkClient) || inLazyChunk(name, sdkClient), name).toBe(false);
        // get-openapi serves a document built into it and reads no table.
        expect(atStart(name, leanClient), name).toBe(name !== 'get-openapi');
      }
    });

    it('the DynamoDB Streams client: not in the ops task function (only a dead-lettered stream batch reads the stream again)', () => {
      // The JSON protocol's target prefix of every DynamoDB Streams request
      const streams = (code: string) => code.includes('DynamoDBStreams_20120810');
      expect(atStart('OpsTasks', streams)).toBe(false);
      expect(inLazyChunk('OpsTasks', streams)).toBe(true);
    });

    it('the Cognito client: not in the people routes (only a write that changes who may sign in needs the pool)', () => {
      // The JSON protocol's target prefix of every Cognito user-pool request
      const cognito = (code: string) => code.includes('AWSCognitoIdentityProviderService');
      expect(atStart('admin-people', cognito)).toBe(false);
      expect(inLazyChunk('admin-people', cognito)).toBe(true);
    });
  });

  it('bundles each function byte for byte as the benchmark does, one esbuild run per function', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'tierdesk-bundles-'));
    try {
      for (const [name, fn] of handlers()) {
        // Act: the function bundled as the benchmark bundles it (`bundleLambda`, test/bench/parts/bundles.ts)
        await bundleLambda(fn.entry, join(outdir, name));

        // Assess: the same files, code and source maps as the asset CDK staged
        const staged = dirname(bundleOf(name));
        const ours = readdirSync(join(outdir, name), { recursive: true, encoding: 'utf8' }).sort();
        const theirs = readdirSync(staged, { recursive: true, encoding: 'utf8' })
          .filter((file) => !fn.copyIntoBundle.some(({ to }) => file === to || file.startsWith(`${to}/`)))
          .sort();
        expect(ours, name).toEqual(theirs);
        for (const file of ours.filter((path) => path.endsWith('.mjs') || path.endsWith('.map')))
          expect(
            readFileSync(join(outdir, name, file), 'utf8') === readFileSync(join(staged, file), 'utf8'),
            file,
          ).toBe(true);
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  /** Every bundle file (handler and chunks, `<function>/<file>`) whose code matches `pattern`. */
  const bundleFilesMatching = (pattern: RegExp): string[] =>
    [...handlers().keys()].flatMap((name) => {
      const folder = dirname(bundleOf(name));
      return readdirSync(folder, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.mjs') && pattern.test(readFileSync(join(folder, file), 'utf8')))
        .map((file) => `${name}/${file}`);
    });

  it('writes every bundle as ASCII (a single other character makes V8 hold and scan the whole file as two-byte text)', () => {
    expect(bundleFilesMatching(/[\u0080-\uffff]/)).toEqual([]);
  });

  it('imports node:http through require only: its ESM facade would load undici at every cold start', () => {
    expect(bundleFilesMatching(/from\s*["']node:http["']/)).toEqual([]);
  });

  /** The kind of handler each function must be: the one factory tags what it builds. */
  const expectedKind = (name: string): HandlerKind => {
    if (ROUTES.some((route) => functionOf(route) === name)) return 'api';
    if (name in WORKFLOW_FUNCTIONS || name === 'OpsTasks') return 'task';
    return name === 'MailIntake' ? 'ses' : 'stream';
  };

  it('bundles handlers that load in plain Node.js outside the repository and export a `handler` built by the one factory', async () => {
    // Act: a fresh Node process per bundle, importing it as the Lambda runtime would
    const handlerTypes = await Promise.all(
      [...handlers().keys()].map(async (name) => {
        const url = pathToFileURL(bundleOf(name)).href;
        const { stdout } = await execFileAsync(
          process.execPath,
          [
            '--input-type=module',
            '--eval',
            `const m = await import(${JSON.stringify(url)}); console.log(typeof m.handler, m.handler?.[${JSON.stringify(HANDLER_KIND)}]);`,
          ],
          {
            env: {
              PATH: process.env.PATH,
              TABLE_NAME: 'tierdesk-test',
              WORKFLOW_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:tierdesk-test',
              AWS_REGION: 'eu-west-1',
              TIERDESK_SUPPORT_ADDRESSES: 'support@example.com',
              TIERDESK_MAIL_BUCKET: 'tierdesk-test-mail',
              TIERDESK_KB_BUCKET: 'tierdesk-test-kb',
              TIERDESK_CSAT_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tierdesk-csat',
            },
          },
        );
        return [name, stdout.trim()];
      }),
    );

    // Assess
    expect(Object.fromEntries(handlerTypes)).toEqual(
      Object.fromEntries([...handlers().keys()].map((name) => [name, `function ${expectedKind(name)}`])),
    );
  });

  it('bundles no code pages (mail charsets are decoded by Node) and none of the SDK clients the lean ones replace', () => {
    /** The sources of every file of a function's bundle, by their source maps. */
    const sourcesOf = (name: string): string[] => {
      const directory = dirname(bundleOf(name));
      const chunks = existsSync(join(directory, 'chunks'))
        ? readdirSync(join(directory, 'chunks')).map((file) => join('chunks', file))
        : [];
      return ['index.mjs.map', ...chunks.filter((file) => file.endsWith('.map'))].flatMap(
        (file) => (JSON.parse(readFileSync(join(directory, file), 'utf8')) as { sources: string[] }).sources,
      );
    };
    for (const name of handlers().keys()) {
      expect(
        sourcesOf(name).filter((source) => /node_modules\/(iconv-lite|encoding-japanese)\//.test(source)),
        name,
      ).toEqual([]);
      // Nor the SDK's clients the lean ones replace (`shared/runtime/lean-aws`).
      expect(
        sourcesOf(name).filter((source) =>
          /node_modules\/@aws-sdk\/(client-dynamodb|lib-dynamodb|client-sfn|client-secrets-manager)\//.test(
            source,
          ),
        ),
        name,
      ).toEqual([]);
    }
    expect(
      sourcesOf('MailIntake').some((source) => source.endsWith('shared/email/charset-decoding.ts')),
    ).toBe(true);
  });

  it('bundles only the credential provider a Lambda function can use: its role in the environment', async () => {
    // Prepare: the sources each bundle was built from, by its source map
    const unusable = /credential-provider-(ini|sso|process|web-identity|login|node)\/|nested-clients\//;
    for (const name of handlers().keys()) {
      const { sources } = JSON.parse(readFileSync(`${bundleOf(name)}.map`, 'utf8')) as { sources: string[] };
      expect(
        sources.filter((source) => unusable.test(source)),
        name,
      ).toEqual([]);
    }

    // Act: a route handler answers a request in a fresh process, with and without role variables,
    // its DynamoDB endpoint a closed port (whatever the request reaches, it is not AWS)
    const invoke = async (credentials: Record<string, string>) => {
      const url = pathToFileURL(bundleOf('get-ticket')).href;
      const event = {
        rawPath: '/tickets/1',
        pathParameters: { number: '1' },
        headers: {},
        requestContext: {
          authorizer: { jwt: { claims: { email: 'ann@example.com', 'cognito:groups': '[agents,tier1]' } } },
        },
      };
      const { stdout, stderr } = await execFileAsync(
        process.execPath,
        [
          '--input-type=module',
          '--eval',
          `const m = await import(${JSON.stringify(url)}); const r = await m.handler(${JSON.stringify(event)}, { awsRequestId: "r", functionName: "f", getRemainingTimeInMillis: () => 9000 }); console.log("status=" + r.statusCode);`,
        ],
        {
          env: {
            PATH: process.env.PATH,
            TABLE_NAME: 'tierdesk-test',
            AWS_REGION: 'eu-west-1',
            AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
            AWS_MAX_ATTEMPTS: '1',
            LOG_LEVEL: 'ERROR',
            ...credentials,
          },
        },
      );
      return stdout + stderr;
    };
    const withRole = await invoke({
      AWS_ACCESS_KEY_ID: 'ASIATESTKEY',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
      AWS_SESSION_TOKEN: 'test-token',
    });
    const withoutRole = await invoke({});

    // Assess: with the role's variables the request got as far as the network (a refused
    // connection is transient: 503); without them the provider says what is missing (500)
    expect(withRole).toMatch(/status=503/);
    expect(withRole).not.toMatch(/CredentialsProviderError/);
    expect(withoutRole).toMatch(/status=500/);
    expect(withoutRole).toMatch(/CredentialsProviderError/);
  });
});

describe('Test helper: synthesize', () => {
  const nonCompliantApp = (acknowledged: boolean): App => {
    const app = new App(appProps());
    const stack = new Stack(app, 'NonCompliant');
    const topic = new Topic(stack, 'Topic');
    const userPool = new UserPool(stack, 'UserPool');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    if (acknowledged) {
      Validations.of(topic).acknowledge({ id: 'AwsSolutions-SNS3', reason: 'test' });
      for (const id of ['AwsSolutions-COG1', 'AwsSolutions-COG2', 'AwsSolutions-COG8']) {
        Validations.of(userPool).acknowledge({ id, reason: 'test' });
      }
    }
    return app;
  };

  let findings: Synthesis['findings'];
  let acknowledgedFindings: Synthesis['findings'];
  beforeAll(() => {
    for (const acknowledged of [false, true]) {
      const synthesis = synthesize(nonCompliantApp(acknowledged));
      if (acknowledged) acknowledgedFindings = synthesis.findings;
      else findings = synthesis.findings;
      synthesis.dispose();
    }
  }, SYNTH_TIMEOUT_MS);

  it('reports cdk-nag errors and warnings of non-compliant constructs', () => {
    expect(findings).toEqual(
      expect.arrayContaining([
        {
          plugin: 'AwsSolutions',
          rule: 'AwsSolutions-SNS3',
          severity: 'error',
          paths: ['NonCompliant/Topic/Resource'],
        },
        {
          plugin: 'AwsSolutions',
          rule: 'AwsSolutions-COG2',
          severity: 'warning',
          paths: ['NonCompliant/UserPool/Resource'],
        },
      ]),
    );
  });

  it('reports nothing once those findings are acknowledged', () => {
    expect(acknowledgedFindings).toEqual([]);
  });
});
