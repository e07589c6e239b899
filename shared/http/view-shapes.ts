import type { Shape } from './projection.ts';

/**
 * What each view of a ticket and of a timeline event carries: the fields its response schema in
 * `view-schemas.ts` names (which documents them in the OpenAPI reference), in the same order.
 * `test/unit/view-shapes.test.ts` derives each shape from its schema and holds them equal, so a
 * field added to a schema and not here (or the other way round) fails the build.
 *
 * A response is projected onto these instead of parsed with its schema: a handler then builds no
 * view schema at its cold start (get-ticket imports faster by 0.07 of the reference's import time) and
 * walks each ticket once. What the projection gives up is checking the types of Tierdesk's own
 * stored data on the way out; what it keeps is the need-to-know rule: a field reaches a caller
 * only when the view names it.
 */

const CSAT = { score: true, comment: true, firstAt: true, at: true } as const satisfies Shape;

/** The fields of a ticket its requester and its watchers see (`REQUESTER_TICKET_FIELDS`). */
const REQUESTER_TICKET_FIELDS = {
  number: true,
  subject: true,
  description: true,
  requester: true,
  channel: true,
  status: true,
  watchers: true,
  pendingReason: true,
  resolution: true,
  resolvedAt: true,
  closedAt: true,
  closeReason: true,
  mergedInto: true,
  csat: CSAT,
  createdAt: true,
  updatedAt: true,
  version: true,
} as const satisfies Shape;

/** `RequesterTicketSchema`. */
export const REQUESTER_TICKET_SHAPE = { view: true, ...REQUESTER_TICKET_FIELDS } as const satisfies Shape;

/** `SlaSummarySchema`. */
const SLA_SUMMARY = {
  clock: true,
  dueAt: true,
  remainingMs: true,
  warningMs: true,
  running: true,
  asOf: true,
} as const satisfies Shape;

/** `TicketSchema`: the desk's view. */
export const TICKET_SHAPE = {
  view: true,
  ...REQUESTER_TICKET_FIELDS,
  category: true,
  impact: true,
  urgency: true,
  priority: true,
  tier: true,
  group: true,
  assignee: true,
  tags: true,
  dueAt: true,
  vendorId: true,
  linkedArticles: true,
  sla: SLA_SUMMARY,
} as const satisfies Shape;

/** `TimelineEventSchema`. */
export const TIMELINE_EVENT_SHAPE = {
  id: true,
  type: true,
  at: true,
  actor: true,
  public: true,
  body: true,
  changes: [{ field: true, from: true, to: true }],
  data: true,
} as const satisfies Shape;
