import type { AnyComponent } from 'preact';
import lazy from 'preact-iso/lazy';
import type { Role } from './api/types.ts';

/**
 * The console's router table: every page, who may open it and the navigation entry it has. Each
 * page is its own chunk (loaded on navigation), so the requester portal never downloads the
 * agent workspace. The browser tests run axe on every route here, for each role in `roles`.
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

export interface ConsoleRoute {
  path: string;
  page: AnyComponent<Record<string, unknown>>;
  access: Access;
  /** The title in the navigation, for the roles that may open it (absent: not in the navigation). */
  nav?: string;
}

const STAFF: readonly Role[] = ['agent', 'supervisor', 'admin'];
const OPERATORS: readonly Role[] = ['ops', 'supervisor', 'admin'];
const ADMINS: readonly Role[] = ['admin'];
/** The configuration: admins change it, supervisors read it (and try SLA policies out). */
const CONFIG_READERS: readonly Role[] = ['supervisor', 'admin'];

const page = (load: () => Promise<{ default: AnyComponent<Record<string, unknown>> }>) => lazy(load);

export const ROUTES: readonly ConsoleRoute[] = [
  { path: '/', page: page(() => import('./pages/home.tsx')), access: 'public' },
  { path: '/sign-in', page: page(() => import('./pages/sign-in.tsx')), access: 'public' },
  { path: '/auth/callback', page: page(() => import('./pages/auth-callback.tsx')), access: 'public' },
  // Requester portal
  {
    path: '/my',
    page: page(() => import('./pages/portal/my-tickets.tsx')),
    access: 'signed-in',
    nav: 'My tickets',
  },
  {
    path: '/new',
    page: page(() => import('./pages/portal/new-ticket.tsx')),
    access: 'signed-in',
    nav: 'New ticket',
  },
  // One address per ticket for everyone: the page shows the view the API gives the caller.
  { path: '/tickets/:number', page: page(() => import('./pages/ticket.tsx')), access: 'signed-in' },
  // Public knowledge base (the links in mails point here)
  { path: '/kb', page: page(() => import('./pages/kb/search.tsx')), access: 'public', nav: 'Knowledge base' },
  { path: '/kb/:id', page: page(() => import('./pages/kb/article.tsx')), access: 'public' },
  // Agent workspace
  { path: '/queue', page: page(() => import('./pages/desk/queue.tsx')), access: STAFF, nav: 'Queues' },
  {
    path: '/search',
    page: page(() => import('./pages/desk/search.tsx')),
    access: STAFF,
    nav: 'Find tickets',
  },
  // Operations and reports
  {
    path: '/ops/executions',
    page: page(() => import('./pages/ops/executions.tsx')),
    access: OPERATORS,
    nav: 'Workflows',
  },
  {
    path: '/ops/tickets/:number/workflow',
    page: page(() => import('./pages/ops/workflow.tsx')),
    access: [...STAFF, 'ops'],
  },
  {
    path: '/reports',
    page: page(() => import('./pages/ops/reports.tsx')),
    access: ['supervisor', 'admin'],
    nav: 'Reports',
  },
  // Administration
  {
    path: '/admin/config',
    page: page(() => import('./pages/admin/config.tsx')),
    access: CONFIG_READERS,
    nav: 'Configuration',
  },
  {
    path: '/admin/config/:kind',
    page: page(() => import('./pages/admin/config.tsx')),
    access: CONFIG_READERS,
  },
  {
    path: '/admin/people',
    page: page(() => import('./pages/admin/people.tsx')),
    access: ADMINS,
    nav: 'People',
  },
];

export const mayOpen = (access: Access, role: Role | undefined): boolean => {
  if (access === 'public') return true;
  if (role === undefined) return false;
  return access === 'signed-in' || access.includes(role);
};
