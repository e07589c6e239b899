import { principalOf } from '#shared/auth/identity';
import { type AdminDeps, configWarnings } from '#shared/config/admin';
import { adminDepsFromEnv } from '#shared/config/deps';
import { apiHandler } from '#shared/http/api-handler';
import { json } from '#shared/http/responses';

/** GET /admin/warnings (supervisors, admins) */
export const getConfigWarnings = (deps: AdminDeps) =>
  apiHandler(async (event) => json(200, { warnings: await configWarnings(deps, principalOf(event)) }));

export const handler = getConfigWarnings(adminDepsFromEnv());
