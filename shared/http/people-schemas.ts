import { ROLES } from '#shared/domain/principal';
import { textSchema } from '#shared/domain/text';
import * as z from '#shared/runtime/zod';
import { CursorSchema, EmailSchema, LimitSchema } from '#shared/tickets/input';
import { pageSchema } from './schemas.ts';

/** The people directory's HTTP shapes (`/admin/users…`, admins only). */

export const PersonPathSchema = /* @__PURE__ */ z.built(() => z.strictObject({ email: EmailSchema }));

const GroupIdSchema = /* @__PURE__ */ z.built(() =>
  z
    .string()
    .check(
      z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a tier group id, e.g. tier2-security'),
      z.meta({ description: 'A tier group of the configuration' }),
    ),
);

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const TimeZoneSchema = /* @__PURE__ */ z.built(() =>
  z
    .string()
    .check(
      z.maxLength(64),
      z.refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Berlin'),
      z.meta({ description: 'IANA time zone', example: 'Europe/Berlin' }),
    ),
);

const OutOfOfficeSchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      from: z.optional(z.iso.datetime({ offset: true })),
      until: z.optional(z.iso.datetime({ offset: true })),
      note: z.optional(z.string().check(z.trim(), z.maxLength(500))),
    })
    .check(
      z.refine((away) => !away.from || !away.until || Date.parse(away.from) < Date.parse(away.until), {
        path: ['until'],
        message: 'must be after from',
      }),
      z.meta({
        id: 'OutOfOffice',
        description: 'Away between from and until (either end open): no new automatic assignments meanwhile',
      }),
    ),
);

export const PersonBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      name: textSchema(100),
      role: z.enum(ROLES),
      groups: z
        ._default(z.array(GroupIdSchema).check(z.maxLength(20)), [])
        .check(
          z.meta({ description: "Agents: their tier groups; the person's tiers are those groups' tiers" }),
        ),
      timeZone: z._default(TimeZoneSchema, 'UTC'),
      outOfOffice: z.optional(OutOfOfficeSchema),
    })
    .check(
      z.superRefine((person, ctx) => {
        if (person.role === 'agent' && person.groups.length === 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['groups'],
            message: 'an agent belongs to at least one tier group',
          });
        }
      }),
      z.meta({ id: 'PutPerson' }),
    ),
);

export const PersonSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      email: z.string(),
      name: z.string(),
      role: z.enum(ROLES),
      groups: z.array(z.string()),
      tiers: z.array(z.int()),
      timeZone: z.string(),
      outOfOffice: z.optional(OutOfOfficeSchema),
      active: z.boolean(),
      updatedAt: z.iso.datetime(),
    })
    .check(z.meta({ id: 'Person' })),
);

export const PersonPageSchema = /* @__PURE__ */ z.built(() => pageSchema(PersonSchema, 'PersonPage'));

export const ListPeopleQuerySchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    role: z.optional(z.enum(ROLES)),
    group: z.optional(GroupIdSchema),
    active: z.optional(
      z.pipe(
        z.enum(['true', 'false']),
        z.transform((value: 'true' | 'false') => value === 'true'),
      ),
    ),
    limit: LimitSchema,
    cursor: CursorSchema,
  }),
);

export const ReassignBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      to: z.optional(EmailSchema).check(z.meta({ description: 'An active agent who takes the tickets' })),
      group: z.optional(GroupIdSchema).check(z.meta({ description: 'Or: back to this group, unassigned' })),
    })
    .check(
      z.refine((body) => (body.to === undefined) !== (body.group === undefined), {
        message: 'name either to (a person) or group',
      }),
      z.meta({ id: 'Reassign' }),
    ),
);

export const ReassignReportSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      moved: z.array(z.object({ number: z.int(), to: z.optional(z.string()), group: z.string() })),
      skipped: z.array(z.object({ number: z.int(), reason: z.string() })),
    })
    .check(z.meta({ id: 'ReassignReport' })),
);
