import * as z from 'zod';
import { ROLES } from '#shared/domain/principal';

/** The schemas of the routes the console needs beyond the ticket API (`GET /me`, …). */

export const MeSchema = z
  .object({
    email: z.string(),
    name: z.string().optional(),
    role: z.enum(ROLES),
    tiers: z.array(z.number().int().min(1).max(3)),
    groups: z.array(z.string()),
    timeZone: z.string().optional(),
  })
  .meta({
    id: 'Me',
    description: 'Who the desk takes the caller for: their directory entry, as far as it concerns them',
  });
export type Me = z.output<typeof MeSchema>;
