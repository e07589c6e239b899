import { WEEKDAYS } from '#shared/domain/service-levels';
import { textSchema } from '#shared/domain/text';
import { LEVELS, PRIORITIES } from '#shared/domain/ticket-fields';
import * as z from '#shared/runtime/zod';
import { formatDuration, parseDuration } from './duration.ts';

/**
 * The desk's configuration as one document: what `tierdesk config export` writes, what
 * `tierdesk config apply` reads (YAML or JSON), what the admin API edits item by item. Every
 * change, whole document or one item, is validated by these schemas and then against the rest of
 * the document (`validate.ts`), and stored as a new version of the whole document (`apply.ts`).
 *
 * Durations are written as people write them: `45m`, `4h`, `1h30m`, `2d` (a day is 24 h).
 * SLA, OLA and UC targets are business time on their calendar (a business day of 09:00–17:00 is
 * `8h`); the reopen window, pending reminder and auto-close and vendor reminders are wall time.
 */

export { formatDuration };

/** A duration in the document, normalized to its canonical text so equal durations compare equal. */
const DurationSchema = /* @__PURE__ */ z.built(() =>
  z
    .pipe(
      z.string().check(
        z.maxLength(20),
        z.refine(
          (text) => (parseDuration(text) ?? 0) > 0,
          'must be a positive duration such as 45m, 4h, 1h30m or 2d',
        ),
      ),
      z.transform((text: string) => formatDuration(parseDuration(text) ?? 0)),
    )
    .check(
      z.meta({
        description: 'A duration: days, hours and minutes, e.g. `45m`, `4h`, `1h30m`, `2d`',
        example: '4h',
      }),
    ),
);

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
const IdSchema = /* @__PURE__ */ z.built(() =>
  z
    .string()
    .check(
      z.regex(
        ID_PATTERN,
        'must be 1–40 lower-case letters, digits and dashes, starting with a letter or digit',
      ),
      z.meta({ example: 'business-hours' }),
    ),
);
const NameSchema = /* @__PURE__ */ z.built(() => textSchema(100));

/** `09:00-17:30`; `24:00` ends a day. */
const SPAN_PATTERN = /^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const SpanSchema = /* @__PURE__ */ z.built(() =>
  z.string().check(
    z.regex(SPAN_PATTERN, 'must be a working span such as 09:00-17:00 (24-hour clock, 24:00 ends a day)'),
    z.refine((span) => {
      const [start = '', end = ''] = span.split('-');
      return start < end;
    }, 'must end after it starts'),
    z.meta({ example: '09:00-17:00' }),
  ),
);

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (text: string): boolean => {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
};
const HolidaySchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    date: z
      .string()
      .check(
        z.regex(DATE_PATTERN, 'must be a date written YYYY-MM-DD'),
        z.refine(isRealDate, 'is not a date in the calendar'),
        z.meta({ example: '2027-10-03' }),
      ),
    name: NameSchema.check(z.meta({ example: 'Day of German Unity' })),
  }),
);

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
};
const TimeZoneSchema = /* @__PURE__ */ z.built(() =>
  z
    .string()
    .check(
      z.maxLength(64),
      z.refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
      z.meta({ example: 'Europe/Berlin' }),
    ),
);

const WeeklySchema = /* @__PURE__ */ z.built(
  () =>
    z.strictObject(
      Object.fromEntries(WEEKDAYS.map((day) => [day, z.optional(z.array(SpanSchema).check(z.maxLength(6)))])),
    ) as z.ZodMiniType<Partial<Record<(typeof WEEKDAYS)[number], string[]>>>,
);

export const CalendarConfigSchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      id: IdSchema,
      name: NameSchema,
      timeZone: TimeZoneSchema,
      /** Round the clock: every instant is working time (no weekly spans, no holidays). */
      alwaysOpen: z.optional(z.boolean()),
      weekly: z.optional(WeeklySchema),
      holidays: z._default(z.array(HolidaySchema).check(z.maxLength(400)), []),
    })
    .check(
      z.meta({
        id: 'CalendarConfig',
        description: 'A working calendar: zone, weekly spans, holidays, or 24×7',
      }),
    ),
);
export type CalendarConfig = z.output<typeof CalendarConfigSchema>;

const TargetsSchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    firstResponse: DurationSchema,
    nextResponse: DurationSchema,
    resolution: DurationSchema,
  }),
);

export const PolicyConfigSchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      id: IdSchema,
      name: NameSchema,
      /** Set by the desk: every change of a policy's content makes a new version. */
      version: z.optional(z.int().check(z.positive())),
      calendar: IdSchema,
      targets: z.record(z.enum(PRIORITIES), TargetsSchema),
      /** The fraction of a target at which a clock warns. */
      warnAt: z._default(z.number().check(z.gt(0, 'must be above 0'), z.lt(1, 'must be below 1')), 0.75),
      /** Whether `on_hold` (waiting on a vendor) pauses the requester-facing SLA clocks. */
      onHoldPausesSla: z._default(z.boolean(), true),
    })
    .check(
      z.meta({
        id: 'PolicyConfig',
        description: 'An SLA policy: targets per priority on one calendar (versioned)',
      }),
    ),
);
export type PolicyConfig = z.output<typeof PolicyConfigSchema>;

export const TierConfigSchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      tier: z.union([z.literal(1), z.literal(2), z.literal(3)]),
      name: NameSchema,
      /** The operational level: business time a ticket may stay at this tier before it is escalated. */
      ola: DurationSchema,
      /** The calendar the OLA counts on. */
      calendar: IdSchema,
      /** The group an escalation into this tier lands in (a group of this tier). */
      group: IdSchema,
    })
    .check(
      z.meta({
        id: 'TierConfig',
        description: 'A tier: its OLA, the calendar it counts on, the group escalations land in',
      }),
    ),
);

