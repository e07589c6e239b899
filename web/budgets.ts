import { type ConsoleBuild, initialJavaScript } from './build.ts';

/**
 * The console's size budgets: the JavaScript a first visit to each entry page downloads (the entry
 * chunk, the page's chunk and their static imports, gzip), against the promise — the agent
 * workspace within 120 KB, the requester portal and the public knowledge base within 60 KB. Sizes
 * are deterministic for a given source, so CI gates on them (`npm run bench -- --quick`).
 */
export interface PageBudget {
  /** The address people open. */
  route: string;
  /** The page module (relative to web/src) the route loads first. */
  page: string;
  area: 'agent workspace' | 'requester portal' | 'public knowledge base' | 'operations' | 'administration';
  budgetKiB: number;
}

export const PAGE_BUDGETS: readonly PageBudget[] = [
  { route: '/queue', page: 'pages/desk/queue.tsx', area: 'agent workspace', budgetKiB: 120 },
  { route: '/search', page: 'pages/desk/search.tsx', area: 'agent workspace', budgetKiB: 120 },
  {
    route: '/tickets/:n (desk)',
    page: 'pages/desk/ticket-view.tsx',
    area: 'agent workspace',
    budgetKiB: 120,
  },
  { route: '/my', page: 'pages/portal/my-tickets.tsx', area: 'requester portal', budgetKiB: 60 },
  { route: '/new', page: 'pages/portal/new-ticket.tsx', area: 'requester portal', budgetKiB: 60 },
  {
    route: '/tickets/:n (requester)',
    page: 'pages/portal/ticket-view.tsx',
    area: 'requester portal',
    budgetKiB: 60,
  },
  { route: '/kb', page: 'pages/kb/search.tsx', area: 'public knowledge base', budgetKiB: 60 },
  { route: '/kb/:id', page: 'pages/kb/article.tsx', area: 'public knowledge base', budgetKiB: 60 },
  { route: '/sign-in', page: 'pages/sign-in.tsx', area: 'requester portal', budgetKiB: 60 },
];

export interface BudgetResult extends PageBudget {
  gzipKiB: number;
  files: number;
  pass: boolean;
}

/**
 * Each budget against a build. A ticket page's first load also fetches the dispatcher
 * (`pages/ticket.tsx`), counted in for the two ticket views.
 */
export const checkBudgets = async (
  built: ConsoleBuild,
  budgets: readonly PageBudget[] = PAGE_BUDGETS,
): Promise<BudgetResult[]> =>
  Promise.all(
    budgets.map(async (budget) => {
      const pages = budget.page.includes('ticket-view') ? ['pages/ticket.tsx', budget.page] : [budget.page];
      const loads = await Promise.all(pages.map((page) => initialJavaScript(built, page)));
      const files = new Map<string, number>();
      for (const load of loads) for (const [file, gzip] of load.gzipByFile) files.set(file, gzip);
      const gzipKiB = [...files.values()].reduce((sum, size) => sum + size, 0) / 1024;
      return {
        ...budget,
        gzipKiB: Math.round(gzipKiB * 10) / 10,
        files: files.size,
        pass: gzipKiB <= budget.budgetKiB,
      };
    }),
  );
