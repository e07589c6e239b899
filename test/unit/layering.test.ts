import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The layering rules of biome.json (noRestrictedImports) and .dependency-cruiser.cjs bite: probe
 * modules with deliberately wrong imports are written into the tree where the rules apply, both
 * tools are run on them, and each violation must come back under its rule's name — while probes
 * that keep to the layering pass. The probes live in folders of their own and are removed after.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROBE = `__layering-probe-${randomUUID().slice(0, 8)}__`;
const probeDirs = ['shared/domain', 'shared/tickets', 'functions', 'cli'].map((folder) =>
  join(folder, PROBE),
);

/** Probe modules by path (relative to the repository root) and source. */
const probes: Record<string, string> = {
  [`shared/domain/${PROBE}/bad-store.ts`]:
    "import { createTableInput } from '#shared/store/table';\nexport const probe = createTableInput;\n",
  [`shared/domain/${PROBE}/bad-relative.ts`]:
    "import { createTableInput } from '../../store/table.ts';\nexport const probe = createTableInput;\n",
  [`shared/domain/${PROBE}/bad-sdk.ts`]:
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const probe = DynamoDBClient;\n",
  [`shared/domain/${PROBE}/good.ts`]:
    "import * as z from '#shared/runtime/zod';\nimport { systemClock } from '#shared/domain/clock';\nexport const probe = [z, systemClock];\n",
  [`shared/domain/${PROBE}/bad-zod.ts`]: "import { z } from 'zod';\nexport const probe = z;\n",
  // A cycle made only of type imports still counts.
  [`shared/domain/${PROBE}/cycle-a.ts`]:
    "import type { B } from './cycle-b.ts';\nexport interface A {\n  b?: B;\n}\n",
  [`shared/domain/${PROBE}/cycle-b.ts`]:
    "import type { A } from './cycle-a.ts';\nexport interface B {\n  a?: A;\n}\n",
  [`shared/tickets/${PROBE}/bad-http.ts`]:
    "import * as schemas from '#shared/http/schemas';\nexport const probe = schemas;\n",
  [`shared/tickets/${PROBE}/bad-entry.ts`]:
    "import { handler } from '#functions/api/get-ticket';\nexport const probe = handler;\n",
  [`shared/tickets/${PROBE}/bad-mailauth.ts`]:
    "import { authenticate } from 'mailauth';\nexport const probe = authenticate;\n",
  [`shared/tickets/${PROBE}/good.ts`]:
    "import { systemClock } from '#shared/domain/clock';\nimport { createTableInput } from '#shared/store/table';\nexport const probe = [systemClock, createTableInput];\n",
  [`functions/${PROBE}/fn-bad-zod.ts`]: "import * as z from 'zod';\nexport const probe = z;\n",
  [`functions/${PROBE}/bad-infra.ts`]:
    "import { createTierdeskApp } from '#infra/tierdesk-stack';\nexport const probe = createTierdeskApp;\n",
  [`cli/${PROBE}/cli-bad-shared.ts`]:
    "import { createTableInput } from '#shared/store/table';\nexport const probe = createTableInput;\n",
  [`cli/${PROBE}/cli-bad-infra.ts`]:
    "import { loadDevKey } from '#infra/local/dev-key';\nexport const probe = loadDevKey;\n",
  // The HTTP schemas, and the one exception: bootstrap-admin's AWS path.
  [`cli/${PROBE}/cli-good.ts`]:
    "import * as schemas from '#shared/http/schemas';\nimport { bootstrapAdminOnAws } from '#infra/bootstrap-admin';\nexport const probe = [schemas, bootstrapAdminOnAws];\n",
  [`functions/${PROBE}/good.ts`]:
    "import { systemClock } from '#shared/domain/clock';\nimport * as schemas from '#shared/http/schemas';\nexport const probe = [systemClock, schemas];\n",
};

type Finding = { file: string; rule: string };

const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });

/** Biome's noRestrictedImports diagnostics, each named by the `[rule]` that starts its message. */
const biome = (files: string[]): Finding[] => {
  const { stdout, stderr } = run('node_modules/@biomejs/biome/bin/biome', [
    'lint',
    '--reporter=github',
    '--max-diagnostics=none',
    ...files,
  ]);
  const findings = [...`${stdout}\n${stderr}`.matchAll(/^::error title=([^,]+),file=([^,]+),.*?::(.*)$/gm)];
  return findings.map(([, title, file, message]) => {
    expect(title).toBe('lint/style/noRestrictedImports');
    return {
      file: String(file).replace(ROOT, ''),
      rule: /^\[([a-z-]+)\]/.exec(message ?? '')?.[1] ?? String(message),
    };
  });
};

