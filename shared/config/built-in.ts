import { DEFAULT_PRIORITY_MATRIX } from '#shared/domain/priority';
import type { DeskConfig } from './desk.ts';

/**
 * What a fresh deployment runs on until its admin applies a configuration of its own: an IT help
 * desk in Berlin, staffed on weekdays 09:00–17:00, one `standard` policy, one group per tier
 * (`tier1`–`tier3`, manual assignment), every category starting at the service desk.
 *
 * All priorities run on business hours, P1 included: a desk staffed on weekdays only would record
 * breaches at night that nobody could have prevented. A desk with an on-call rota points P1 at a
 * policy on a 24×7 calendar (`settings.policies.byPriority`, see `examples/desk.yaml`). Next
 * response matches first response: a waiting requester is owed an answer as quickly as a new one.
 */
const WORKDAY = ['09:00-17:00'];

/**
 * The built-in document, version 0: never stored, replaced by the first apply. Written in the
 * schema's output form and not parsed when a function loads (parsing checks every calendar's time
 * zone through Intl, which loads the time-zone data at every cold start);
 * test/unit/config-built-in.test.ts holds it equal to what the schema makes of it.
 */
export const BUILT_IN_DESK: DeskConfig = {
  calendars: [
    {
      id: 'business-hours',
      name: 'Business hours (Berlin)',
      timeZone: 'Europe/Berlin',
      weekly: { mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY },
      // Germany's public holidays and Berlin's Women's Day, 2026 and 2027.
      holidays: [
        { date: '2026-01-01', name: "New Year's Day" },
        { date: '2026-03-08', name: "International Women's Day (Berlin)" },
        { date: '2026-04-03', name: 'Good Friday' },
        { date: '2026-04-06', name: 'Easter Monday' },
        { date: '2026-05-01', name: 'Labour Day' },
        { date: '2026-05-14', name: 'Ascension Day' },
        { date: '2026-05-25', name: 'Whit Monday' },
        { date: '2026-10-03', name: 'Day of German Unity' },
        { date: '2026-12-25', name: 'Christmas Day' },
        { date: '2026-12-26', name: 'Second Day of Christmas' },
        { date: '2027-01-01', name: "New Year's Day" },
        { date: '2027-03-08', name: "International Women's Day (Berlin)" },
        { date: '2027-03-26', name: 'Good Friday' },
        { date: '2027-03-29', name: 'Easter Monday' },
        { date: '2027-05-01', name: 'Labour Day' },
        { date: '2027-05-06', name: 'Ascension Day' },
        { date: '2027-05-17', name: 'Whit Monday' },
        { date: '2027-10-03', name: 'Day of German Unity' },
        { date: '2027-12-25', name: 'Christmas Day' },
        { date: '2027-12-26', name: 'Second Day of Christmas' },
      ],
    },
  ],
  policies: [
    {
      id: 'standard',
      name: 'Standard',
      calendar: 'business-hours',
      targets: {
        P1: { firstResponse: '1h', nextResponse: '1h', resolution: '4h' },
        P2: { firstResponse: '2h', nextResponse: '2h', resolution: '8h' },
        P3: { firstResponse: '4h', nextResponse: '4h', resolution: '1d' },
        P4: { firstResponse: '8h', nextResponse: '8h', resolution: '1d16h' },
      },
      warnAt: 0.75,
      onHoldPausesSla: true,
    },
  ],
  tiers: [
    { tier: 1, name: 'Service desk', ola: '2h', calendar: 'business-hours', group: 'tier1' },
    { tier: 2, name: 'Specialists', ola: '8h', calendar: 'business-hours', group: 'tier2' },
    { tier: 3, name: 'Experts', ola: '1d', calendar: 'business-hours', group: 'tier3' },
  ],
  groups: [
    { id: 'tier1', name: 'Service desk', tier: 1, assignment: 'manual' },
    { id: 'tier2', name: 'Specialists', tier: 2, assignment: 'manual' },
    { id: 'tier3', name: 'Experts', tier: 3, assignment: 'manual' },
  ],
  vendors: [],
  routing: { default: 'tier1', categories: [] },
  settings: {
    timeZone: 'Europe/Berlin',
    policies: { default: 'standard', byPriority: {} },
    priorityMatrix: DEFAULT_PRIORITY_MATRIX,
    reopenWindow: '5d',
    pendingReminder: '3d',
    pendingAutoClose: '7d',
    orgDomains: [],
  },
};
