import type { Calendar, ServicePolicy, VendorContract } from '#shared/domain/service-levels';
import type { RoutingRule, TierGroup } from '#shared/domain/ticket';

/**
 * The port to the desk's configuration: calendars, SLA policies, vendors and their contracts,
 * tier groups, category routing. Read on request paths with GetItem/Query only (never a Scan);
 * written by the seed today and by the admin API later. The DynamoDB adapter is
 * `adapters/dynamodb.ts`.
 *
 * Policies are versioned: a version, once published, never changes (tickets pin a copy of the
 * version they started with); publishing a newer version makes it the current one. A version
 * carries its calendar as it was when published — a changed calendar reaches new tickets with
 * the next policy version.
 */
export interface ConfigStore {
  getCalendar(id: string): Promise<Calendar | undefined>;
  listCalendars(): Promise<Calendar[]>;
  putCalendar(calendar: Calendar): Promise<void>;

  /** The current version of a policy, or the version asked for. */
  getPolicy(id: string, version?: number): Promise<ServicePolicy | undefined>;
  /**
   * Stores a new, immutable version and makes it current unless a newer one already is.
   * Publishing an existing version again is a ConflictError, unless it is identical (a replay).
   */
  publishPolicy(policy: ServicePolicy): Promise<void>;

  getVendor(vendorId: string): Promise<VendorContract | undefined>;
  listVendors(): Promise<VendorContract[]>;
  putVendor(vendor: VendorContract): Promise<void>;

  getGroup(id: string): Promise<TierGroup | undefined>;
  listGroups(): Promise<TierGroup[]>;
  putGroup(group: TierGroup): Promise<void>;

  /** Every routing rule, by category prefix (see `routeFor`). */
  routingRules(): Promise<RoutingRule[]>;
  putRoutingRule(rule: RoutingRule): Promise<void>;
}
