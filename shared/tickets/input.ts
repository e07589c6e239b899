/**
 * What the ticket use cases accept: the inputs of every ticket action and their limits, in one
 * place. The HTTP edge (`#shared/http/schemas`) validates requests with these very schemas and
 * publishes them in the OpenAPI document; the mail intake applies the same limits.
 *
 * Each group lives in its own module (limits.ts, input-fields.ts, ticket-body.ts, comment-body.ts,
 * action-bodies.ts, list-query.ts) so that a function constructs only the schemas it imports;
 * this module only re-exports them.
 */

export {
  type CloseBody,
  CloseBodySchema,
  type EscalateBody,
  EscalateBodySchema,
  type HandoffBody,
  HandoffBodySchema,
  type MergeBody,
  MergeBodySchema,
  type PendingBody,
  PendingBodySchema,
  type ReopenBody,
  ReopenBodySchema,
  type ResolveBody,
  ResolveBodySchema,
  type VendorUpdateBody,
  VendorUpdateBodySchema,
} from './action-bodies.ts';
export { type CommentBody, CommentBodySchema } from './comment-body.ts';
export {
  AttachmentIdSchema,
  CursorSchema,
  EmailSchema,
  LimitSchema,
  TicketNumberSchema,
} from './input-fields.ts';
export { LIMITS } from './limits.ts';
export { type ListTicketsQuery, ListTicketsQuerySchema } from './list-query.ts';
export {
  type CreateTicketBody,
  CreateTicketBodySchema,
  type UpdateTicketBody,
  UpdateTicketBodySchema,
} from './ticket-body.ts';
