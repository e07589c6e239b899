import type { Clock } from '#shared/domain/clock';
import { evaluateClocks } from '#shared/domain/clocks';
import {
  type FieldIssue,
  ForbiddenError,
  InUseError,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  UnprocessableError,
  VersionMismatchError,
} from '#shared/domain/errors';
import { canChangeConfig, canReadConfig } from '#shared/domain/policy';
import type { Principal } from '#shared/domain/principal';
import { TIERS } from '#shared/domain/ticket-fields';
import type * as z from '#shared/runtime/zod';
import type { Page, PageRequest } from '#shared/store/query-page';
import type { TicketStore } from '#shared/tickets/ticket-store';
import { servicePolicy } from './compile.ts';
import type { ConfigAction, ConfigRecord, ConfigStore, StoredConfig } from './config-store.ts';
import {
  type CollectionKind,
  type ConfigKind,
  type DeskConfig,
  DeskConfigSchema,
  ITEM_SCHEMAS,
  isCollectionKind,
  itemId,
  type SingletonKind,
} from './desk.ts';
import { configChanges, type ItemChange, stampPolicyVersions } from './diff.ts';
import { configIssues } from './validate.ts';

/**
 * The admin side of the configuration: read it, change it whole (`apply`) or item by item, delete
 * what nothing uses, restore what was, read the audit log. Every change is validated as a whole
 * document, stored as one new version (see `ConfigStore`), and needs the ETag of what it changes.
 */

export interface AdminDeps {
  configs: ConfigStore;
  clock: Clock;
  /** Tickets: what a dry run is computed for, and the open ones that still use what a change removes. */
  tickets: Pick<TicketStore, 'getTicket' | 'ticketWithHistory' | 'tierQueue'>;
}

/** What a change did: the new version, or the current one when there was nothing to change. */
export interface ChangeResult {
  version: number;
  changed: boolean;
  changes: ItemChange[];
}

const requireRead = (principal: Principal) => {
  if (!canReadConfig(principal))
    throw new ForbiddenError('Only supervisors and admins read the configuration.');
};
const requireChange = (principal: Principal) => {
  if (!canChangeConfig(principal)) throw new ForbiddenError('Only admins change the configuration.');
};

const fieldOf = (prefix: string, path: readonly PropertyKey[]): string =>
  [prefix, ...path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))].join('');

/** Each problem at its field; an unknown key is named itself (`body.bogus`), not its object. */
const zodIssues = (error: z.core.$ZodError, prefix: string): FieldIssue[] =>
  error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          field: fieldOf(prefix, [...issue.path, key]),
          message: 'is not a known field',
        }))
      : [{ field: fieldOf(prefix, issue.path), message: issue.message }],
  );

const invalid = (issues: FieldIssue[]) =>
  new UnprocessableError(
    `The configuration is not valid: ${issues.map((issue) => `${issue.field} ${issue.message}`).join('; ')}.`,
    issues,
  );

/** A whole document, as a client sent it: its shape, then its references (422 naming each field). */
export const parseDocument = (input: unknown, prefix = 'body'): DeskConfig => {
  const result = DeskConfigSchema.safeParse(input);
  if (!result.success) throw invalid(zodIssues(result.error, prefix));
  return result.data;
};

const itemKey = (kind: ConfigKind, id: string) => `${kind}/${id}`;

/** An item's ETag: the document version in which it last changed (0: as built in or never changed). */
const itemRevision = (stored: StoredConfig, kind: ConfigKind, id: string): number =>
  stored.revisions[itemKey(kind, id)] ?? 0;

export const readConfig = async (deps: AdminDeps, principal: Principal): Promise<StoredConfig> => {
  requireRead(principal);
  return deps.configs.current({ consistent: true });
};

/** The changes a document would make, without making them (`tierdesk config diff`). */
export const diffConfig = async (
  deps: AdminDeps,
  principal: Principal,
  input: unknown,
): Promise<{ version: number; changes: ItemChange[] }> => {
  requireRead(principal);
  const next = parseDocument(input);
  rejectIssues(next, (field) => `body.${field}`);
  const base = await deps.configs.current({ consistent: true });
  return { version: base.version, changes: configChanges(base.document, next) };
};

