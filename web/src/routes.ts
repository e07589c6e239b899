import type { AnyComponent } from 'preact';
import lazy from 'preact-iso/lazy';
import { type Access, ROUTE_ACCESS, type RoutePath } from './route-access.ts';

/**
 * The console's router table: every route of `route-access.ts` with its page. Each page is its
 * own chunk, loaded on navigation, so the requester portal never downloads the agent workspace.
 */
export interface ConsoleRoute {
  path: string;
  page: AnyComponent<Record<string, unknown>>;
  access: Access;
  /** The title in the navigation, for the roles that may open it (absent: not in the navigation). */
  nav?: string;
}

type PageModule = Promise<{ default: AnyComponent<Record<string, unknown>> }>;

const PAGES: Record<RoutePath, () => PageModule> = {
  '/': () => import('./pages/home.tsx'),
  '/sign-in': () => import('./pages/sign-in.tsx'),
  '/auth/callback': () => import('./pages/auth-callback.tsx'),
  '/my': () => import('./pages/portal/my-tickets.tsx'),
  '/new': () => import('./pages/portal/new-ticket.tsx'),
  '/tickets/:number': () => import('./pages/ticket.tsx'),
  '/kb': () => import('./pages/kb/search.tsx'),
  '/kb/:id': () => import('./pages/kb/article.tsx'),
  '/queue': () => import('./pages/desk/queue.tsx'),
  '/search': () => import('./pages/desk/search.tsx'),
  '/ops/executions': () => import('./pages/ops/executions.tsx'),
  '/ops/tickets/:number/workflow': () => import('./pages/ops/workflow.tsx'),
  '/reports': () => import('./pages/ops/reports.tsx'),
  '/admin/config': () => import('./pages/admin/config.tsx'),
  '/admin/config/:kind': () => import('./pages/admin/config.tsx'),
  '/admin/people': () => import('./pages/admin/people.tsx'),
};

export const ROUTES: readonly ConsoleRoute[] = ROUTE_ACCESS.map((route) => ({
  ...route,
  page: lazy(PAGES[route.path]),
}));

export { mayOpen } from './route-access.ts';
