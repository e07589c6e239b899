import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** The integration tests: DynamoDB Local for the whole run, each file on tables of its own. */
const INTEGRATION = {
  include: ['test/integration/**/*.test.ts'],
  globalSetup: ['test/support/dynamodb-global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

/**
 * One `npm test` runs every layer; each layer is a project so it can be run alone
 * (`npx vitest run --project unit`). Integration and e2e start what they need themselves.
 */
export default defineConfig({
  test: {
    // The mail libraries decode charsets as the Lambda bundles have them decode (shared/email/charset-decoding.ts).
    setupFiles: ['infra/local/charset-decoding-hooks.ts'],
    // Handlers log JSON lines (#shared/runtime/observability); tests assert on responses, so logs stay quiet unless asked for.
    env: {
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'CRITICAL',
      METRICS_DISABLED: 'true',
    },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'integration', ...INTEGRATION },
      },
      {
        extends: true,
        // The integration tests again, the adapters on the lean AWS clients the Lambda bundles carry
        // (the `lambda` condition of `#shared/store/sdk`, `#shared/runtime/sfn`, …) instead of the SDK's.
        // vitest's own server conditions are vite's without `module` (whose ESM builds Node cannot load).
        ssr: {
          resolve: { conditions: ['lambda', ...defaultServerConditions.filter((c) => c !== 'module')] },
        },
        test: {
          name: 'lean',
          ...INTEGRATION,
          // It meters request units through the SDK client's middleware stack, which the lean client has not.
          exclude: ['test/integration/bounded-items.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000 },
      },
      {
        extends: true,
        // The console in Debian's Chromium (playwright-core), each file on its own local stack.
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