const rejectIssues = (document: DeskConfig, rename: (field: string) => string) => {
  const issues = configIssues(document);
  if (issues.length > 0) throw invalid(issues.map((issue) => ({ ...issue, field: rename(issue.field) })));
};

interface Change {
  action: ConfigAction;
  restoredFrom?: number;
  /** The next document from the current one; throws when the change no longer applies. */
  next: (base: StoredConfig) => DeskConfig;
  rename?: (field: string) => string;
  /** Checked on the document the change would produce, before it is stored. */
  guard?: (next: DeskConfig, base: StoredConfig) => Promise<void>;
}

/** Lost races with another admin's change are recomputed this often before a 409. */
const COMMIT_ATTEMPTS = 3;

const commitChange = async (deps: AdminDeps, principal: Principal, change: Change): Promise<ChangeResult> => {
  for (let attempt = 1; ; attempt++) {
    const base = await deps.configs.current({ consistent: true });
    const wanted = change.next(base);
    rejectIssues(wanted, change.rename ?? ((field) => `body.${field}`));
    await change.guard?.(wanted, base);
    const { document, highest } = stampPolicyVersions(base.document, wanted, base.policyVersions);
    const changes = configChanges(base.document, document);
    if (changes.length === 0) return { version: base.version, changed: false, changes };
    const version = base.version + 1;
    const revisions = { ...base.revisions };
    for (const item of changes) revisions[itemKey(item.kind, item.id)] = version;
    try {
      await deps.configs.commit({
        expected: base.version,
        document,
        policyVersions: highest,
        revisions,
        record: {
          at: deps.clock.now().toISOString(),
          by: principal.id,
          action: change.action,
          ...(change.restoredFrom !== undefined && { restoredFrom: change.restoredFrom }),
          changes,
        },
      });
      return { version, changed: true, changes };
    } catch (error) {
      if (!(error instanceof VersionMismatchError) || attempt >= COMMIT_ATTEMPTS) throw error;
    }
  }
};

/**
 * Applies a whole document: validated, compared, stored as one version — or nothing at all when
 * it equals the current one (no version, no audit record). `expected` is the document version the
 * caller read (If-Match); `*` (undefined) applies over whatever is current.
 */
export const applyConfig = async (
  deps: AdminDeps,
  principal: Principal,
  input: unknown,
  expected: number | undefined,
): Promise<ChangeResult> => {
  requireChange(principal);
  const document = parseDocument(input);
  return commitChange(deps, principal, {
    action: 'apply',
    next: (base) => {
      if (expected !== undefined && base.version !== expected) {
        throw new VersionMismatchError(expected, base.version, 'The configuration');
      }
      return document;
    },
    guard: (next, base) => refuseRemovalsInUse(deps, base.document, next),
  });
};

const requireRevision = (
  stored: StoredConfig,
  kind: ConfigKind,
  id: string,
  expected: number | undefined,
) => {
  const actual = itemRevision(stored, kind, id);
  if (expected !== undefined && expected !== actual) {
    throw new PreconditionFailedError(
      `${kind}/${id} has changed since version ${expected} (it is at ${actual}); read it again and retry.`,
    );
  }
};

const itemsOf = (document: DeskConfig, kind: CollectionKind) =>
  document[kind] as readonly { id?: string; tier?: number }[];

const findItem = (document: DeskConfig, kind: ConfigKind, id: string): unknown => {
  if (!isCollectionKind(kind)) return document[kind];
  return itemsOf(document, kind).find((item) => itemId(kind, item) === id);
};

/** One item (or a singleton) with its ETag. */
export const readItem = async (deps: AdminDeps, principal: Principal, kind: ConfigKind, id: string) => {
  requireRead(principal);
  const stored = await deps.configs.current({ consistent: true });
  const item = findItem(stored.document, kind, id);
  if (item === undefined) throw new NotFoundError(`There is no ${kind} item ${id}.`);
  return { item, revision: itemRevision(stored, kind, id) };
};

