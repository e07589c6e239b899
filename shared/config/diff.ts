import { isDeepStrictEqual } from 'node:util';
import {
  COLLECTION_KINDS,
  type CollectionKind,
  type ConfigKind,
  type DeskConfig,
  itemId,
  SINGLETON_KINDS,
} from './desk.ts';

/**
 * What changes between two documents, item by item and field by field: what `tierdesk config
 * diff` shows, what an apply records in the audit log. A field is a path of object keys
 * (`targets.P1.resolution`); lists inside an item (holidays, addresses, spans) compare whole.
 */

export interface FieldChange {
  field: string;
  before?: unknown;
  after?: unknown;
}

export interface ItemChange {
  kind: ConfigKind;
  /** The item's id; a singleton's is its kind. */
  id: string;
  change: 'added' | 'removed' | 'changed';
  fields: FieldChange[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const fieldChanges = (before: unknown, after: unknown, prefix = ''): FieldChange[] => {
  if (isDeepStrictEqual(before, after)) return [];
  if (!isObject(before) || !isObject(after)) {
    return [
      {
        field: prefix,
        ...(before !== undefined && { before }),
        ...(after !== undefined && { after }),
      },
    ];
  }
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.flatMap((key) => fieldChanges(before[key], after[key], prefix ? `${prefix}.${key}` : key));
};

type Item = { id?: string; tier?: number };

const byId = (kind: CollectionKind, items: readonly Item[]) =>
  new Map(items.map((item) => [itemId(kind, item), item] as const));

/** Items compare without the version the desk stamps on policies: a new version is the result of a change, not one. */
const content = (item: unknown): unknown => {
  if (!isObject(item)) return item;
  const { version: _version, ...rest } = item;
  return rest;
};

export const configChanges = (before: DeskConfig, after: DeskConfig): ItemChange[] => {
  const changes: ItemChange[] = [];
  for (const kind of COLLECTION_KINDS) {
    const old = byId(kind, before[kind] as Item[]);
    const next = byId(kind, after[kind] as Item[]);
    for (const [id, item] of next) {
      const previous = old.get(id);
      if (!previous)
        changes.push({ kind, id, change: 'added', fields: fieldChanges(undefined, content(item)) });
      else {
        const fields = fieldChanges(content(previous), content(item));
        if (fields.length > 0) changes.push({ kind, id, change: 'changed', fields });
      }
    }
    for (const [id, item] of old) {
      if (!next.has(id))
        changes.push({ kind, id, change: 'removed', fields: fieldChanges(content(item), undefined) });
    }
  }
  for (const kind of SINGLETON_KINDS) {
    const fields = fieldChanges(before[kind], after[kind]);
    if (fields.length > 0) changes.push({ kind, id: kind, change: 'changed', fields });
  }
  return changes;
};

/**
 * Stamps policy versions: an unchanged policy keeps its version, a changed one gets the next
 * number, a new one starts after the highest version its id ever had (a deleted and re-created
 * policy never reuses a number tickets may have pinned).
 */
export const stampPolicyVersions = (
  before: DeskConfig,
  after: DeskConfig,
  highest: Readonly<Record<string, number>>,
): { document: DeskConfig; highest: Record<string, number> } => {
  const old = new Map(before.policies.map((policy) => [policy.id, policy]));
  const next = { ...highest };
  const policies = after.policies.map((policy) => {
    const previous = old.get(policy.id);
    if (previous && isDeepStrictEqual(content(previous), content(policy))) {
      return { ...policy, version: previous.version ?? 1 };
    }
    const version = Math.max(next[policy.id] ?? 0, previous?.version ?? 0) + 1;
    next[policy.id] = version;
    return { ...policy, version };
  });
  for (const policy of before.policies) next[policy.id] = Math.max(next[policy.id] ?? 0, policy.version ?? 1);
  return { document: { ...after, policies }, highest: next };
};
