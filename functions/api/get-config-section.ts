import { principalOf } from '#shared/auth/identity';
import { type AdminDeps, listItems, readItem } from '#shared/config/admin';
import { adminDepsFromEnv } from '#shared/config/deps';
import { isCollectionKind } from '#shared/config/desk';
import { apiHandler } from '#shared/http/api-handler';
import { ConfigSectionPathSchema } from '#shared/http/config-schemas';
import { parsePath } from '#shared/http/request';
import { etag, json } from '#shared/http/responses';

/** GET /admin/config/{kind} (supervisors, admins): a list's items with their ETags, or a one-of-a-kind part */
export const getConfigSection = (deps: AdminDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { kind } = parsePath(event, ConfigSectionPathSchema);
    if (isCollectionKind(kind)) {
      const items = await listItems(deps, principal, kind);
      return json(200, { items: items.map(({ item, revision }) => ({ etag: etag(revision), item })) });
    }
    const { item, revision } = await readItem(deps, principal, kind, kind);
    return json(200, item, { etag: etag(revision) });
  });

export const handler = getConfigSection(adminDepsFromEnv());