/** Every item of a kind, with the ETag of each. */
export const listItems = async (deps: AdminDeps, principal: Principal, kind: CollectionKind) => {
  requireRead(principal);
  const stored = await deps.configs.current({ consistent: true });
  return itemsOf(stored.document, kind).map((item) => ({
    item,
    revision: itemRevision(stored, kind, itemId(kind, item)),
  }));
};

const bodyField = (kind: ConfigKind, index: number) => (field: string) => {
  const at = isCollectionKind(kind) ? `${kind}[${index}]` : kind;
  if (field === at) return 'body';
  return field.startsWith(`${at}.`) || field.startsWith(`${at}[`)
    ? `body${field.slice(at.length).replace(/^(?=\[)/, '')}`
    : field;
};

const parseItem = (kind: ConfigKind, id: string, input: unknown) => {
  const result = ITEM_SCHEMAS[kind].safeParse(input);
  if (!result.success) throw invalid(zodIssues(result.error, 'body'));
  const item = result.data as { id?: string; tier?: number };
  if (isCollectionKind(kind) && itemId(kind, item) !== id) {
    const field = kind === 'tiers' ? 'body.tier' : 'body.id';
    throw invalid([{ field, message: `must be ${id}, the id in the path` }]);
  }
  return item;
};

/**
 * Creates or replaces one item (a singleton: replaces it). An existing item needs its ETag
 * (`expected`, from If-Match; `*` is undefined); a new one is created only if it does not exist.
 */
export const putItem = async (
  deps: AdminDeps,
  principal: Principal,
  kind: ConfigKind,
  id: string,
  input: unknown,
  /** If-Match: absent (undefined) creates only; `*` is `{}`; an ETag is `{ expectedVersion }`. */
  condition: { expectedVersion?: number } | undefined,
): Promise<ChangeResult & { revision: number }> => {
  requireChange(principal);
  const item = parseItem(kind, id, input);
  let index = 0;
  let before = 0;
  const result = await commitChange(deps, principal, {
    action: 'put',
    next: (base) => {
      before = itemRevision(base, kind, id);
      const exists = findItem(base.document, kind, id) !== undefined;
      if (exists && condition === undefined) {
        throw new PreconditionRequiredError(
          `${kind}/${id} exists: send If-Match with its ETag (from GET /admin/config/${kind}${isCollectionKind(kind) ? `/${id}` : ''}).`,
        );
      }
      requireRevision(base, kind, id, condition?.expectedVersion);
      if (!isCollectionKind(kind)) return { ...base.document, [kind as SingletonKind]: item };
      const items = [...itemsOf(base.document, kind)];
      const at = items.findIndex((candidate) => itemId(kind, candidate) === id);
      index = at < 0 ? items.length : at;
      items.splice(index, at < 0 ? 0 : 1, item);
      return { ...base.document, [kind]: items };
    },
    rename: (field) => bodyField(kind, index)(field),
    // Routing replaced whole may drop a category route open tickets were filed under.
    guard: (next, base) => refuseRemovalsInUse(deps, base.document, next),
  });
  // The item's ETag: the new version if this change touched it, else the one it had.
  const touched = result.changes.some((change) => change.kind === kind && change.id === id);
  return { ...result, revision: touched ? result.version : before };
};

/** Removes an item that neither the configuration nor an open ticket uses (409 naming the users). */
export const deleteItem = async (
  deps: AdminDeps,
  principal: Principal,
  kind: CollectionKind,
  id: string,
  expected: number | undefined,
): Promise<ChangeResult> => {
  requireChange(principal);
  return commitChange(deps, principal, {
    action: 'delete',
    next: (base) => {
      if (findItem(base.document, kind, id) === undefined)
        throw new NotFoundError(`There is no ${kind} item ${id}.`);
      requireRevision(base, kind, id, expected);
      const next = {
        ...base.document,
        [kind]: itemsOf(base.document, kind).filter((item) => itemId(kind, item) !== id),
      } as DeskConfig;
      const users = configIssues(next).map((issue) => issue.field);
      if (users.length > 0) {
        throw new InUseError(
          `${kind}/${id} is still used by ${users.join(', ')}; change those first.`,
          users,
        );
      }
      return next;
    },
    guard: (next, base) => refuseRemovalsInUse(deps, base.document, next),
  });
};

