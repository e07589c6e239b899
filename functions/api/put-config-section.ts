import { principalOf } from '#shared/auth/identity';
import { type AdminDeps, putItem } from '#shared/config/admin';
import { adminDepsFromEnv } from '#shared/config/deps';
import { isCollectionKind } from '#shared/config/desk';
import { NotFoundError } from '#shared/domain/errors';
import { apiHandler } from '#shared/http/api-handler';
import { ConfigSectionPathSchema } from '#shared/http/config-schemas';
import { parsePath, readJsonBody, requireIfMatch } from '#shared/http/request';
import { etag, json } from '#shared/http/responses';

/** PUT /admin/config/{kind} with If-Match (admins): routing or settings, replaced */
export const putConfigSection = (deps: AdminDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { kind } = parsePath(event, ConfigSectionPathSchema);
    if (isCollectionKind(kind)) {
      throw new NotFoundError(`${kind} is a list: PUT /admin/config/${kind}/{id} changes one of its items.`);
    }
    const condition = requireIfMatch(event);
    const result = await putItem(deps, principal, kind, kind, readJsonBody(event), condition);
    return json(200, result, { etag: etag(result.revision) });
  });

export const handler = putConfigSection(adminDepsFromEnv());