const ASSIGNMENT_MODES = ['manual', 'round_robin', 'least_loaded'] as const;

export const GroupConfigSchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      id: IdSchema,
      name: NameSchema,
      tier: z.union([z.literal(1), z.literal(2), z.literal(3)]),
      assignment: z._default(z.enum(ASSIGNMENT_MODES), 'manual'),
    })
    .check(
      z.meta({
        id: 'GroupConfig',
        description: 'A tier group; its members are the people whose entries name it',
      }),
    ),
);
export type GroupConfig = z.output<typeof GroupConfigSchema>;

const AddressSchema = /* @__PURE__ */ z.built(() =>
  z.pipe(
    z.email().check(z.maxLength(254)),
    z.transform((email: string) => email.toLowerCase()),
  ),
);

export const VendorConfigSchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      id: IdSchema,
      name: NameSchema,
      /** Where hand-offs go (the first) and whose mail counts as the vendor's (all). */
      addresses: z.array(AddressSchema).check(z.minLength(1), z.maxLength(10)),
      calendar: IdSchema,
      response: DurationSchema,
      resolution: DurationSchema,
      reminderEvery: z._default(DurationSchema, '1d'),
    })
    .check(
      z.meta({ id: 'VendorConfig', description: 'An outside vendor (Tier 4) and its underpinning contract' }),
    ),
);
export type VendorConfig = z.output<typeof VendorConfigSchema>;

const CATEGORY_PATTERN = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/;
const RouteSchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    category: z
      .string()
      .check(
        z.maxLength(60),
        z.regex(
          CATEGORY_PATTERN,
          'must be a category such as network or network/vpn (lower case, / between levels)',
        ),
      ),
    group: IdSchema,
  }),
);

export const RoutingConfigSchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      /** Where a ticket starts when no category route matches. */
      default: IdSchema,
      /** A category matches itself and everything below it (`network` takes `network/vpn`); the longest match wins. */
      categories: z._default(z.array(RouteSchema).check(z.maxLength(500)), []),
    })
    .check(
      z.meta({
        id: 'RoutingConfig',
        description: 'Category routing: category → initial group (and so tier)',
      }),
    ),
);

const PrioritySchema = /* @__PURE__ */ z.built(() => z.enum(PRIORITIES));
const MatrixRowSchema = /* @__PURE__ */ z.built(() => z.record(z.enum(LEVELS), PrioritySchema));

const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const SettingsConfigSchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      /** The desk's own zone: report days and the desk's notices. */
      timeZone: TimeZoneSchema,
      /** Which policy a ticket pins at triage: by its priority then, else the default. */
      policies: z.strictObject({
        default: IdSchema,
        byPriority: z._default(z.partialRecord(z.enum(PRIORITIES), IdSchema), {}),
      }),
      /** Impact (rows) × urgency (columns) → priority. */
      priorityMatrix: z.record(z.enum(LEVELS), MatrixRowSchema),
      /** Wall time after `resolved` during which a requester's reply reopens; then the ticket closes. */
      reopenWindow: DurationSchema,
      pendingReminder: DurationSchema,
      pendingAutoClose: DurationSchema,
      /** The organization's own mail domains: whom requesters may copy as watchers. */
      orgDomains: z._default(
        z
          .array(
            z.pipe(
              z.pipe(
                z.string(),
                z.transform((domain: string) => domain.trim().toLowerCase()),
              ),
              z.string().check(z.regex(DOMAIN_PATTERN, 'must be a mail domain such as example.com')),
            ),
          )
          .check(z.maxLength(50)),
        [],
      ),
    })
    .check(z.meta({ id: 'SettingsConfig', description: 'Desk-wide settings' })),
);

export const DeskConfigSchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      calendars: z.array(CalendarConfigSchema).check(z.maxLength(50)),
      policies: z.array(PolicyConfigSchema).check(z.minLength(1), z.maxLength(50)),
      tiers: z.array(TierConfigSchema).check(z.maxLength(3)),
      groups: z.array(GroupConfigSchema).check(z.maxLength(200)),
      vendors: z._default(z.array(VendorConfigSchema).check(z.maxLength(100)), []),
      routing: RoutingConfigSchema,
      settings: SettingsConfigSchema,
    })
    .check(
      z.meta({
        id: 'DeskConfig',
        description: "The desk's whole configuration (`tierdesk config export` writes it)",
      }),
    ),
);
export type DeskConfig = z.output<typeof DeskConfigSchema>;

/** The parts of the document that are lists of items with ids, and the one-of-a-kind parts. */
export const COLLECTION_KINDS = ['calendars', 'policies', 'tiers', 'groups', 'vendors'] as const;
export type CollectionKind = (typeof COLLECTION_KINDS)[number];
export const SINGLETON_KINDS = ['routing', 'settings'] as const;
export type SingletonKind = (typeof SINGLETON_KINDS)[number];
export const CONFIG_KINDS = [...COLLECTION_KINDS, ...SINGLETON_KINDS] as const;
export type ConfigKind = (typeof CONFIG_KINDS)[number];

export const ITEM_SCHEMAS = {
  calendars: CalendarConfigSchema,
  policies: PolicyConfigSchema,
  tiers: TierConfigSchema,
  groups: GroupConfigSchema,
  vendors: VendorConfigSchema,
  routing: RoutingConfigSchema,
  settings: SettingsConfigSchema,
} as const;

/** An item's id within its collection (a tier's is its number). */
export const itemId = (kind: CollectionKind, item: { id?: string; tier?: number }): string =>
  kind === 'tiers' ? String(item.tier) : String(item.id);

export const isCollectionKind = (kind: string): kind is CollectionKind =>
  (COLLECTION_KINDS as readonly string[]).includes(kind);
