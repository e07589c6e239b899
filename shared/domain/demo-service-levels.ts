import { calendar24x7 } from './calendar.ts';
import type { Calendar, ServicePolicy, VendorContract } from './service-levels.ts';
import type { RoutingRule, TierGroup } from './ticket.ts';

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

export const DEMO_CALENDAR_24X7: Calendar = calendar24x7('24x7', 'Around the clock', 'Europe/Berlin');

const WORKDAY = [['09:00', '17:00']] as const;

/** Mon–Fri 09:00–17:00 Berlin time, without Germany's public holidays and Berlin's Women's Day. */
export const DEMO_BUSINESS_HOURS: Calendar = {
  id: 'business-hours',
  name: 'Business hours (Berlin)',
  timeZone: 'Europe/Berlin',
  weekly: { mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY },
  holidays: [
    // 2026: New Year, Women's Day (Berlin), Good Friday, Easter Monday, Labour Day, Ascension,
    // Whit Monday, German Unity Day, Christmas.
    '2026-01-01',
    '2026-03-08',
    '2026-04-03',
    '2026-04-06',
    '2026-05-01',
    '2026-05-14',
    '2026-05-25',
    '2026-10-03',
    '2026-12-25',
    '2026-12-26',
    // 2027, the same days.
    '2027-01-01',
    '2027-03-08',
    '2027-03-26',
    '2027-03-29',
    '2027-05-01',
    '2027-05-06',
    '2027-05-17',
    '2027-10-03',
    '2027-12-25',
    '2027-12-26',
  ],
};

export const DEMO_CALENDARS: readonly Calendar[] = [DEMO_CALENDAR_24X7, DEMO_BUSINESS_HOURS];

/**
 * `standard` v1. All priorities run on business hours, P1 included: the desk is staffed on
 * weekdays only, and a policy has one calendar, so a round-the-clock P1 target would only record
 * breaches at night that nobody could have prevented. A desk with an on-call rota would pin a
 * policy on the 24×7 calendar instead. Next response matches first response: a waiting
 * requester is owed an answer as quickly as a new one.
 */
export const DEMO_STANDARD_POLICY: ServicePolicy = {
  id: 'standard',
  version: 1,
  calendar: DEMO_BUSINESS_HOURS,
  sla: {
    P1: { firstResponse: 1 * HOUR, nextResponse: 1 * HOUR, resolution: 4 * HOUR },
    P2: { firstResponse: 2 * HOUR, nextResponse: 2 * HOUR, resolution: 1 * BUSINESS_DAY },
    P3: { firstResponse: 4 * HOUR, nextResponse: 4 * HOUR, resolution: 3 * BUSINESS_DAY },
    P4: { firstResponse: 1 * BUSINESS_DAY, nextResponse: 1 * BUSINESS_DAY, resolution: 5 * BUSINESS_DAY },
  },
  ola: { 1: 2 * HOUR, 2: 1 * BUSINESS_DAY, 3: 3 * BUSINESS_DAY },
  warnAt: 0.75,
  onHoldPausesSla: true,
  reopenWindow: 5 * WALL_DAY,
  pendingReminder: 3 * WALL_DAY,
  pendingAutoClose: 7 * WALL_DAY,
};

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