/**
 * How many open tickets a refusal lists (the whole count is not needed to know what to do): the
 * queues are read until that many are found, so a refusal costs reads in proportion to the backlog
 * only when nothing uses what is removed — an admin action, not a request path of the desk's work.
 */
const USERS_LISTED = 20;

/**
 * Groups, vendors, policies and category routes that open tickets still name cannot go: the
 * tickets are listed so they can be moved first. Reads the tier queues (an index), never a Scan.
 */
const refuseRemovalsInUse = async (deps: AdminDeps, before: DeskConfig, after: DeskConfig): Promise<void> => {
  const gone = <T>(items: readonly T[], next: readonly T[], id: (item: T) => string) => {
    const kept = new Set(next.map(id));
    return new Set(items.map(id).filter((candidate) => !kept.has(candidate)));
  };
  const groups = gone(before.groups, after.groups, (group) => group.id);
  const vendors = gone(before.vendors, after.vendors, (vendor) => vendor.id);
  const policies = gone(before.policies, after.policies, (policy) => policy.id);
  // A category route taken away: open tickets of that category (or below it) still use it.
  const categories = gone(before.routing.categories, after.routing.categories, (route) => route.category);
  const routedBy = (category: string | undefined) =>
    category === undefined
      ? undefined
      : [...categories].find((removed) => category === removed || category.startsWith(`${removed}/`));
  if (groups.size + vendors.size + policies.size + categories.size === 0) return;
  const users: string[] = [];
  for (const tier of TIERS) {
    let cursor: string | undefined;
    do {
      const page = await deps.tickets.tierQueue(tier, undefined, { limit: 100, ...(cursor && { cursor }) });
      for (const ticket of page.items) {
        const uses: string[] = [];
        if (groups.has(ticket.group)) uses.push(`group ${ticket.group}`);
        if (ticket.vendorId && vendors.has(ticket.vendorId)) uses.push(`vendor ${ticket.vendorId}`);
        const policy = ticket.clocks.policy?.id;
        if (policy && policies.has(policy)) uses.push(`policy ${policy}`);
        const route = routedBy(ticket.category);
        if (route) uses.push(`category ${route}`);
        if (uses.length > 0) users.push(`ticket #${ticket.number} (${uses.join(', ')})`);
      }
      cursor = page.nextCursor;
    } while (cursor && users.length < USERS_LISTED);
  }
  if (users.length > 0) {
    throw new InUseError(`Open tickets still use what this change removes: ${users.join('; ')}.`, users);
  }
};

/**
 * Brings back an earlier version: the whole document, or one item of it (an item the earlier
 * version did not have is removed). A restore is itself a change, audited with the version it
 * restored from.
 */
export const restoreConfig = async (
  deps: AdminDeps,
  principal: Principal,
  from: number,
  item?: { kind: ConfigKind; id: string },
): Promise<ChangeResult> => {
  requireChange(principal);
  const earlier = await deps.configs.version(from);
  if (!earlier) throw new NotFoundError(`There is no configuration version ${from}.`);
  return commitChange(deps, principal, {
    action: 'restore',
    restoredFrom: from,
    next: (base) => {
      if (!item) return earlier.document;
      const { kind, id } = item;
      const old = findItem(earlier.document, kind, id);
      if (!isCollectionKind(kind)) return { ...base.document, [kind]: old };
      const items = itemsOf(base.document, kind).filter((candidate) => itemId(kind, candidate) !== id);
      const at = itemsOf(base.document, kind).findIndex((candidate) => itemId(kind, candidate) === id);
      if (old !== undefined) items.splice(at < 0 ? items.length : at, 0, old as never);
      return { ...base.document, [kind]: items } as DeskConfig;
    },
    guard: (next, base) => refuseRemovalsInUse(deps, base.document, next),
  });
};

export const configRecords = async (
  deps: AdminDeps,
  principal: Principal,
  kind: ConfigKind | undefined,
  page: PageRequest,
): Promise<Page<ConfigRecord>> => {
  requireRead(principal);
  return deps.configs.records(kind, page);
};

