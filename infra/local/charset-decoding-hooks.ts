import { registerHooks } from 'node:module';

/**
 * Loads `shared/email/charset-decoding.ts` wherever the mail libraries ask for iconv-lite or
 * encoding-japanese, as the Lambda bundles do by alias (`infra/constructs/lambda-function.ts`):
 * the tests (a vitest setup file) and the local stack decode mail as the deployed intake does.
 * Registered once per thread; the mail libraries are loaded by Node itself, not by vitest.
 */
const REPLACED = new Set(['iconv-lite', 'encoding-japanese']);
const TARGET = new URL('../../shared/email/charset-decoding.ts', import.meta.url).href;

const registered = Symbol.for('tierdesk.charset-decoding-hooks');
const state = globalThis as { [registered]?: true };
if (!state[registered]) {
  state[registered] = true;
  registerHooks({
    resolve: (specifier, context, nextResolve) =>
      REPLACED.has(specifier) ? { url: TARGET, shortCircuit: true } : nextResolve(specifier, context),
  });
}
