import { NotFoundError } from '#shared/domain/errors';
import { type ApiFunction, apiHandler } from './api-handler.ts';
import { ROUTE_KEYS } from './route-keys.ts';
import type { RouteId } from './routes.ts';

/**
 * One Lambda function for several routes (the route table's `fn`): one handler chain, which hands
 * each request to its route's function by the route key API Gateway sends (`GET /admin/config`).
 * Routes that belong together (the configuration, the people directory) share a bundle, a role
 * and a warm container, and the stack stays far from CloudFormation's 500 resources.
 */
export const routeGroup = (routes: Partial<Record<RouteId, ApiFunction>>) => {
  const byKey = new Map<string, ApiFunction>();
  for (const [id, fn] of Object.entries(routes) as [RouteId, ApiFunction | undefined][]) {
    if (fn) byKey.set(ROUTE_KEYS[id], fn);
  }
  return apiHandler(async (event, context) => {
    const fn = byKey.get(event.routeKey);
    if (!fn) throw new NotFoundError(`This function does not serve ${event.routeKey}.`);
    return fn(event, context);
  });
};
