import type { Calendar, ServicePolicy } from '#shared/domain/service-levels';

/**
 * The service levels a fresh deployment runs on until a policy named `standard` is published
 * (the local stack's demo desk publishes this very policy): an IT help desk in Berlin, staffed on
 * weekdays. SLA/OLA targets are business time; the reopen window and the pending reminder and
 * auto-close are wall time.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WALL_DAY = 24 * HOUR;
/** A business day of the business-hours calendar (09:00–17:00). */
const BUSINESS_DAY = 8 * HOUR;

const WORKDAY = [['09:00', '17:00']] as const;

/** Mon–Fri 09:00–17:00 Berlin time, without Germany's public holidays and Berlin's Women's Day. */
export const BUILT_IN_BUSINESS_HOURS: Calendar = {
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

/** The id of the policy new tickets pin (its current version). */
export const BUILT_IN_POLICY_ID = 'standard';

/**
 * `standard` v1. All priorities run on business hours, P1 included: the desk is staffed on
 * weekdays only, and a policy has one calendar, so a round-the-clock P1 target would only record
 * breaches at night that nobody could have prevented. A desk with an on-call rota would pin a
 * policy on the 24×7 calendar instead. Next response matches first response: a waiting
 * requester is owed an answer as quickly as a new one.
 */
export const BUILT_IN_POLICY: ServicePolicy = {
  id: BUILT_IN_POLICY_ID,
  version: 1,
  calendar: BUILT_IN_BUSINESS_HOURS,
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
