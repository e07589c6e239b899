import type { Clock } from '#shared/domain/clock';
import type { PriorityMatrix } from '#shared/domain/priority';
import type { Calendar, ServicePolicy, VendorContract } from '#shared/domain/service-levels';
import type { RoutingRule, TierGroup } from '#shared/domain/ticket';
import type { Priority } from '#shared/domain/ticket-fields';
import {
  calendarById,
  liveServiceLevels,
  policyForPriority,
  routingRules,
  servicePolicy,
  toTierGroup,
  toVendorContract,
} from './compile.ts';
import type { ConfigStore, StoredConfig } from './config-store.ts';

/**
 * The configuration as the desk's work reads it — tickets, the workflow, mail — in the domain's
 * shapes. It reads which version is current (one GetItem of a small item) at most once per
 * `ttlMs` — with 0, on every use, so a change applies to the very next ticket — and the document
 * of a version only the first time it sees that version: a version never changes once written,
 * so the container keeps it. A change reaches every function within `ttlMs`, without a redeploy.
 */
export interface ConfigReader {
  current(): Promise<StoredConfig>;
  getCalendar(id: string): Promise<Calendar | undefined>;
  /** The current version of a policy. */
  getPolicy(id: string): Promise<ServicePolicy | undefined>;
  /** The policy a ticket of this priority pins at triage (`settings.policies`). */
  policyFor(priority: Priority): Promise<ServicePolicy>;
  getVendor(vendorId: string): Promise<VendorContract | undefined>;
  listVendors(): Promise<VendorContract[]>;
  getGroup(id: string): Promise<TierGroup | undefined>;
  /** Category routes, longest prefix wins (see `routeFor`). */
  routingRules(): Promise<RoutingRule[]>;
  priorityMatrix(): Promise<PriorityMatrix>;
  orgDomains(): Promise<readonly string[]>;
  /** How a pinned policy reads today: its calendars and the tiers' OLAs as currently configured. */
  liveServiceLevels(): Promise<(pinned: ServicePolicy) => ServicePolicy>;
}

/** Versions a reader keeps: the current one and a few before it (a rollback, a slow function). */
const KEPT_VERSIONS = 4;

export const configReader = (
  store: ConfigStore,
  { ttlMs = 0, clock }: { ttlMs?: number; clock?: Clock } = {},
) => {
  let cached: { at: number; value: Promise<StoredConfig> } | undefined;
  const now = () => (clock ? clock.now().getTime() : Date.now());
  /** Documents by version: immutable once written, so never read twice (the newest few are kept). */
  const versions = new Map<number, Promise<StoredConfig>>();
  const documentOf = (version: number): Promise<StoredConfig> => {
    let document = versions.get(version);
    if (!document) {
      // A pointer ahead of its version item cannot be (one transaction writes both): fall back all the same.
      document = store.version(version).then((stored) => stored ?? store.current());
      versions.set(version, document);
      document.catch(() => versions.delete(version));
      for (const old of versions.keys()) if (versions.size > KEPT_VERSIONS) versions.delete(old);
    }
    return document;
  };
  const read = async (): Promise<StoredConfig> => {
    const version = await store.currentVersion?.();
    return version === undefined ? store.current() : documentOf(version);
  };
  const current = (): Promise<StoredConfig> => {
    if (!cached || now() - cached.at >= ttlMs || ttlMs <= 0) {
      const value = read();
      // A failed read is not remembered.
      value.catch(() => {
        cached = undefined;
      });
      cached = { at: now(), value };
    }
    return cached.value;
  };
  const desk = async () => (await current()).document;
  const reader: ConfigReader = {
    current,
    getCalendar: async (id) => calendarById(await desk(), id),
    getPolicy: async (id) => {
      const config = await desk();
      const policy = config.policies.find((candidate) => candidate.id === id);
      return policy && servicePolicy(config, policy);
    },
    policyFor: async (priority) => policyForPriority(await desk(), priority),
    getVendor: async (vendorId) => {
      const config = await desk();
      const vendor = config.vendors.find((candidate) => candidate.id === vendorId);
      return vendor && toVendorContract(config, vendor);
    },
    listVendors: async () => {
      const config = await desk();
      return config.vendors.map((vendor) => toVendorContract(config, vendor));
    },
    getGroup: async (id) => {
      const group = (await desk()).groups.find((candidate) => candidate.id === id);
      return group && toTierGroup(group);
    },
    routingRules: async () => routingRules(await desk()),
    priorityMatrix: async () => (await desk()).settings.priorityMatrix,
    orgDomains: async () => (await desk()).settings.orgDomains,
    liveServiceLevels: async () => {
      const config = await desk();
      return (pinned) => liveServiceLevels(config, pinned);
    },
  };
  return reader;
};
