import { CALENDARS } from './calendars.tsx';
import { GROUPS, TIERS } from './groups.tsx';
import type { AnySpec } from './kind-spec.ts';
import { POLICIES } from './policies.tsx';
import { ROUTING, SETTINGS } from './routing.tsx';
import type { ConfigKind, DeskConfig } from './types.ts';
import { VENDORS } from './vendors.tsx';

/** The parts of the configuration, in the order the pages list them. */
export const KINDS: Record<ConfigKind, AnySpec> = {
  calendars: CALENDARS,
  policies: POLICIES,
  groups: GROUPS,
  vendors: VENDORS,
  routing: ROUTING,
  tiers: TIERS,
  settings: SETTINGS,
};

export const KIND_ORDER = Object.keys(KINDS) as ConfigKind[];

export const isKind = (kind: string): kind is ConfigKind => Object.hasOwn(KINDS, kind);

/** What the overview says of a part: how many items, how many routes. */
export const kindCount = (kind: ConfigKind, document: DeskConfig): string => {
  switch (kind) {
    case 'routing':
      return `${document.routing.categories.length} category routes, default ${document.routing.default}`;
    case 'settings':
      return `time zone ${document.settings.timeZone}`;
    default: {
      const count = document[kind].length;
      return `${count} ${count === 1 ? KINDS[kind].one : (KINDS[kind].plural ?? KINDS[kind].title.toLowerCase())}`;
    }
  }
};

/**
 * Where a field of the document is edited: `calendars[0].holidays` → the editor of the first
 * calendar (by its id in `document`), `routing.default` → the routing page.
 */
export const editorOf = (field: string, document: DeskConfig | undefined): string | undefined => {
  const match = /^(\w+)(?:\[(\d+)\])?/.exec(field);
  const kind = match?.[1];
  if (!kind || !isKind(kind)) return undefined;
  const index = match?.[2];
  const spec = KINDS[kind];
  if (index === undefined || !document || !spec.idOf || kind === 'routing' || kind === 'settings') {
    return `/admin/config/${kind}`;
  }
  const item = (document[kind] as unknown[])[Number(index)];
  return item === undefined
    ? `/admin/config/${kind}`
    : `/admin/config/${kind}?item=${encodeURIComponent(spec.idOf(item))}`;
};
