import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startLocalStack } from './stack.ts';

/**
 * `npm run screenshots`: PNGs of the console's main pages from the seeded demo, for the README
 * (docs/screenshots/). Starts its own local stack on free ports with the demo data, signs in as
 * the demo people through the development sign-in and photographs what they see.
 */

const OUT = join(import.meta.dirname, '../../docs/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// The handlers log and emit metrics to stdout; the script prints only the files it writes.
Object.assign(process.env, { LOG_LEVEL: 'ERROR', METRICS_DISABLED: 'true' });

const main = async () => {
  await mkdir(OUT, { recursive: true });
  const stack = await startLocalStack({
    port: 0,
    dynamoPort: 0,
    smtpPort: 0,
    sesPort: 0,
    sfnPort: 0,
    consolePort: 0,
    seed: true,
    logLevel: 'ERROR',
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const tickets = stack.seeded?.tickets ?? [];
  const shoot = async (
    who: string,
    path: string,
    file: string,
    ready: (page: Page) => Promise<unknown>,
    viewport = { width: 1280, height: 820 },
  ) => {
    const context = await browser.newContext({ viewport, baseURL: stack.consoleUrl, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`/sign-in?returnTo=${encodeURIComponent(path)}`);
    await page.getByLabel(/sign in as any email/i).fill(who);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname === path.split('?')[0]);
    await ready(page);
    await page.screenshot({ path: join(OUT, file), fullPage: false });
    await context.close();
    console.log(`docs/screenshots/${file}`);
  };
  const heading = (page: Page) => page.getByRole('heading', { level: 1 }).first().waitFor();
  try {
    const first = tickets[0] ?? 1;
    await shoot('alice@example.com', '/my', 'portal-my-tickets.png', heading);
    await shoot('alice@example.com', '/new', 'portal-new-ticket.png', async (page) => {
      await heading(page);
      await page
        .getByLabel(/subject/i)
        .first()
        .fill('VPN keeps disconnecting');
      await page.getByRole('link').filter({ hasText: /vpn/i }).first().waitFor({ timeout: 10_000 });
    });
    await shoot('priya@example.com', '/queue?tier=1', 'agent-queue.png', (page) =>
      page.locator('[data-testid="queue-row"]').first().waitFor(),
    );
    await shoot('priya@example.com', `/tickets/${first}`, 'agent-ticket.png', (page) =>
      page.locator('.timeline li').first().waitFor(),
    );
    await shoot('sam@example.com', `/ops/tickets/${first}/workflow`, 'workflow.png', (page) =>
      page.locator('svg').first().waitFor(),
    );
    await shoot('sam@example.com', '/reports', 'reports.png', (page) =>
      page.locator('svg').first().waitFor(),
    );
    await shoot('lena@example.com', '/admin/config/calendars', 'admin-calendars.png', heading);
    await shoot('priya@example.com', '/queue?tier=1', 'agent-queue-phone.png', heading, {
      width: 375,
      height: 740,
    });
  } finally {
    await browser.close();
    await stack.stop();
  }
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
