import { BUILT_IN_BUSINESS_HOURS, BUILT_IN_POLICY } from '#shared/config/built-in-policy';
import { calendar24x7 } from '#shared/domain/calendar';
import type { Calendar, ServicePolicy, VendorContract } from '#shared/domain/service-levels';
import type { RoutingRule, TierGroup } from '#shared/domain/ticket';

/**
 * The service levels a fresh desk starts with (the local stack seeds them; the admin API may
 * replace them): an IT help desk in Berlin, staffed on weekdays. SLA/OLA/UC targets are business
 * time; the reopen window, pending reminder/auto-close and vendor reminders are wall time.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WALL_DAY = 24 * HOUR;
/** A business day of the business-hours calendar (09:00–17:00). */
const BUSINESS_DAY = 8 * HOUR;

const DEMO_CALENDAR_24X7: Calendar = calendar24x7('24x7', 'Around the clock', 'Europe/Berlin');

/** Mon–Fri 09:00–17:00 Berlin time, without public holidays: the built-in policy's calendar. */
export const DEMO_BUSINESS_HOURS: Calendar = BUILT_IN_BUSINESS_HOURS;

export const DEMO_CALENDARS: readonly Calendar[] = [DEMO_CALENDAR_24X7, DEMO_BUSINESS_HOURS];

/** The built-in `standard` policy: the demo desk publishes it as version 1. */
export const DEMO_STANDARD_POLICY: ServicePolicy = BUILT_IN_POLICY;

/** The printer vendor's underpinning contract: business hours of the desk's calendar. */
export const DEMO_PRINTER_VENDOR: VendorContract = {
  vendorId: 'printix',
  name: 'Printix printer service',
  email: 'vendor@printer-vendor.example',
  calendar: DEMO_BUSINESS_HOURS,
  response: 4 * HOUR,
  resolution: 3 * BUSINESS_DAY,
  reminderEvery: 1 * WALL_DAY,
};

export const DEMO_VENDORS: readonly VendorContract[] = [DEMO_PRINTER_VENDOR];

/** The tier groups: each tier's default group, plus Tier 2's security specialists. */
export const DEMO_TIER_GROUPS: readonly TierGroup[] = [
  { id: 'tier1', tier: 1, name: 'Service desk', assignment: 'round_robin' },
  { id: 'tier2', tier: 2, name: 'Specialists', assignment: 'least_loaded' },
  { id: 'tier2-security', tier: 2, name: 'Security specialists', assignment: 'manual' },
  { id: 'tier3', tier: 3, name: 'Engineering', assignment: 'manual' },
];

/** Category routing: security incidents skip the service desk; everything else starts at Tier 1. */
export const DEMO_ROUTING: readonly RoutingRule[] = [
  { categoryPrefix: 'network', tier: 1, group: 'tier1' },
  { categoryPrefix: 'hardware/printer', tier: 1, group: 'tier1' },
  { categoryPrefix: 'security/incident', tier: 2, group: 'tier2-security' },
];
