import { existsSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { DevIdentity } from '#infra/local/dev-key';
import { startTestStack, type TestStack } from './local-stack.ts';

/**
 * The browser tests' harness: the local stack with its console, and Debian's Chromium driven by
 * playwright-core (Playwright's own browser download cannot work offline). Every page a test
 * opens fails the test on a console error or an uncaught page error; `expectAccessible` runs
 * axe-core and fails on serious or critical violations.
 */

const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

const chromiumPath = (): string => {
  const found = CHROMIUM_CANDIDATES.find((candidate) => candidate && existsSync(candidate));
  if (!found) {
    throw new Error(
      'The browser tests need Chromium: `sudo apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_PATH. ' +
        '.ci/run installs it when missing.',
    );
  }
  return found;
};

const EXPECTED_PROBLEM = /^Failed to load resource: the server responded with a status of 4\d\d/;

export interface ConsoleHarness {
  stack: TestStack;
  browser: Browser;
  /** A fresh browser context (its own storage: another person, another device). */
  context(options?: { width?: number; height?: number }): Promise<BrowserContext>;
  /** A new page in `context` that fails the test on console errors and page errors. */
  page(context: BrowserContext): Promise<Page>;
  /** A page signed in as `who` through the development sign-in, at `path`. */
  signedIn(who: DevIdentity & { name?: string }, path: string, context?: BrowserContext): Promise<Page>;
  /** Throws when any page opened so far reported a console or page error. */
  assertNoErrors(): void;
  stop(): Promise<void>;
}

export const startConsoleHarness = async (
  options: Parameters<typeof startTestStack>[0] = {},
): Promise<ConsoleHarness> => {
  const [stack, browser] = await Promise.all([
    startTestStack({ consolePort: 0, ...options }),
    chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] }),
  ]);
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];

  const context = async (size: { width?: number; height?: number } = {}) => {
    const created = await browser.newContext({
      viewport: { width: size.width ?? 1280, height: size.height ?? 800 },
      baseURL: stack.consoleUrl,
    });
    contexts.push(created);
    return created;
  };

  const page = async (target: BrowserContext) => {
    const opened = await target.newPage();
    opened.on('console', (message) => {
      // Chromium logs every 4xx answer as "Failed to load resource"; the console handles those (a
      // problem shown to the person). Anything else, 5xx included, is an error of the console.
      if (message.type() !== 'error' || EXPECTED_PROBLEM.test(message.text())) return;
      errors.push(`console error on ${opened.url()}: ${message.text()}`);
    });
    opened.on('pageerror', (error) => errors.push(`page error on ${opened.url()}: ${error.message}`));
    return opened;
  };

  const signedIn = async (who: DevIdentity, path: string, target?: BrowserContext) => {
    // The person must be in the directory, as an admin would have put them (the token route reads it).
    await stack.token(who);
    const opened = await page(target ?? (await context()));
    await opened.goto(`/sign-in?returnTo=${encodeURIComponent(path)}`);
    await opened.getByLabel(/sign in as any email/i).fill(who.email);
    await opened.getByRole('button', { name: 'Sign in', exact: true }).click();
    await opened.waitForURL(
      (url) => `${url.pathname}${url.search}` === path || url.pathname === path.split('?')[0],
    );
    return opened;
  };

  return {
    stack,
    browser,
    context,
    page,
    signedIn,
    assertNoErrors: () => {
      if (errors.length > 0) throw new Error(`The console reported errors:\n${errors.join('\n')}`);
    },
    stop: async () => {
      await Promise.allSettled(contexts.map((created) => created.close()));
      await browser.close();
      await stack.stop();
    },
  };
};

/** axe-core on the page as it is now: no serious or critical violation (WCAG 2.x A/AA rules and best practices). */
export const expectAccessible = async (page: Page, what: string): Promise<void> => {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  if (serious.length > 0) {
    const lines = serious.map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} — ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join('; ')}`,
    );
    throw new Error(
      `axe found ${serious.length} serious or critical violations on ${what}:\n${lines.join('\n')}`,
    );
  }
};
