import type { Calendar, ServicePolicy, VendorContract, WorkingSpan } from '#shared/domain/service-levels';
import { WEEKDAYS } from '#shared/domain/service-levels';
import type { RoutingRule, TierGroup } from '#shared/domain/ticket';
import type { Priority } from '#shared/domain/ticket-fields';
import type { CalendarConfig, DeskConfig, GroupConfig, PolicyConfig, VendorConfig } from './desk.ts';
import { parseDuration } from './duration.ts';

/**
 * The document as the engine reads it: calendars, the policy a ticket pins, groups, vendors and
 * routing rules in the domain's shapes (durations in milliseconds, references resolved). Only a
 * validated document is compiled, so every reference resolves.
 */

const ms = (duration: string): number => parseDuration(duration) ?? 0;

const ALL_DAY: readonly WorkingSpan[] = [['00:00', '24:00']];

export const toCalendar = (calendar: CalendarConfig): Calendar => ({
  id: calendar.id,
  name: calendar.name,
  timeZone: calendar.timeZone,
  weekly: calendar.alwaysOpen
    ? Object.fromEntries(WEEKDAYS.map((day) => [day, ALL_DAY]))
    : Object.fromEntries(
        Object.entries(calendar.weekly ?? {}).map(([day, spans]) => [
          day,
          (spans ?? []).map((span) => span.split('-') as unknown as WorkingSpan),
        ]),
      ),
  holidays: calendar.holidays.map((holiday) => holiday.date).sort(),
});

const calendarOf = (config: DeskConfig, id: string): Calendar => {
  const calendar = config.calendars.find((candidate) => candidate.id === id);
  if (!calendar) throw new Error(`Calendar ${id} is not configured.`);
  return toCalendar(calendar);
};

export const calendarById = (config: DeskConfig, id: string): Calendar | undefined =>
  config.calendars.some((calendar) => calendar.id === id) ? calendarOf(config, id) : undefined;

/** The tiers' OLAs, and the calendars they count on where that is not the policy's. */
const tierLevels = (config: DeskConfig, policyCalendar: string) => {
  const ola: Partial<Record<1 | 2 | 3, number>> = {};
  const olaCalendars: Partial<Record<1 | 2 | 3, Calendar>> = {};
  for (const tier of config.tiers) {
    ola[tier.tier] = ms(tier.ola);
    if (tier.calendar !== policyCalendar) olaCalendars[tier.tier] = calendarOf(config, tier.calendar);
  }
  return { ola, extra: Object.keys(olaCalendars).length > 0 ? { olaCalendars } : {} };
};

/** A policy as tickets pin it: its targets, the tiers' OLAs on their calendars, the desk's windows. */
export const servicePolicy = (config: DeskConfig, policy: PolicyConfig): ServicePolicy => {
  const levels = tierLevels(config, policy.calendar);
  return {
    id: policy.id,
    version: policy.version ?? 1,
    calendar: calendarOf(config, policy.calendar),
    sla: Object.fromEntries(
      Object.entries(policy.targets).map(([priority, targets]) => [
        priority,
        {
          firstResponse: ms(targets.firstResponse),
          nextResponse: ms(targets.nextResponse),
          resolution: ms(targets.resolution),
        },
      ]),
    ) as ServicePolicy['sla'],
    ola: { 1: levels.ola[1] ?? 0, 2: levels.ola[2] ?? 0, 3: levels.ola[3] ?? 0 },
    ...levels.extra,
    warnAt: policy.warnAt,
    onHoldPausesSla: policy.onHoldPausesSla,
    reopenWindow: ms(config.settings.reopenWindow),
    pendingReminder: ms(config.settings.pendingReminder),
    pendingAutoClose: ms(config.settings.pendingAutoClose),
  };
};

/** The policy a ticket of this priority pins at triage. */
export const policyForPriority = (config: DeskConfig, priority: Priority): ServicePolicy => {
  const id = config.settings.policies.byPriority[priority] ?? config.settings.policies.default;
  const policy = config.policies.find((candidate) => candidate.id === id) ?? config.policies[0];
  if (!policy) throw new Error('The configuration has no SLA policy.');
  return servicePolicy(config, policy);
};

export const toTierGroup = (group: GroupConfig): TierGroup => ({
  id: group.id,
  tier: group.tier,
  name: group.name,
  assignment: group.assignment,
});

export const toVendorContract = (config: DeskConfig, vendor: VendorConfig): VendorContract => {
  const [email = '', ...aliases] = vendor.addresses;
  return {
    vendorId: vendor.id,
    name: vendor.name,
    email,
    ...(aliases.length > 0 && { aliases }),
    calendar: calendarOf(config, vendor.calendar),
    response: ms(vendor.response),
    resolution: ms(vendor.resolution),
    reminderEvery: ms(vendor.reminderEvery),
  };
};

/** Category routes as rules, with the default as the rule that matches every category. */
export const routingRules = (config: DeskConfig): RoutingRule[] => {
  const tierOf = (group: string) => config.groups.find((candidate) => candidate.id === group)?.tier ?? 1;
  return config.routing.categories.map((route) => ({
    categoryPrefix: route.category,
    tier: tierOf(route.group),
    group: route.group,
  }));
};

export const defaultRoute = (config: DeskConfig): Omit<RoutingRule, 'categoryPrefix'> => {
  const group = config.groups.find((candidate) => candidate.id === config.routing.default);
  return { tier: group?.tier ?? 1, group: config.routing.default };
};

export const escalationGroup = (config: DeskConfig, tier: 1 | 2 | 3): string | undefined =>
  config.tiers.find((candidate) => candidate.tier === tier)?.group;

/**
 * A pinned policy brought up to date with what a running ticket follows live: the calendars
 * (a holiday added today moves the deadlines of tickets already running) and the tiers' OLAs —
 * an internal agreement, whose current terms apply. The SLA targets, warning fraction and
 * windows stay as pinned: they are the version the requester's ticket started under.
 */
export const liveServiceLevels = (config: DeskConfig, pinned: ServicePolicy): ServicePolicy => {
  const calendar = calendarById(config, pinned.calendar.id) ?? pinned.calendar;
  const { olaCalendars: _pinned, ...rest } = pinned;
  if (config.tiers.length === 0)
    return { ...rest, calendar, ...(pinned.olaCalendars && { olaCalendars: pinned.olaCalendars }) };
  const levels = tierLevels(config, calendar.id);
  return { ...rest, calendar, ola: { ...pinned.ola, ...levels.ola }, ...levels.extra };
};