/** dependency-cruiser's violations of .dependency-cruiser.cjs for the modules it reaches from `paths`. */
const depcruise = (paths: string[]): Finding[] => {
  const { stdout, stderr, status } = run('node_modules/dependency-cruiser/bin/dependency-cruiser.mjs', [
    '--config',
    '.dependency-cruiser.cjs',
    '--output-type',
    'json',
    ...paths,
  ]);
  if (!stdout.startsWith('{')) throw new Error(`dependency-cruiser failed (${status}): ${stderr}`);
  const result = JSON.parse(stdout) as {
    summary: { violations: { from: string; rule: { name: string } }[] };
  };
  return result.summary.violations.map(({ from, rule }) => ({ file: from, rule: rule.name }));
};

const onProbe = (findings: Finding[], name: string) =>
  findings.filter(({ file }) => file.endsWith(`${PROBE}/${name}`)).map(({ rule }) => rule);

describe('layering rules', () => {
  let biomeFindings: Finding[] = [];
  let depcruiseFindings: Finding[] = [];

  beforeAll(() => {
    try {
      for (const [file, source] of Object.entries(probes)) {
        mkdirSync(dirname(join(ROOT, file)), { recursive: true });
        writeFileSync(join(ROOT, file), source);
      }
      biomeFindings = biome(Object.keys(probes));
      depcruiseFindings = depcruise(probeDirs);
    } finally {
      for (const dir of probeDirs) rmSync(join(ROOT, dir), { recursive: true, force: true });
    }
  }, 30_000);

  afterAll(() => {
    for (const dir of probeDirs) rmSync(join(ROOT, dir), { recursive: true, force: true });
  });

  it('shared/domain may not import another shared/ folder, by alias or by relative path', () => {
    expect(onProbe(biomeFindings, 'bad-store.ts')).toEqual(['domain-imports-domain-only']);
    expect(onProbe(depcruiseFindings, 'bad-store.ts')).toEqual(['domain-imports-domain-only']);
    // Biome reads specifiers: it asks for the alias; dependency-cruiser resolves the path.
    expect(onProbe(biomeFindings, 'bad-relative.ts')).toEqual(['alias-across-folders']);
    expect(onProbe(depcruiseFindings, 'bad-relative.ts')).toEqual(['domain-imports-domain-only']);
  });

  it('shared/domain may not import the AWS SDK', () => {
    expect(onProbe(biomeFindings, 'bad-sdk.ts')).toEqual(['domain-is-pure']);
    expect(onProbe(depcruiseFindings, 'bad-sdk.ts')).toEqual(['domain-is-pure']);
  });

  it('a context folder may not import shared/http', () => {
    expect(onProbe(biomeFindings, 'bad-http.ts')).toEqual(['no-http-in-contexts']);
    expect(onProbe(depcruiseFindings, 'bad-http.ts')).toEqual(['no-http-in-contexts']);
  });

  it('shared/ may not import an entry point, and an entry point may not import infra/', () => {
    expect(onProbe(biomeFindings, 'bad-entry.ts')).toEqual(['shared-below-entry-points']);
    expect(onProbe(depcruiseFindings, 'bad-entry.ts')).toContain('shared-below-entry-points');
    expect(onProbe(biomeFindings, 'bad-infra.ts')).toEqual(['functions-are-entry-points']);
    expect(onProbe(depcruiseFindings, 'bad-infra.ts')).toEqual(['functions-are-entry-points']);
  });

  it('cli/ may import only shared/http, and infra/ only for bootstrap-admin', () => {
    expect(onProbe(biomeFindings, 'cli-bad-shared.ts')).toEqual(['clients-use-http-schemas-only']);
    expect(onProbe(depcruiseFindings, 'cli-bad-shared.ts')).toEqual(['clients-use-http-schemas-only']);
    expect(onProbe(biomeFindings, 'cli-bad-infra.ts')).toEqual(['clients-use-http-schemas-only']);
    expect(onProbe(depcruiseFindings, 'cli-bad-infra.ts')).toEqual(['clients-use-http-schemas-only']);
  });

  it('only the local stack and the tests may import mailauth: no Lambda bundle carries it', () => {
    expect(onProbe(depcruiseFindings, 'bad-mailauth.ts')).toEqual(['mailauth-local-only']);
  });

  it("code a Lambda bundles imports the project's zod (zod/mini), never classic zod", () => {
    for (const probe of ['bad-zod.ts', 'fn-bad-zod.ts'])
      expect(onProbe(biomeFindings, probe)).toEqual(['zod-mini']);
  });

  it('an import cycle counts even when it is made of type imports', () => {
    // dependency-cruiser reports a cycle once, on the edge where it first closes.
    const cycle = [...onProbe(depcruiseFindings, 'cycle-a.ts'), ...onProbe(depcruiseFindings, 'cycle-b.ts')];
    expect(cycle).toEqual(['no-circular']);
  });

  it('imports that keep to the layering pass both tools', () => {
    for (const good of ['good.ts', 'cli-good.ts']) {
      expect(onProbe(biomeFindings, good)).toEqual([]);
      expect(onProbe(depcruiseFindings, good)).toEqual([]);
    }
    // The probes' aliases resolved: nothing was reported as unresolvable.
    expect(depcruiseFindings.filter(({ rule }) => rule === 'not-to-unresolvable')).toEqual([]);
  });
});
