/**
 * The API's zod schemas: the same objects validate requests in the handlers and generate the
 * OpenAPI document (`.meta({ id })` names a component). Limits live here, in one place.
 *
 * Each group of schemas lives in its own module (request-, view-, page-, problem-schemas.ts,
 * workflow-view-schema.ts; the request bodies in shared/tickets/input.ts) so that a function
 * constructs only the schemas it imports; this module only re-exports them.
 */

export {
  CloseBodySchema,
  CommentBodySchema,
  CreateTicketBodySchema,
  CursorSchema,
  EscalateBodySchema,
  HandoffBodySchema,
  LIMITS,
  LimitSchema,
  ListTicketsQuerySchema,
  MergeBodySchema,
  PendingBodySchema,
  ReopenBodySchema,
  ResolveBodySchema,
  UpdateTicketBodySchema,
  VendorUpdateBodySchema,
} from '#shared/tickets/input';
export * from './page-schemas.ts';
export * from './problem-schemas.ts';
export * from './request-schemas.ts';
export * from './view-schemas.ts';
export * from './workflow-view-schema.ts';
