import * as z from 'zod';
import { ROLES } from '#shared/domain/principal';
import { textSchema } from '#shared/domain/text';
import { CursorSchema, EmailSchema, LimitSchema } from '#shared/tickets/input';
import { pageSchema } from './schemas.ts';

/** The people directory's HTTP shapes (`/admin/users…`, admins only). */

export const PersonPathSchema = z.strictObject({ email: EmailSchema });

const GroupIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a tier group id, e.g. tier2-security')
  .meta({ description: 'A tier group of the configuration' });

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const TimeZoneSchema = z
  .string()
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Berlin')
  .meta({ description: 'IANA time zone', example: 'Europe/Berlin' });

const OutOfOfficeSchema = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    note: z.string().trim().max(500).optional(),
  })
  .refine((away) => !away.from || !away.until || Date.parse(away.from) < Date.parse(away.until), {
    path: ['until'],
    message: 'must be after from',
  })
  .meta({
    id: 'OutOfOffice',
    description: 'Away between from and until (either end open): no new automatic assignments meanwhile',
  });

export const PersonBodySchema = z
  .strictObject({
    name: textSchema(100),
    role: z.enum(ROLES),
    groups: z.array(GroupIdSchema).max(20).default([]).meta({
      description: "Agents: their tier groups; the person's tiers are those groups' tiers",
    }),
    timeZone: TimeZoneSchema.default('UTC'),
    outOfOffice: OutOfOfficeSchema.optional(),
  })
  .superRefine((person, ctx) => {
    if (person.role === 'agent' && person.groups.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['groups'],
        message: 'an agent belongs to at least one tier group',
      });
    }
  })
  .meta({ id: 'PutPerson' });

export const PersonSchema = z
  .object({
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    groups: z.array(z.string()),
    tiers: z.array(z.number().int()),
    timeZone: z.string(),
    outOfOffice: OutOfOfficeSchema.optional(),
    active: z.boolean(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Person' });

export const PersonPageSchema = pageSchema(PersonSchema, 'PersonPage');

export const ListPeopleQuerySchema = z.strictObject({
  role: z.enum(ROLES).optional(),
  group: GroupIdSchema.optional(),
  active: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  limit: LimitSchema,
  cursor: CursorSchema,
});

export const ReassignBodySchema = z
  .strictObject({
    to: EmailSchema.optional().meta({ description: 'An active agent who takes the tickets' }),
    group: GroupIdSchema.optional().meta({ description: 'Or: back to this group, unassigned' }),
  })
  .refine((body) => (body.to === undefined) !== (body.group === undefined), {
    message: 'name either to (a person) or group',
  })
  .meta({ id: 'Reassign' });

export const ReassignReportSchema = z
  .object({
    moved: z.array(z.object({ number: z.number().int(), to: z.string().optional(), group: z.string() })),
    skipped: z.array(z.object({ number: z.number().int(), reason: z.string() })),
  })
  .meta({ id: 'ReassignReport' });
