import { principalOf } from '#shared/auth/identity';
import { type AdminDeps, configVersion } from '#shared/config/admin';
import { adminDepsFromEnv } from '#shared/config/deps';
import { apiHandler } from '#shared/http/api-handler';
import { ConfigVersionPathSchema } from '#shared/http/config-schemas';
import { parsePath } from '#shared/http/request';
import { json } from '#shared/http/responses';

/** GET /admin/config/versions/{version} (supervisors, admins) */
export const getConfigVersion = (deps: AdminDeps) =>
  apiHandler(async (event) => {
    const { version } = parsePath(event, ConfigVersionPathSchema);
    const { document, at, by } = await configVersion(deps, principalOf(event), version);
    return json(200, { version, document, ...(at && { at }), ...(by && { by }) });
  });

export const handler = getConfigVersion(adminDepsFromEnv());
