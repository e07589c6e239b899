import { principalOf } from '#shared/auth/identity';
import { type AdminDeps, applyConfig } from '#shared/config/admin';
import { adminDepsFromEnv } from '#shared/config/deps';
import { apiHandler } from '#shared/http/api-handler';
import { CONFIG_BODY_LIMIT } from '#shared/http/config-schemas';
import { readJsonBody, requireIfMatch } from '#shared/http/request';
import { etag, json } from '#shared/http/responses';

/** PUT /admin/config with If-Match (the version read, or `*`) — admins */
export const applyConfigRoute = (deps: AdminDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { expectedVersion } = requireIfMatch(event);
    const result = await applyConfig(
      deps,
      principal,
      readJsonBody(event, CONFIG_BODY_LIMIT),
      expectedVersion,
    );
    return json(200, result, { etag: etag(result.version) });
  });

export const handler = applyConfigRoute(adminDepsFromEnv());