export const configVersion = async (deps: AdminDeps, principal: Principal, version: number) => {
  requireRead(principal);
  const stored = await deps.configs.version(version);
  if (!stored) throw new NotFoundError(`There is no configuration version ${version}.`);
  return stored;
};

const DAY_MS = 24 * 60 * 60 * 1000;
/** A calendar whose listed holidays end sooner than this is reported: next year's are missing. */
const HOLIDAY_HORIZON_DAYS = 60;

export interface ConfigWarning {
  field: string;
  message: string;
}

/** What an admin should fix before it bites: calendars whose holidays run out within 60 days. */
export const configWarnings = async (deps: AdminDeps, principal: Principal): Promise<ConfigWarning[]> => {
  requireRead(principal);
  const { document } = await deps.configs.current();
  const horizon = new Date(deps.clock.now().getTime() + HOLIDAY_HORIZON_DAYS * DAY_MS)
    .toISOString()
    .slice(0, 10);
  return document.calendars.flatMap((calendar, index) => {
    if (calendar.alwaysOpen) return [];
    const last = calendar.holidays
      .map((holiday) => holiday.date)
      .sort()
      .at(-1);
    if (last !== undefined && last >= horizon) return [];
    return [
      {
        field: `calendars[${index}].holidays`,
        message: last
          ? `${calendar.id}: holidays are listed only until ${last}; add the next year's before then, or tickets will count them as working days`
          : `${calendar.id}: no holidays are listed; add the public holidays, or tickets will count them as working days`,
      },
    ];
  });
};

/** When each clock of the ticket would warn and breach under a policy, if nothing else changes. */
export interface DryRun {
  ticket: number;
  policy: { id: string; version: number };
  clocks: { clock: string; key: string; status: string; warnsAt?: string; breachesAt?: string }[];
}

/**
 * The what-if of a policy for one ticket: the ticket's clock facts (what happened to it so far)
 * under the stored policy, or under an unsaved draft, on the current calendars. The same engine
 * the workflow runs computes it, so the answer is the instants the workflow would act at.
 */
export const dryRunPolicy = async (
  deps: AdminDeps,
  principal: Principal,
  policyId: string,
  ticketNumber: number,
  draft?: unknown,
): Promise<DryRun> => {
  requireRead(principal);
  const { document } = await deps.configs.current({ consistent: true });
  let policies = document.policies;
  if (draft !== undefined) {
    const item = parseItem('policies', policyId, draft);
    policies = [
      ...policies.filter((policy) => policy.id !== policyId),
      item as DeskConfig['policies'][number],
    ];
  }
  const next = { ...document, policies };
  rejectIssues(next, bodyField('policies', policies.length - 1));
  const policy = policies.find((candidate) => candidate.id === policyId);
  if (!policy) throw new NotFoundError(`There is no policy ${policyId}.`);
  // Under another policy every clock is computed again: from the whole history of the facts.
  const ticket = await deps.tickets.ticketWithHistory(ticketNumber);
  if (!ticket) throw new NotFoundError(`Ticket #${ticketNumber} does not exist.`);
  const pinned = servicePolicy(next, { ...policy, version: policy.version ?? 1 });
  const view = evaluateClocks({
    facts: ticket.clocks.facts,
    applied: [],
    policy: pinned,
    ...(ticket.clocks.vendor && { vendor: ticket.clocks.vendor }),
    now: deps.clock.now(),
  });
  const at = (key: string, kind: 'warning' | 'breach') =>
    view.events.find((event) => event.key === `${key}.${kind}`)?.at;
  return {
    ticket: ticket.number,
    policy: { id: pinned.id, version: pinned.version },
    clocks: view.clocks.map((clock) => {
      const warnsAt = at(clock.key, 'warning');
      const breachesAt = at(clock.key, 'breach');
      return {
        clock: clock.clock,
        key: clock.key,
        status: clock.status,
        ...(warnsAt && { warnsAt }),
        ...(breachesAt && { breachesAt }),
      };
    }),
  };
};
