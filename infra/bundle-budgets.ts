import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { LambdaFunction } from './constructs/lambda-function.ts';
import type { TierdeskStack } from './tierdesk-stack.ts';

/**
 * The Lambda bundles' size budgets, by kind of function: the minified `index.mjs` with the chunks
 * it imports statically, and its gzip size (what a cold start parses; chunks loaded by `import()`
 * on a rare path are reported apart), set from the trimmed bundles with modest
 * headroom. Sizes are deterministic for a given source and lock file, so CI gates on them
 * (`npm run bench -- --quick`). The import-time targets (ratio of a bundle's import time to that
 * of a bundle that only constructs a DynamoDB client) are measured on a shared machine and reported.
 */
export type BundleKind =
  | 'API handler'
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

/**
 * Budgets: what a cold start of the largest bundle of each kind loads, at 2026-12-06 (zod/mini, no
 * Powertools, rarely needed code in lazy chunks, the lean AWS clients, mail charsets decoded by
 * Node), plus about 10 %.
 */
export const BUNDLE_BUDGETS: Readonly<Record<BundleKind, BundleBudget>> = {
  'API handler': { minifiedKiB: 205, gzipKiB: 62, importRatio: 1.3 },
  'Markdown-rendering API handler': { minifiedKiB: 190, gzipKiB: 70, importRatio: 1.3 },
  'workflow task': { minifiedKiB: 125, gzipKiB: 44, importRatio: 1.3 },
  'operations task': { minifiedKiB: 145, gzipKiB: 49, importRatio: 1.3 },
  'stream processor': { minifiedKiB: 102, gzipKiB: 38, importRatio: 1.6 },
  mailer: { minifiedKiB: 470, gzipKiB: 154, importRatio: 1.6 },
  'mail intake': { minifiedKiB: 590, gzipKiB: 200, importRatio: 2.0 },
};

/**
 * API functions heavier than the rest for a reason: Markdown rendering (micromark: the
 * functions that write articles, which keep their HTML for the readers). What reads, writes
 * or presigns S3 objects (the searchers' index, attachment files) does so by signed requests
 * (`#shared/runtime/s3-bucket`), without the SDK's S3 client, and is an ordinary API handler.
 */
const API_KINDS: readonly (readonly [RegExp, BundleKind])[] = [
  [/^(create|update)-article$/, 'Markdown-rendering API handler'],
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
  /** What a cold start loads: `index.mjs` and the chunks it imports statically. */
  minifiedKiB: number;
  gzipKiB: number;
  /** The chunks loaded only by an `import()`, when a rarely needed path first runs (not budgeted). */
  lazyKiB: number;
}

export interface BundleCheck extends BundleSize {
  budget: BundleBudget;
  pass: boolean;
}

const kib = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;

/** The relative modules a bundled file imports statically (`import … from "./chunks/…"`), not by `import()`. */
const staticImports = (code: string): string[] =>
  [...code.matchAll(/\bimport\s*(?:[\w$\s{},*]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g)].map(
    (match) => match[1] as string,
  );

/** The files importing `entry` loads: it and, transitively, the chunks it imports statically. */
export const loadedAtImport = (entry: string): string[] => {
  const loaded = new Set<string>();
  const visit = (file: string) => {
    if (loaded.has(file)) return;
    loaded.add(file);
    for (const specifier of staticImports(readFileSync(file, 'utf8')))
      visit(resolve(dirname(file), specifier));
  };
  visit(resolve(entry));
  return [...loaded];
};

/** The minified and gzip size of what importing a bundled `index.mjs` loads, and of its lazy chunks. */
export const bundleSize = (name: string, kind: BundleKind, file: string): BundleSize => {
  const loaded = loadedAtImport(file);
  const codes = loaded.map((path) => readFileSync(path));
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const chunks = join(dirname(file), 'chunks');
  const lazy = existsSync(chunks)
    ? readdirSync(chunks)
        .filter((chunk) => chunk.endsWith('.mjs'))
        .map((chunk) => resolve(chunks, chunk))
        .filter((chunk) => !loaded.includes(chunk))
    : [];
  return {
    name,
    kind,
    minifiedKiB: kib(sum(codes.map((code) => code.length))),
    gzipKiB: kib(sum(codes.map((code) => gzipSync(code, { level: 9 }).length))),
    lazyKiB: kib(sum(lazy.map((chunk) => readFileSync(chunk).length))),
  };
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
