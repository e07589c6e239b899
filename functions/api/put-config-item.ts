import { principalOf } from '#shared/auth/identity';
import { type AdminDeps, putItem } from '#shared/config/admin';
import { adminDepsFromEnv } from '#shared/config/deps';
import { isCollectionKind } from '#shared/config/desk';
import { NotFoundError } from '#shared/domain/errors';
import { apiHandler } from '#shared/http/api-handler';
import { ConfigItemPathSchema } from '#shared/http/config-schemas';
import { hasIfMatch, ifMatchCondition, parsePath, readJsonBody } from '#shared/http/request';
import { etag, json } from '#shared/http/responses';

/** PUT /admin/config/{kind}/{id} (admins): creates, or changes with If-Match */
export const putConfigItem = (deps: AdminDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { kind, id } = parsePath(event, ConfigItemPathSchema);
    if (!isCollectionKind(kind)) throw new NotFoundError(`${kind} has no items: PUT /admin/config/${kind}.`);
    const condition = hasIfMatch(event) ? ifMatchCondition(event) : undefined;
    const result = await putItem(deps, principal, kind, id, readJsonBody(event), condition);
    return json(200, result, { etag: etag(result.revision) });
  });

export const handler = putConfigItem(adminDepsFromEnv());
