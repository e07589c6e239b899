/** The limits of what the ticket use cases accept (request bodies, pages, mail). */
export const LIMITS = {
  subject: 200,
  description: 20_000,
  comment: 20_000,
  tags: 20,
  tag: 40,
  watchers: 20,
  category: 60,
  /** Why an action is taken: pending, reopen, escalate, close. */
  reason: 500,
  /** Escalation work orders and resolutions: written notes, not conversations. */
  summary: 10_000,
  resolution: 10_000,
  vendorId: 60,
  pageSize: 100,
  defaultPageSize: 25,
  cursor: 2_048,
  idempotencyKey: 100,
  /** Files one comment may list (see `attachments.ts`). */
  attachmentsPerComment: 5,
  /** Bytes of request body accepted before parsing (API Gateway allows 10 MB; we need far less). */
  body: 64 * 1024,
} as const;
