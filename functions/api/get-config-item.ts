import { principalOf } from '#shared/auth/identity';
import { type AdminDeps, readItem } from '#shared/config/admin';
import { adminDepsFromEnv } from '#shared/config/deps';
import { apiHandler } from '#shared/http/api-handler';
import { ConfigItemPathSchema } from '#shared/http/config-schemas';
import { parsePath } from '#shared/http/request';
import { etag, json } from '#shared/http/responses';

/** GET /admin/config/{kind}/{id} (supervisors, admins) */
export const getConfigItem = (deps: AdminDeps) =>
  apiHandler(async (event) => {
    const { kind, id } = parsePath(event, ConfigItemPathSchema);
    const { item, revision } = await readItem(deps, principalOf(event), kind, id);
    return json(200, item, { etag: etag(revision) });
  });

export const handler = getConfigItem(adminDepsFromEnv());
