import { principalOf } from '#shared/auth/identity';
import {
  type AdminDeps,
  applyConfig,
  configRecords,
  configVersion,
  configWarnings,
  deleteItem,
  diffConfig,
  dryRunPolicy,
  listItems,
  putItem,
  readConfig,
  readItem,
  restoreConfig,
} from '#shared/config/admin';
import type { StoredConfig } from '#shared/config/config-store';
import { isCollectionKind } from '#shared/config/desk';
import { NotFoundError } from '#shared/domain/errors';
import {
  AuditQuerySchema,
  CONFIG_BODY_LIMIT,
  ConfigItemPathSchema,
  ConfigSectionPathSchema,
  ConfigVersionPathSchema,
  DryRunBodySchema,
  LIMITS,
  PolicyPathSchema,
  RestoreBodySchema,
} from './config-schemas.ts';
import {
  hasIfMatch,
  ifMatchCondition,
  parseBody,
  parsePath,
  parseQuery,
  readJsonBody,
  requireIfMatch,
} from './request.ts';
import { etag, json } from './responses.ts';
import { routeGroup } from './route-group.ts';

/**
 * The configuration's routes (`/admin/config…`, `/admin/audit`, `/admin/warnings`, the policy
 * dry run): one Lambda function, `functions/api/admin-config.ts`. Admins change; supervisors read.
 */

const stored = ({ version, document, at, by }: StoredConfig) => ({
  version,
  document,
  ...(at && { at }),
  ...(by && { by }),
});

const changed = (result: { version: number; revision?: number }, body: unknown) =>
  json(200, body, { etag: etag(result.revision ?? result.version) });

const collectionOnly = (kind: string, id: string) => {
  if (!isCollectionKind(kind)) throw new NotFoundError(`${kind} has no items: use /admin/config/${kind}.`);
  return { kind, id };
};

export const configRoutes = (deps: AdminDeps) =>
  routeGroup({
    'get-config': async (event) => {
      const current = await readConfig(deps, principalOf(event));
      return json(200, stored(current), { etag: etag(current.version) });
    },
    'apply-config': async (event) => {
      const { expectedVersion } = requireIfMatch(event);
      const body = readJsonBody(event, CONFIG_BODY_LIMIT);
      const result = await applyConfig(deps, principalOf(event), body, expectedVersion);
      return changed(result, result);
    },
    'diff-config': async (event) =>
      json(200, await diffConfig(deps, principalOf(event), readJsonBody(event, CONFIG_BODY_LIMIT))),
    'get-config-version': async (event) => {
      const { version } = parsePath(event, ConfigVersionPathSchema);
      return json(200, stored(await configVersion(deps, principalOf(event), version)));
    },
    'restore-config': async (event) => {
      const { version, kind, id } = parseBody(event, RestoreBodySchema);
      const item = kind ? { kind, id: id ?? kind } : undefined;
      const result = await restoreConfig(deps, principalOf(event), version, item);
      return changed(result, result);
    },
    'get-config-section': async (event) => {
      const principal = principalOf(event);
      const { kind } = parsePath(event, ConfigSectionPathSchema);
      if (isCollectionKind(kind)) {
        const items = await listItems(deps, principal, kind);
        return json(200, { items: items.map(({ item, revision }) => ({ etag: etag(revision), item })) });
      }
      const { item, revision } = await readItem(deps, principal, kind, kind);
      return json(200, item, { etag: etag(revision) });
    },
    'put-config-section': async (event) => {
      const { kind } = parsePath(event, ConfigSectionPathSchema);
      if (isCollectionKind(kind)) {
        throw new NotFoundError(
          `${kind} is a list: PUT /admin/config/${kind}/{id} changes one of its items.`,
        );
      }
      const condition = requireIfMatch(event);
      const result = await putItem(deps, principalOf(event), kind, kind, readJsonBody(event), condition);
      return changed(result, result);
    },
    'get-config-item': async (event) => {
      const { kind, id } = parsePath(event, ConfigItemPathSchema);
      const { item, revision } = await readItem(deps, principalOf(event), kind, id);
      return json(200, item, { etag: etag(revision) });
    },
    'put-config-item': async (event) => {
      const path = parsePath(event, ConfigItemPathSchema);
      const { kind, id } = collectionOnly(path.kind, path.id);
      const condition = hasIfMatch(event) ? ifMatchCondition(event) : undefined;
      const result = await putItem(deps, principalOf(event), kind, id, readJsonBody(event), condition);
      return changed(result, result);
    },
    'delete-config-item': async (event) => {
      const path = parsePath(event, ConfigItemPathSchema);
      const { kind, id } = collectionOnly(path.kind, path.id);
      const { expectedVersion } = requireIfMatch(event);
      return json(200, await deleteItem(deps, principalOf(event), kind, id, expectedVersion));
    },
    'get-config-audit': async (event) => {
      const { kind, limit, cursor } = parseQuery(event, AuditQuerySchema);
      const page = { limit: limit ?? LIMITS.defaultPageSize, ...(cursor && { cursor }) };
      return json(200, await configRecords(deps, principalOf(event), kind, page));
    },
    'get-config-warnings': async (event) =>
      json(200, { warnings: await configWarnings(deps, principalOf(event)) }),
    'dry-run-policy': async (event) => {
      const { id } = parsePath(event, PolicyPathSchema);
      const { ticket, policy } = parseBody(event, DryRunBodySchema);
      return json(200, await dryRunPolicy(deps, principalOf(event), id, ticket, policy));
    },
  });
