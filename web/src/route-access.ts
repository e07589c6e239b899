import type { Role } from './api/types.ts';

/**
 * Every address of the console, who may open it and its navigation title: the router's table
 * without the pages (`routes.ts` adds them), so tests can walk every route for every role that
 * may open it without loading the app.
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

const STAFF: readonly Role[] = ['agent', 'supervisor', 'admin'];
const OPERATORS: readonly Role[] = ['ops', 'supervisor', 'admin'];
const ADMINS: readonly Role[] = ['admin'];
/** The configuration: admins change it, supervisors read it (and try SLA policies out). */
const CONFIG_READERS: readonly Role[] = ['supervisor', 'admin'];

export const ROUTE_ACCESS = [
  { path: '/', access: 'public' },
  { path: '/sign-in', access: 'public' },
  { path: '/auth/callback', access: 'public' },
  // Requester portal
  { path: '/my', access: 'signed-in', nav: 'My tickets' },
  { path: '/new', access: 'signed-in', nav: 'New ticket' },
  // One address per ticket for everyone (mails link here): the page shows the view the API gives.
  { path: '/tickets/:number', access: 'signed-in' },
  // Public knowledge base (the links in mails point here)
  { path: '/kb', access: 'public', nav: 'Knowledge base' },
  { path: '/kb/:id', access: 'public' },
  // Agent workspace
  { path: '/queue', access: STAFF, nav: 'Queues' },
  { path: '/search', access: STAFF, nav: 'Find tickets' },
  // Operations and reports
  { path: '/ops/executions', access: OPERATORS, nav: 'Workflows' },
  { path: '/ops/tickets/:number/workflow', access: [...STAFF, 'ops'] },
  { path: '/reports', access: ['supervisor', 'admin'], nav: 'Reports' },
  // Administration
  { path: '/admin/config', access: CONFIG_READERS, nav: 'Configuration' },
  { path: '/admin/config/:kind', access: CONFIG_READERS },
  { path: '/admin/people', access: ADMINS, nav: 'People' },
] as const satisfies readonly { path: string; access: Access; nav?: string }[];

export type RoutePath = (typeof ROUTE_ACCESS)[number]['path'];

export const mayOpen = (access: Access, role: Role | undefined): boolean => {
  if (access === 'public') return true;
  if (role === undefined) return false;
  return access === 'signed-in' || access.includes(role);
};
