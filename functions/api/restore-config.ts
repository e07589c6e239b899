import { principalOf } from '#shared/auth/identity';
import { type AdminDeps, restoreConfig } from '#shared/config/admin';
import { adminDepsFromEnv } from '#shared/config/deps';
import { apiHandler } from '#shared/http/api-handler';
import { RestoreBodySchema } from '#shared/http/config-schemas';
import { parseBody } from '#shared/http/request';
import { etag, json } from '#shared/http/responses';

/** POST /admin/config/restore (admins): a version back, whole or one item */
export const restoreConfigRoute = (deps: AdminDeps) =>
  apiHandler(async (event) => {
    const { version, kind, id } = parseBody(event, RestoreBodySchema);
    const item = kind ? { kind, id: id ?? kind } : undefined;
    const result = await restoreConfig(deps, principalOf(event), version, item);
    return json(200, result, { etag: etag(result.version) });
  });

export const handler = restoreConfigRoute(adminDepsFromEnv());
