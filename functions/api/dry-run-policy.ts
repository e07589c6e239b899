import { principalOf } from '#shared/auth/identity';
import { type AdminDeps, dryRunPolicy } from '#shared/config/admin';
import { adminDepsFromEnv } from '#shared/config/deps';
import { apiHandler } from '#shared/http/api-handler';
import { DryRunBodySchema, PolicyPathSchema } from '#shared/http/config-schemas';
import { parseBody, parsePath } from '#shared/http/request';
import { json } from '#shared/http/responses';

/** POST /admin/policies/{id}/dry-run { ticket, policy? } (supervisors, admins) */
export const dryRunPolicyRoute = (deps: AdminDeps) =>
  apiHandler(async (event) => {
    const { id } = parsePath(event, PolicyPathSchema);
    const { ticket, policy } = parseBody(event, DryRunBodySchema);
    return json(200, await dryRunPolicy(deps, principalOf(event), id, ticket, policy));
  });

export const handler = dryRunPolicyRoute(adminDepsFromEnv());
