import { principalOf } from '#shared/auth/identity';
import { type AdminDeps, diffConfig } from '#shared/config/admin';
import { adminDepsFromEnv } from '#shared/config/deps';
import { apiHandler } from '#shared/http/api-handler';
import { CONFIG_BODY_LIMIT } from '#shared/http/config-schemas';
import { readJsonBody } from '#shared/http/request';
import { json } from '#shared/http/responses';

/** POST /admin/config/diff (supervisors, admins): what applying the body would change */
export const diffConfigRoute = (deps: AdminDeps) =>
  apiHandler(async (event) =>
    json(200, await diffConfig(deps, principalOf(event), readJsonBody(event, CONFIG_BODY_LIMIT))),
  );

export const handler = diffConfigRoute(adminDepsFromEnv());
