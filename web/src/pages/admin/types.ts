import type { output } from 'zod';
import type {
  ChangeResultSchema,
  ConfigDiffSchema,
  ConfigRecordPageSchema,
  ConfigWarningsSchema,
  DeskConfigSchema,
  DryRunSchema,
  StoredConfigSchema,
} from '#shared/http/config-schemas';
import type { PersonPageSchema, PersonSchema, ReassignReportSchema } from '#shared/http/people-schemas';

/**
 * The admin pages' types: the API's own schemas (type-only imports, no schema code in the
 * browser), and the parts of the configuration document each editor edits.
 */

export type DeskConfig = output<typeof DeskConfigSchema>;
export type StoredConfig = output<typeof StoredConfigSchema>;
export type ChangeResult = output<typeof ChangeResultSchema>;
export type ConfigDiff = output<typeof ConfigDiffSchema>;
export type ItemChange = ConfigDiff['changes'][number];
export type ConfigRecordPage = output<typeof ConfigRecordPageSchema>;
export type ConfigRecord = ConfigRecordPage['items'][number];
export type ConfigWarnings = output<typeof ConfigWarningsSchema>;
export type DryRun = output<typeof DryRunSchema>;

export type Calendar = DeskConfig['calendars'][number];
export type Policy = DeskConfig['policies'][number];
export type TierItem = DeskConfig['tiers'][number];
export type Group = DeskConfig['groups'][number];
export type Vendor = DeskConfig['vendors'][number];
export type Routing = DeskConfig['routing'];
export type Settings = DeskConfig['settings'];

export type Person = output<typeof PersonSchema>;
export type PersonPage = output<typeof PersonPageSchema>;
export type ReassignReport = output<typeof ReassignReportSchema>;

/** The kinds that are lists of items, and the one-of-a-kind parts (as `shared/config/desk.ts` has them). */
export type CollectionKind = 'calendars' | 'policies' | 'tiers' | 'groups' | 'vendors';
export type SingletonKind = 'routing' | 'settings';
export type ConfigKind = CollectionKind | SingletonKind;

/** `GET /admin/config/{kind}` of a list: each item with its own ETag. */
export interface Section<T> {
  items: { etag: string; item: T }[];
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export const LEVELS = ['high', 'medium', 'low'] as const;
export const ROLES = ['requester', 'agent', 'supervisor', 'admin', 'ops'] as const;
export const ASSIGNMENT_MODES = ['manual', 'round_robin', 'least_loaded'] as const;
