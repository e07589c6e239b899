import { adminDepsFromEnv } from '#shared/config/deps';
import { configRoutes } from '#shared/http/config-routes';

/** Every `/admin/config…`, `/admin/audit`, `/admin/warnings` and policy dry-run route (see `fn` in the route table). */
export const handler = configRoutes(adminDepsFromEnv());
