import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteId } from '#shared/http/routes';
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

  const bundleOf = (routeId: RouteId): string => {
    const handler = synthesis.stack.api.functions.get(routeId);
    if (!handler) throw new Error(`no handler for ${routeId}`);
    const resource = synthesis.template.findResources('AWS::Lambda::Function')[logicalId(handler.fn)];
    return join(synthesis.directory, resource?.Metadata['aws:asset:path'], 'index.mjs');
  };

  it('has no unacknowledged cdk-nag (or CDK validation) finding, error or warning', () => {
    expect(synthesis.findings).toEqual([]);
  });

  it('bundles each handler as minified ESM with a source map, importing nothing but Node built-ins', () => {
    for (const route of ROUTES) {
      const code = readFileSync(bundleOf(route.id), 'utf8');
      expect(existsSync(`${bundleOf(route.id)}.map`), route.id).toBe(true);
      // Minified code has few, very long lines (line breaks survive only inside template literals).
      const averageLineLength = code.length / code.split('\n').length;
      expect(averageLineLength, route.id).toBeGreaterThan(1000);
      const imports = [...code.matchAll(/\bfrom\s*["']([^"']+)["']/g)].map((match) => match[1]);
      expect(
        imports.filter((specifier) => !specifier?.startsWith('node:')),
        route.id,
      ).toEqual([]);
    }
  });

  it('bundles handlers that load in plain Node.js outside the repository and export `handler`', async () => {
    // Act: a fresh Node process per bundle, importing it as the Lambda runtime would
    const handlerTypes = await Promise.all(
      ROUTES.map(async (route) => {
        const url = pathToFileURL(bundleOf(route.id)).href;
        const { stdout } = await execFileAsync(
          process.execPath,
          [
            '--enable-source-maps',
            '--input-type=module',
            '--eval',
            `const m = await import(${JSON.stringify(url)}); console.log(typeof m.handler);`,
          ],
          { env: { PATH: process.env.PATH, TABLE_NAME: 'tierdesk-test', AWS_REGION: 'eu-west-1' } },
        );
        return [route.id, stdout.trim()];
      }),
    );

    // Assess
    expect(Object.fromEntries(handlerTypes)).toEqual(
      Object.fromEntries(ROUTES.map((route) => [route.id, 'function'])),
    );
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
