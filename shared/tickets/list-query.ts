import { PRIORITIES, STATUSES, TIERS, UNRESOLVED_STATUSES } from '#shared/domain/ticket-fields';
import * as z from '#shared/runtime/zod';
import {
  CategorySchema,
  CursorSchema,
  EmailSchema,
  LimitSchema,
  TagSchema,
  TicketNumberSchema,
} from './input-fields.ts';
import { isServedSearch } from './served-search.ts';

/** A date (`2026-11-20`, a UTC day) or an instant with its offset, as an ISO instant in UTC. */
const createdBoundSchema = (end: 'from' | 'to') =>
  z.pipe(
    z.union([z.iso.date(), z.iso.datetime({ offset: true })]),
    z.transform((value: string) =>
      DATE_ONLY.test(value)
        ? `${value}T${end === 'from' ? '00:00:00.000' : '23:59:59.999'}Z`
        : new Date(value).toISOString(),
    ),
  );
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The lists of `GET /tickets` (`view`), and which filters each one takes. */
const VIEW_FILTERS = {
  mine: [],
  queue: ['tier', 'status', 'priority', 'group', 'category'],
  assigned: ['status', 'priority', 'group', 'category'],
  all: ['number', 'requester', 'assignee', 'tag', 'status', 'tier', 'priority', 'from', 'to'],
} as const;
type View = keyof typeof VIEW_FILTERS;
const VIEWS = Object.keys(VIEW_FILTERS) as View[];
const FILTERS = [...new Set(Object.values(VIEW_FILTERS).flat())];

/** What `view=all` answers with one Query each (`isServedSearch`), for callers and the docs. */
const SERVED_SEARCHES =
  'number (exact); requester, with any other filter; assignee or tag (not both), with status, ' +
  'tier, priority, from and to; status, tier, priority, from and to alone, in any combination';

export const ListTicketsQuerySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      view: z.described(
        z._default(z.enum(VIEWS), 'mine'),
        'mine: tickets I requested or watch, newest first. queue: the unresolved tickets of a tier ' +
          '(`tier`), soonest deadline first. assigned: the unresolved tickets assigned to me, soonest ' +
          'deadline first. all (staff): tickets of any status in the tiers I work, newest first, found ' +
          `by ${SERVED_SEARCHES}; any other combination is a 400.`,
      ),
      tier: z.described(
        z.optional(z.pipe(z.coerce.number(), z.union(TIERS.map((tier) => z.literal(tier))))),
        'queue: the tier (required); all: tickets at this tier',
      ),
      status: z.described(
        z.optional(z.enum(STATUSES)),
        'queue, assigned: an unresolved status; all: any status, resolved and closed too',
      ),
      priority: z.optional(z.enum(PRIORITIES)),
      group: z.described(
        z.optional(
          z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a group id, e.g. "tier1"')),
        ),
        'queue, assigned: tickets of this tier group',
      ),
      category: z.described(
        z.optional(CategorySchema),
        'queue, assigned: tickets of this category or under it (`network` matches `network/vpn`)',
      ),
      number: z.described(z.optional(TicketNumberSchema), 'all: the ticket with this number'),
      requester: z.described(z.optional(EmailSchema), 'all: tickets this person requested'),
      assignee: z.described(z.optional(EmailSchema), 'all: tickets assigned to this person'),
      tag: z.described(z.optional(TagSchema), 'all: tickets with this tag'),
      from: z
        .optional(createdBoundSchema('from'))
        .check(
          z.meta({ description: 'all: created at or after (a date is a UTC day)', example: '2026-11-01' }),
        ),
      to: z.optional(createdBoundSchema('to')).check(
        z.meta({
          description: 'all: created at or before (a date includes the whole UTC day)',
          example: '2026-11-30',
        }),
      ),
      limit: LimitSchema,
      cursor: CursorSchema,
    })
    .check(
      z.superRefine((query, ctx) => {
        if (query.view === 'queue' && query.tier === undefined) {
          ctx.addIssue({ code: 'custom', path: ['tier'], message: 'view=queue needs a tier (1-4)' });
        }
        for (const filter of FILTERS) {
          if (query[filter] === undefined || (VIEW_FILTERS[query.view] as readonly string[]).includes(filter))
            continue;
          const views = VIEWS.filter((view) => (VIEW_FILTERS[view] as readonly string[]).includes(filter));
          ctx.addIssue({
            code: 'custom',
            path: [filter],
            message: `applies to ${views.map((view) => `view=${view}`).join(', ')} only`,
          });
        }
        if (
          (query.view === 'queue' || query.view === 'assigned') &&
          query.status !== undefined &&
          !UNRESOLVED_STATUSES.includes(query.status)
        ) {
          ctx.addIssue({
            code: 'custom',
            path: ['status'],
            message:
              'queues hold unresolved tickets only (new, open, pending, on_hold); view=all finds the others',
          });
        }
        if (query.view === 'all' && !isServedSearch(query)) {
          ctx.addIssue({
            code: 'custom',
            path: ['tag'],
            message: `is not served together with assignee; view=all finds tickets by ${SERVED_SEARCHES}`,
          });
        }
        if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
          ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
        }
      }),
    ),
);
export type ListTicketsQuery = z.output<typeof ListTicketsQuerySchema>;
