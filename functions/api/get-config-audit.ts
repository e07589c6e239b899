import { principalOf } from '#shared/auth/identity';
import { type AdminDeps, configRecords } from '#shared/config/admin';
import { adminDepsFromEnv } from '#shared/config/deps';
import { apiHandler } from '#shared/http/api-handler';
import { AuditQuerySchema, LIMITS } from '#shared/http/config-schemas';
import { parseQuery } from '#shared/http/request';
import { json } from '#shared/http/responses';

/** GET /admin/audit?kind=&cursor= (supervisors, admins) */
export const getConfigAudit = (deps: AdminDeps) =>
  apiHandler(async (event) => {
    const { kind, limit, cursor } = parseQuery(event, AuditQuerySchema);
    const page = { limit: limit ?? LIMITS.defaultPageSize, ...(cursor && { cursor }) };
    return json(200, await configRecords(deps, principalOf(event), kind, page));
  });

export const handler = getConfigAudit(adminDepsFromEnv());
