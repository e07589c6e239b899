import type { Page, PageRequest } from '#shared/store/query-page';
import type { ConfigKind, DeskConfig } from './desk.ts';
import type { ItemChange } from './diff.ts';

/**
 * The port to the desk's configuration: one document, stored whole as a new version on every
 * change, with the current version in one item that new work reads (GetItem, never a Scan). A
 * change is one DynamoDB transaction: the new version, its audit records and the swap of the
 * current pointer, conditional on the version the change was computed from — so a failure half-way
 * changes nothing and two admins cannot overwrite each other. The adapter is `adapters/dynamodb.ts`.
 */

export interface StoredConfig {
  /** 0 is the built-in document, before the first change. */
  version: number;
  document: DeskConfig;
  /** The highest version each policy id ever had (a re-created policy never reuses a number). */
  policyVersions: Record<string, number>;
  /** The document version in which each item (`kind/id`) last changed: the item's ETag. */
  revisions: Record<string, number>;
  at?: string;
  by?: string;
}

export type ConfigAction = 'apply' | 'put' | 'delete' | 'restore';

/** One change of the document, as the audit log shows it. */
export interface ConfigRecord {
  version: number;
  at: string;
  by: string;
  action: ConfigAction;
  /** A restore names the version it brought back. */
  restoredFrom?: number;
  changes: ItemChange[];
}

export interface ConfigCommit {
  /** The version the change was computed from; the commit fails if another is current. */
  expected: number;
  document: DeskConfig;
  policyVersions: Record<string, number>;
  revisions: Record<string, number>;
  record: Omit<ConfigRecord, 'version'>;
}

export interface ConfigStore {
  current(options?: { consistent?: boolean }): Promise<StoredConfig>;
  /**
   * The current version's number, from a small item of its own; undefined where none was written
   * yet (no change since the pointer was introduced: read `current()` then).
   */
  currentVersion?(): Promise<number | undefined>;
  /** An earlier (or the current) version, as it was stored. */
  version(version: number): Promise<StoredConfig | undefined>;
  /** The changes, newest first; with a kind, only the changes that touched it. */
  records(kind: ConfigKind | undefined, page: PageRequest): Promise<Page<ConfigRecord>>;
  /** Stores the next version; a VersionMismatchError when `expected` is no longer current. */
  commit(commit: ConfigCommit): Promise<number>;
}
