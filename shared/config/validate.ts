import { validateCalendar } from '#shared/domain/calendar';
import type { FieldIssue } from '#shared/domain/errors';
import { WEEKDAYS } from '#shared/domain/service-levels';
import { toCalendar } from './compile.ts';
import type { DeskConfig } from './desk.ts';

/**
 * The checks a document must pass beyond its shape: every reference names something that exists,
 * nothing is defined twice, working spans do not overlap, every tier that has an OLA has a group
 * to work it. Each problem names its field as a path in the document (`groups[2].tier`); an empty
 * list means the document may be stored.
 */
export const configIssues = (config: DeskConfig): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  const issue = (field: string, message: string) => issues.push({ field, message });

  const unique = <T>(kind: string, items: readonly T[], idOf: (item: T) => string, field = 'id') => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const id = idOf(item);
      if (seen.has(id)) issue(`${kind}[${index}].${field}`, `${id} is defined twice`);
      seen.add(id);
    });
  };
  unique('calendars', config.calendars, (c) => c.id);
  unique('policies', config.policies, (p) => p.id);
  unique('tiers', config.tiers, (t) => String(t.tier), 'tier');
  unique('groups', config.groups, (g) => g.id);
  unique('vendors', config.vendors, (v) => v.id);

  const calendars = new Set(config.calendars.map((c) => c.id));
  const policies = new Set(config.policies.map((p) => p.id));
  const groups = new Map(config.groups.map((g) => [g.id, g]));
  const tiers = new Set(config.tiers.map((t) => t.tier));
  const calendarRef = (field: string, id: string) => {
    if (!calendars.has(id)) issue(field, `names calendar ${id}, which does not exist`);
  };

  config.calendars.forEach((calendar, index) => {
    const at = `calendars[${index}]`;
    const days = Object.entries(calendar.weekly ?? {}).filter(([, spans]) => spans && spans.length > 0);
    if (calendar.alwaysOpen) {
      if (days.length > 0) issue(`${at}.weekly`, 'a calendar that is always open has no weekly spans');
      if (calendar.holidays.length > 0)
        issue(`${at}.holidays`, 'a calendar that is always open has no holidays');
    } else if (days.length === 0) {
      issue(`${at}.weekly`, 'needs at least one working span (or alwaysOpen: true)');
    }
    for (const day of WEEKDAYS) {
      const spans = [...(calendar.weekly?.[day] ?? [])].map((span) => span.split('-')).sort();
      spans.slice(1).forEach(([start = ''], i) => {
        if (start < (spans[i]?.[1] ?? '')) issue(`${at}.weekly.${day}`, `working spans overlap at ${start}`);
      });
    }
    const dates = new Set<string>();
    calendar.holidays.forEach((holiday, h) => {
      if (dates.has(holiday.date)) issue(`${at}.holidays[${h}].date`, `${holiday.date} is listed twice`);
      dates.add(holiday.date);
    });
    if (!issues.some((existing) => existing.field.startsWith(at))) {
      try {
        validateCalendar(toCalendar(calendar));
      } catch (error) {
        issue(at, (error as Error).message);
      }
    }
  });

  config.policies.forEach((policy, index) => {
    calendarRef(`policies[${index}].calendar`, policy.calendar);
  });

  config.tiers.forEach((tier, index) => {
    calendarRef(`tiers[${index}].calendar`, tier.calendar);
    const group = groups.get(tier.group);
    if (!group) issue(`tiers[${index}].group`, `names group ${tier.group}, which does not exist`);
    else if (group.tier !== tier.tier)
      issue(`tiers[${index}].group`, `group ${tier.group} works Tier ${group.tier}, not Tier ${tier.tier}`);
  });

  for (const tier of [1, 2, 3] as const) {
    if (!tiers.has(tier))
      issue('tiers', `Tier ${tier} is missing: every desk has Tiers 1–3, each with its OLA and group`);
  }

  config.groups.forEach((group, index) => {
    if (!tiers.has(group.tier)) {
      issue(`groups[${index}].tier`, `Tier ${group.tier} has no OLA: add it to tiers first`);
    }
  });

  const addresses = new Map<string, string>();
  config.vendors.forEach((vendor, index) => {
    calendarRef(`vendors[${index}].calendar`, vendor.calendar);
    vendor.addresses.forEach((address, a) => {
      const owner = addresses.get(address);
      if (owner !== undefined)
        issue(`vendors[${index}].addresses[${a}]`, `${address} already belongs to ${owner}`);
      addresses.set(address, vendor.id);
    });
  });

  const groupRef = (field: string, id: string) => {
    if (!groups.has(id)) issue(field, `names group ${id}, which does not exist`);
  };
  groupRef('routing.default', config.routing.default);
  const categories = new Set<string>();
  config.routing.categories.forEach((route, index) => {
    groupRef(`routing.categories[${index}].group`, route.group);
    if (categories.has(route.category)) {
      issue(`routing.categories[${index}].category`, `${route.category} is routed twice`);
    }
    categories.add(route.category);
  });

  const policyRef = (field: string, id: string | undefined) => {
    if (id !== undefined && !policies.has(id)) issue(field, `names policy ${id}, which does not exist`);
  };
  policyRef('settings.policies.default', config.settings.policies.default);
  for (const [priority, id] of Object.entries(config.settings.policies.byPriority)) {
    policyRef(`settings.policies.byPriority.${priority}`, id);
  }
  return issues;
};
