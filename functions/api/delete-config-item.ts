import { principalOf } from '#shared/auth/identity';
import { type AdminDeps, deleteItem } from '#shared/config/admin';
import { adminDepsFromEnv } from '#shared/config/deps';
import { isCollectionKind } from '#shared/config/desk';
import { NotFoundError } from '#shared/domain/errors';
import { apiHandler } from '#shared/http/api-handler';
import { ConfigItemPathSchema } from '#shared/http/config-schemas';
import { parsePath, requireIfMatch } from '#shared/http/request';
import { json } from '#shared/http/responses';

/** DELETE /admin/config/{kind}/{id} with If-Match (admins) */
export const deleteConfigItem = (deps: AdminDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { kind, id } = parsePath(event, ConfigItemPathSchema);
    if (!isCollectionKind(kind)) throw new NotFoundError(`${kind} cannot be deleted, only changed.`);
    const { expectedVersion } = requireIfMatch(event);
    return json(200, await deleteItem(deps, principal, kind, id, expectedVersion));
  });

export const handler = deleteConfigItem(adminDepsFromEnv());
