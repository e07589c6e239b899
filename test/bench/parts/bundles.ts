/**
 * The Lambda bundles: every function of the stack bundled with the options CDK bundles it with
 * (`bundleLambda`; test/infra/app.test.ts holds the two byte-for-byte equal), one esbuild
 * run per function as CDK does. Per function: minified and gzip size of what a cold start loads
 * against its kind's budget (gated, also under `--quick`), and of its lazy chunks; the heaviest
 * packages from esbuild's metafile; and the import time in a fresh Node process as a ratio to a
 * bundle that only constructs a DynamoDB client (reported, not gated).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import {
  BUNDLE_BUDGETS,
  type BundleCheck,
  bundleSize,
  checkBundle,
  loadedAtImport,
  stackFunctions,
} from '#infra/bundle-budgets';
import { type BundledFolder, bundleLambda, PROJECT_ROOT } from '#infra/constructs/lambda-function';
import { createTierdeskApp } from '#infra/tierdesk-stack';
import { type BenchPart, type Figure, median, table } from '../report.ts';

const REFERENCE = 'reference (DynamoDB client only)';
const FLOOR = 'floor (middy, zod/mini, document client)';
/**
 * 11 rounds, not 21: a round imports every function and the references in fresh processes, about
 * 17 s on a loaded 2-core machine, and 21 of them alone would take six minutes of the benchmark's ten.
 */
const ROUNDS = 11;
/** A reference import between every this many function imports: the ratio's baseline drifts with the machine's load. */
const GROUP = 5;

