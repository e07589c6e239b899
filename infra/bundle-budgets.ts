import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { LambdaFunction } from './constructs/lambda-function.ts';
import type { TierdeskStack } from './tierdesk-stack.ts';

/**
 * The Lambda bundles' size budgets, by kind of function: the minified `index.mjs` and its gzip
 * size (what a cold start downloads, unzips and parses), set from the trimmed bundles with modest
 * headroom. Sizes are deterministic for a given source and lock file, so CI gates on them
 * (`npm run bench -- --quick`). The import-time targets (ratio of a bundle's import time to that
 * of a bundle that only constructs a DynamoDB client) are measured on a shared machine and reported.
 */
export type BundleKind =
  | 'API handler'
  | 'API handler with S3'
  | 'Markdown-rendering API handler'
  | 'workflow task'
  | 'operations task'
  | 'stream processor'
  | 'mailer'
  | 'mail intake';

export interface BundleBudget {
  minifiedKiB: number;
  gzipKiB: number;
  /** Import time ÷ the DynamoDB-client reference's (reported, not gated). */
  importRatio: number;
}

/** Budgets: the largest bundle of each kind at 2026-12-04 (zod/mini) plus about 10 %. */
export const BUNDLE_BUDGETS: Readonly<Record<BundleKind, BundleBudget>> = {
  'API handler': { minifiedKiB: 435, gzipKiB: 140, importRatio: 1.3 },
  'API handler with S3': { minifiedKiB: 600, gzipKiB: 192, importRatio: 1.3 },
  'Markdown-rendering API handler': { minifiedKiB: 720, gzipKiB: 240, importRatio: 1.3 },
  'workflow task': { minifiedKiB: 390, gzipKiB: 126, importRatio: 1.3 },
  'operations task': { minifiedKiB: 420, gzipKiB: 133, importRatio: 1.3 },
  'stream processor': { minifiedKiB: 645, gzipKiB: 204, importRatio: 1.6 },
  mailer: { minifiedKiB: 800, gzipKiB: 246, importRatio: 1.6 },
  'mail intake': { minifiedKiB: 1790, gzipKiB: 640, importRatio: 2.0 },
};

/**
 * API functions heavier than the rest for a reason: Markdown rendering (marked, sanitize-html),
 * or the S3 client (attachment files, the search index, the console's files).
 */
const API_KINDS: readonly (readonly [RegExp, BundleKind])[] = [
  [/^(get|get-public|create|update)-article$/, 'Markdown-rendering API handler'],
  [
    /^(add-comment|console|get-ticket-suggestions|(search|suggest)(-public)?-articles)$/,
    'API handler with S3',
  ],
];

const apiKind = (name: string): BundleKind =>
  API_KINDS.find(([pattern]) => pattern.test(name))?.[1] ?? 'API handler';

/** Every function of the stack by name (a route's function, a workflow task, …) with its kind. */
export const stackFunctions = (stack: TierdeskStack): Map<string, StackFunction> => {
  const api = [...stack.api.functions].map(([name, fn]): [string, StackFunction] => [
    name,
    { fn, kind: apiKind(name) },
  ]);
  const tasks = [...stack.workflow.functions].map(([name, fn]): [string, StackFunction] => [
    name,
    { fn, kind: 'workflow task' },
  ]);
  return new Map<string, StackFunction>([
    ...api,
    ...tasks,
    ['StreamProcessor', { fn: stack.events.processor, kind: 'stream processor' }],
    ['MailIntake', { fn: stack.email.intake, kind: 'mail intake' }],
    ['Mailer', { fn: stack.email.mailer, kind: 'mailer' }],
    ['OpsTasks', { fn: stack.operations.tasks, kind: 'operations task' }],
  ]);
};

export interface StackFunction {
  fn: LambdaFunction;
  kind: BundleKind;
}

export interface BundleSize {
  name: string;
  kind: BundleKind;
  minifiedKiB: number;
  gzipKiB: number;
}

export interface BundleCheck extends BundleSize {
  budget: BundleBudget;
  pass: boolean;
}

const kib = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;

/** The minified and gzip size of a bundled `index.mjs`. */
export const bundleSize = (name: string, kind: BundleKind, file: string): BundleSize => {
  const code = readFileSync(file);
  return { name, kind, minifiedKiB: kib(code.length), gzipKiB: kib(gzipSync(code, { level: 9 }).length) };
};

/** A bundle against its kind's budget: it passes when neither size exceeds it. */
export const checkBundle = (
  size: BundleSize,
  budgets: Readonly<Record<BundleKind, BundleBudget>> = BUNDLE_BUDGETS,
): BundleCheck => {
  const budget = budgets[size.kind];
  return {
    ...size,
    budget,
    pass: size.minifiedKiB <= budget.minifiedKiB && size.gzipKiB <= budget.gzipKiB,
  };
};
