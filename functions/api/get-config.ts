import { principalOf } from '#shared/auth/identity';
import { type AdminDeps, readConfig } from '#shared/config/admin';
import { adminDepsFromEnv } from '#shared/config/deps';
import { apiHandler } from '#shared/http/api-handler';
import { etag, json } from '#shared/http/responses';

/** GET /admin/config (supervisors, admins) */
export const getConfig = (deps: AdminDeps) =>
  apiHandler(async (event) => {
    const { version, document, at, by } = await readConfig(deps, principalOf(event));
    return json(200, { version, document, ...(at && { at }), ...(by && { by }) }, { etag: etag(version) });
  });

export const handler = getConfig(adminDepsFromEnv());