export const bundlesPart: BenchPart = {
  id: 'bundles',
  quick: true,
  run: async ({ quick, progress }) => {
    const outdir = mkdtempSync(join(tmpdir(), 'tierdesk-bundles-bench-'));
    try {
      // The stack's functions, without bundling (the bench bundles each itself, as CDK would).
      const { stack } = createTierdeskApp({
        outdir: join(outdir, 'cdk.out'),
        context: { 'aws:cdk:bundling-stacks': [] },
      });
      const functions = stackFunctions(stack);
      progress(`bundling ${functions.size} functions and the reference`);
      const entries: [string, string, readonly BundledFolder[]][] = [
        ...[...functions].map(([name, { fn }]): [string, string, readonly BundledFolder[]] => [
          name,
          fn.entry,
          fn.copyIntoBundle,
        ]),
        [REFERENCE, 'test/bench/lambda-reference.ts', []],
        [FLOOR, 'test/bench/lambda-floor.ts', []],
      ];
      const metafiles = new Map(
        await Promise.all(
          entries.map(async ([name, entry, folders]) => {
            const metafile = await bundleLambda(entry, join(outdir, name));
            for (const { from, to } of folders)
              cpSync(join(PROJECT_ROOT, from), join(outdir, name, to), { recursive: true });
            return [name, metafile] as const;
          }),
        ),
      );
      const file = (name: string) => join(outdir, name, 'index.mjs');
      const checks = [...functions].map(([name, { kind }]) =>
        checkBundle(bundleSize(name, kind, file(name))),
      );
      const figures = sizeFigures(checks);
      if (quick) return section(figures);

      const reference = bundleSize(REFERENCE, 'API handler', file(REFERENCE));
      progress(
        `import times: ${ROUNDS} rounds of ${functions.size} functions, interleaved with the reference`,
      );
      const ratios = importRatios([...functions.keys(), FLOOR], file, file(REFERENCE));
      const floor = bundleSize(FLOOR, 'API handler', file(FLOOR));
      for (const check of checks) {
        const ratio = ratios.get(check.name) as number;
        figures.push({
          name: `${check.name}: import ÷ reference`,
          value: Math.round(ratio * 100) / 100,
          unit: '×',
          target: { op: '<=', value: check.budget.importRatio },
          detail: check.kind,
        });
      }
      const heaviest = [...functions.keys()].map((name) => [
        name,
        heaviestPackages(metafiles.get(name) as Metafile, file(name))
          .slice(0, 6)
          .map(([pkg, bytes]) => `${pkg} ${Math.round(bytes / 1024)}`)
          .join(', '),
      ]);
      return section(figures, [
        `Reference: ${reference.minifiedKiB} KiB minified, ${reference.gzipKiB} KiB gzip; import ${ratios.get(REFERENCE)?.toFixed(1)} ms (median).`,
        `Floor: a handler on the libraries every API handler uses and nothing of Tierdesk (\`test/bench/lambda-floor.ts\`: middy, zod/mini, the document client; one path schema, one GetItem, one view schema): ${floor.minifiedKiB} KiB minified, import ${ratios.get(FLOOR)?.toFixed(2)}× the reference. What an API handler adds above it is Tierdesk's own work: authorization against the directory, its schemas and views, the SLA summary, problem+json.`,
        table(
          [
            'kind',
            'functions',
            'minified KiB (min–max)',
            'gzip KiB (min–max)',
            'lazy chunks KiB (min–max)',
            'import ratio (min–max)',
          ],
          byKind(checks, ratios),
        ),
        '**Heaviest packages per bundle** (KiB of minified output, from the metafile of this esbuild run; CDK could write one too, but `index.meta.json` would then ship in every deployed asset):',
        table(['function', 'packages'], heaviest),
      ]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  },
};

/** The gated figures: each bundle's minified and gzip size against its kind's budget. */
export const sizeFigures = (checks: readonly BundleCheck[]): Figure[] =>
  checks.flatMap((check) => [
    {
      name: `${check.name}: minified`,
      value: check.minifiedKiB,
      unit: 'KiB',
      target: { op: '<=', value: check.budget.minifiedKiB },
      gated: true,
      detail: check.kind,
    },
    {
      name: `${check.name}: gzip`,
      value: check.gzipKiB,
      unit: 'KiB',
      target: { op: '<=', value: check.budget.gzipKiB },
      gated: true,
      detail: check.kind,
    },
  ]);

const section = (figures: Figure[], notes?: string[]) => ({
  id: 'bundles',
  title: 'Lambda bundles: size, heaviest packages, import time',
  intro: [
    'Every function bundled as CDK bundles it (minified ESM, the AWS clients inside, source maps beside it);',
    'the size of what a cold start loads (the handler and the chunks it imports statically) against',
    'the budgets by kind in `infra/bundle-budgets.ts` (gated), lazy chunks (loaded by `import()` on a',
    'rare path) reported apart. Import time: a fresh',
    `Node process per import, ${ROUNDS} rounds, a reference import between every ${GROUP} functions, each`,
    'sample divided by the mean of the references around it; medians (reported).',
  ].join(' '),
  figures,
  ...(notes ? { notes } : {}),
});

/** The environment functions read when they load (what the stack gives them). */
const LOAD_ENV = {
  PATH: process.env.PATH,
  TABLE_NAME: 'bench',
  WORKFLOW_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:bench',
  AWS_REGION: 'eu-west-1',
  TIERDESK_SUPPORT_ADDRESSES: 'support@example.com',
  TIERDESK_MAIL_BUCKET: 'bench-mail',
  TIERDESK_KB_BUCKET: 'bench-kb',
  TIERDESK_CSAT_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:bench',
};

/** Milliseconds to import a bundle, measured inside a fresh Node process. */
const importMs = (file: string): number => {
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});process.stdout.write(String(performance.now()-t))`;
  try {
    return Number(
      execFileSync(process.execPath, ['--input-type=module', '--eval', script], {
        env: LOAD_ENV,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    throw new Error(
      `${file} does not load: ${stderr
        .split('\n')
        .findLast((line) => /Error/.test(line))
        ?.slice(0, 300)}`,
    );
  }
};

/**
 * Each function's import time ÷ the reference's, median over the rounds; and the reference's
 * median import time (under its own key). Every round imports the functions in a new order with
 * the reference before, between every {@link GROUP} functions and after.
 */
const importRatios = (
  names: readonly string[],
  file: (name: string) => string,
  reference: string,
): Map<string, number> => {
  const samples = new Map<string, number[]>(names.map((name) => [name, []]));
  const referenceMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...names].sort(() => Math.random() - 0.5);
    let before = importMs(reference);
    referenceMs.push(before);
    for (let start = 0; start < order.length; start += GROUP) {
      const group = order.slice(start, start + GROUP).map((name) => [name, importMs(file(name))] as const);
      const after = importMs(reference);
      referenceMs.push(after);
      for (const [name, ms] of group) samples.get(name)?.push(ms / ((before + after) / 2));
      before = after;
    }
  }
  return new Map([
    ...[...samples].map(([name, ratios]) => [name, median(ratios)] as const),
    [REFERENCE, median(referenceMs)],
  ]);
};

/**
 * Bytes of output per package (`node_modules/<package>`, or the project folder) in what importing
 * one function's bundle loads (`loadedAtImport`: its entry and the chunks that imports statically),
 * heaviest first. The metafile names outputs relative to the project root.
 */
const heaviestPackages = (metafile: Metafile, entry: string): [string, number][] => {
  const loaded = new Set(loadedAtImport(entry));
  const totals = new Map<string, number>();
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    if (!loaded.has(resolve(PROJECT_ROOT, output))) continue;
    for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
      const pkg = path.match(/.*node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? `(${path.split('/')[0]})`;
      totals.set(pkg, (totals.get(pkg) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
};

const byKind = (checks: readonly BundleCheck[], ratios: ReadonlyMap<string, number>): (string | number)[][] =>
  (Object.keys(BUNDLE_BUDGETS) as (keyof typeof BUNDLE_BUDGETS)[]).flatMap((kind) => {
    const of = checks.filter((check) => check.kind === kind);
    if (of.length === 0) return [];
    const range = (values: number[], digits: number) =>
      `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
    return [
      [
        kind,
        of.length,
        range(
          of.map((check) => check.minifiedKiB),
          0,
        ),
        range(
          of.map((check) => check.gzipKiB),
          0,
        ),
        range(
          of.map((check) => check.lazyKiB),
          0,
        ),
        range(
          of.map((check) => ratios.get(check.name) as number),
          2,
        ),
      ],
    ];
  });
