import * as z from '#shared/runtime/zod';
import {
  AuditQuerySchema,
  ChangeResultSchema,
  ConfigDiffSchema,
  ConfigItemPathSchema,
  ConfigItemSchema,
  ConfigRecordPageSchema,
  ConfigSectionPathSchema,
  ConfigVersionPathSchema,
  ConfigWarningsSchema,
  DeskConfigSchema,
  DryRunBodySchema,
  DryRunSchema,
  PolicyPathSchema,
  RestoreBodySchema,
  StoredConfigSchema,
} from './config-schemas.ts';
import {
  AttachmentDownloadSchema,
  AttachmentPathSchema,
  AttachmentRequestSchema,
  AttachmentUploadSchema,
  MeSchema,
  PresenceBodySchema,
  PresenceSchema,
} from './console-schemas.ts';
import {
  AnonymousDeflectionBodySchema,
  ArticleHitsSchema,
  ArticlePageSchema,
  ArticlePatchBodySchema,
  ArticlePathSchema,
  ArticleRevisionPageSchema,
  ArticleSchema,
  DeflectionBodySchema,
  DeflectionResultSchema,
  ListArticlesQuerySchema,
  NewArticleBodySchema,
  SearchQuerySchema,
  SuggestBodySchema,
} from './kb-schemas.ts';
import {
  BulkRedriveBodySchema,
  ExecutionPageSchema,
  JobPathSchema,
  JobSchema,
  ListExecutionsQuerySchema,
  OperatorActionBodySchema,
  OperatorActionResultSchema,
  ReconcileBodySchema,
  TicketExecutionsSchema,
} from './ops-schemas.ts';
import {
  ListPeopleQuerySchema,
  PersonBodySchema,
  PersonPageSchema,
  PersonPathSchema,
  PersonSchema,
  ReassignBodySchema,
  ReassignReportSchema,
} from './people-schemas.ts';
import {
  CsatBodySchema,
  CsatTokenPathSchema,
  ReportQuerySchema,
  ReportSummarySchema,
  TimeseriesQuerySchema,
  TimeseriesSchema,
} from './report-schemas.ts';
import {
  CloseBodySchema,
  CommentBodySchema,
  CreateTicketBodySchema,
  EscalateBodySchema,
  HandoffBodySchema,
  IdempotencyKeySchema,
  IfMatchSchema,
  ListTicketsQuerySchema,
  MergeBodySchema,
  PageQuerySchema,
  PendingBodySchema,
  ReopenBodySchema,
  ResolveBodySchema,
  TicketPageSchema,
  TicketPathSchema,
  TicketViewSchema,
  TimelineEventSchema,
  TimelinePageSchema,
  UpdateTicketBodySchema,
  VendorUpdateBodySchema,
  WorkflowViewSchema,
} from './schemas.ts';

/**
 * The route table: the one list of HTTP routes. The CDK api construct makes a Lambda and an
 * API Gateway route from each entry, the local server dispatches by it, and the OpenAPI document
 * is generated from it. A route's handler lives in `functions/api/<id>.ts`.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  id: string;
  /**
   * The Lambda function that serves the route, when several routes share one
   * (`functions/api/<fn>.ts`, a `routeGroup`); its own (`functions/api/<id>.ts`) otherwise. A
   * shared function's role is the union of its routes' access.
   */
  fn?: string;
  method: HttpMethod;
  path: string;
  summary: string;
  /** `jwt`: API Gateway's JWT authorizer (Cognito) rejects callers without a valid token. */
  auth: 'jwt' | 'none';
  /** Least privilege: what the handler may do to the table. */
  tableAccess: 'none' | 'read' | 'readWrite';
  /**
   * `read`: may describe the ticket workflows' executions and their history (the ops view);
   * `operate`: may also list, redrive, start, stop and wake them (the `/ops` routes).
   */
  workflowAccess?: 'read' | 'operate';
  /** `read`: loads the knowledge base's search index (`KB_INDEX_KEY` in the KB bucket). */
  kbIndexAccess?: 'read';
  /** `admin`: keeps the Cognito user pool in step with the directory (`cognito-idp:Admin…` on the pool). */
  identityAccess?: 'admin';
  /**
   * Attachment files (the mail bucket): `check` = reads what an upload stored (HeadObject under
   * `uploads/`); `serve` = also presigns uploads (PutObject under `uploads/`) and downloads
   * (GetObject under `uploads/` and the mail intake's `attachments/`).
   */
  attachmentAccess?: 'check' | 'serve';
  request?: {
    params?: z.core.$ZodType;
    query?: z.core.$ZodType;
    /** Optional headers are `z.optional(…)` schemas, and documented as not required. */
    headers?: Record<string, z.core.$ZodType>;
    body?: z.core.$ZodType;
    /** The body may be left out entirely (the handler then parses `{}`). */
    bodyOptional?: boolean;
  };
  /** Success responses; the problem responses are added from `problems`. */
  responses: Record<number, { description: string; schema?: z.core.$ZodType; headers?: string[] }>;
  problems: number[];
}

/**
 * A lifecycle action on one ticket: `POST /tickets/{number}/<action>`, answered with the changed
 * ticket. If-Match is optional here: without it the action applies to the current version and
 * the domain decides whether the ticket's state allows it (409 with the reason if not).
 */
function action<const Id extends string, const Path extends string>(
  id: Id,
  path: Path,
  summary: string,
  body: z.core.$ZodType,
  options: { problems?: number[]; bodyOptional?: boolean } = {},
) {
  return {
    id,
    method: 'POST',
    path: `/tickets/{number}/${path}`,
    summary,
    auth: 'jwt',
    tableAccess: 'readWrite',
    request: {
      params: TicketPathSchema,
      headers: { 'if-match': z.optional(IfMatchSchema) },
      body,
      bodyOptional: options.bodyOptional ?? false,
    },
    responses: { 200: { description: 'The changed ticket', schema: TicketViewSchema, headers: ['ETag'] } },
    problems: [400, 401, 403, 404, 409, 412, 413, ...(options.problems ?? []), 503],
  } as const satisfies RouteDefinition;
}

/** Deactivating or reactivating a person: `POST /admin/users/{email}/<path>`, idempotent. */
function personState<const Id extends string, const Path extends string>(
  id: Id,
  path: Path,
  summary: string,
) {
  return {
    id,
    fn: 'admin-people',
    method: 'POST',
    path: `/admin/users/{email}/${path}`,
    summary,
    auth: 'jwt',
    tableAccess: 'readWrite',
    identityAccess: 'admin',
    request: { params: PersonPathSchema },
    responses: { 200: { description: 'The entry', schema: PersonSchema, headers: ['ETag'] } },
    problems: [400, 401, 403, 404, 409, 412, 503],
  } as const satisfies RouteDefinition;
}

export const ROUTES = [
  {
    id: 'create-ticket',
    method: 'POST',
    path: '/tickets',
    summary:
      'Open a ticket (as yourself, or as an agent on behalf of a requester); its suggested articles are GET /tickets/{number}/suggestions',
    auth: 'jwt',
    tableAccess: 'readWrite',
    request: {
      headers: { 'idempotency-key': z.optional(IdempotencyKeySchema) },
      body: CreateTicketBodySchema,
    },
    responses: {
      201: {
        description: 'The new ticket, as its author may see it',
        schema: TicketViewSchema,
        headers: ['ETag', 'Location'],
      },
    },
    problems: [400, 401, 403, 413, 422],
  },
  {
    id: 'list-tickets',
    method: 'GET',
    path: '/tickets',
    summary: 'A page of tickets: mine (requested or watched), a tier queue, or assigned to me',
    auth: 'jwt',
    tableAccess: 'read',
    request: { query: ListTicketsQuerySchema },
    responses: { 200: { description: 'A page of tickets', schema: TicketPageSchema } },
    problems: [400, 401, 403],
  },
  {
    id: 'get-ticket',
    method: 'GET',
    path: '/tickets/{number}',
    summary: 'One ticket',
    auth: 'jwt',
    tableAccess: 'read',
    request: { params: TicketPathSchema },
    responses: { 200: { description: 'The ticket', schema: TicketViewSchema, headers: ['ETag'] } },
    problems: [400, 401, 404],
  },
  {
    id: 'update-ticket',
    method: 'PATCH',
    path: '/tickets/{number}',
    summary: 'Change ticket fields, conditional on the version in If-Match',
    auth: 'jwt',
    tableAccess: 'readWrite',
    request: {
      params: TicketPathSchema,
      headers: { 'if-match': IfMatchSchema },
      body: UpdateTicketBodySchema,
    },
    responses: { 200: { description: 'The changed ticket', schema: TicketViewSchema, headers: ['ETag'] } },
    problems: [400, 401, 403, 404, 412, 413, 422, 428],
  },
  {
    id: 'get-timeline',
    method: 'GET',
    path: '/tickets/{number}/timeline',
    summary: 'The ticket timeline, oldest first (internal notes only for staff)',
    auth: 'jwt',
    tableAccess: 'read',
    request: { params: TicketPathSchema, query: PageQuerySchema },
    responses: { 200: { description: 'A page of timeline events', schema: TimelinePageSchema } },
    problems: [400, 401, 404],
  },
  {
    id: 'add-comment',
    method: 'POST',
    path: '/tickets/{number}/comments',
    summary:
      'Add a public reply or (agents) an internal note, with uploaded files (checked as stored: 422 names the one that is not fit)',
    auth: 'jwt',
    tableAccess: 'readWrite',
    attachmentAccess: 'check',
    request: { params: TicketPathSchema, body: CommentBodySchema },
    responses: {
      201: { description: 'The new timeline event', schema: TimelineEventSchema, headers: ['ETag'] },
    },
    problems: [400, 401, 403, 404, 409, 413, 422, 503],
  },
  action(
    'escalate-ticket',
    'escalate',
    'Agents of the current tier: send the ticket to the next tier with a work summary',
    EscalateBodySchema,
  ),
  action(
    'set-pending',
    'pending',
    'Agents: wait on the requester (pauses the SLA clocks)',
    PendingBodySchema,
  ),
  action('resolve-ticket', 'resolve', 'Agents: resolve the ticket', ResolveBodySchema),
  action(
    'reopen-ticket',
    'reopen',
    'Reopen a resolved ticket: its requester within the reopen window, agents at any time',
    ReopenBodySchema,
  ),
  action(
    'hand-off-ticket',
    'handoff',
    'Tier 3: hand the ticket to a vendor (Tier 4, on hold)',
    HandoffBodySchema,
    { problems: [422] },
  ),
  action(
    'record-vendor-update',
    'vendor-update',
    "Agents: record a vendor's answer; resolved = the vendor resolved it",
    VendorUpdateBodySchema,
  ),
  action(
    'merge-ticket',
    'merge',
    'Agents of both tickets: merge this duplicate into another ticket and close it',
    MergeBodySchema,
    { problems: [422] },
  ),
  action(
    'close-ticket',
    'close',
    'Agents: close a resolved ticket (the body, with an optional reason, may be omitted)',
    CloseBodySchema,
    { bodyOptional: true },
  ),
  {
    id: 'get-workflow',
    method: 'GET',
    path: '/tickets/{number}/workflow',
    summary:
      "Agents of the ticket and operators: its lifecycle workflow — status, current state, clocks, next clock event, steps, the state machine's graph",
    auth: 'jwt',
    tableAccess: 'read',
    workflowAccess: 'read',
    request: { params: TicketPathSchema },
    responses: { 200: { description: 'The workflow view', schema: WorkflowViewSchema } },
    problems: [400, 401, 403, 404],
  },
  {
    id: 'get-ticket-suggestions',
    method: 'GET',
    path: '/tickets/{number}/suggestions',
    summary:
      'Knowledge-base articles for the ticket: public ones for its requester, also internal ones for the desk',
    auth: 'jwt',
    tableAccess: 'read',
    kbIndexAccess: 'read',
    request: { params: TicketPathSchema },
    responses: { 200: { description: 'Suggested articles, best first', schema: ArticleHitsSchema } },
    problems: [400, 401, 404],
  },
  // ---- knowledge base ------------------------------------------------------------------------
  {
    id: 'list-articles',
    method: 'GET',
    path: '/kb/articles',
    summary:
      'A page of articles (summaries), all or by tag or category; requesters see public, published ones',
    auth: 'jwt',
    tableAccess: 'read',
    request: { query: ListArticlesQuerySchema },
    responses: { 200: { description: 'A page of article summaries, by id', schema: ArticlePageSchema } },
    problems: [400, 401],
  },
  {
    id: 'create-article',
    method: 'POST',
    path: '/kb/articles',
    summary: 'The desk: write an article (publishing needs a supervisor, an admin or a Tier 3 agent)',
    auth: 'jwt',
    tableAccess: 'readWrite',
    request: { body: NewArticleBodySchema },
    responses: {
      201: { description: 'The new article', schema: ArticleSchema, headers: ['ETag', 'Location'] },
    },
    // 422: a body that cannot be formatted within the renderer's time budget (shared/kb/render.ts).
    problems: [400, 401, 403, 413, 422, 503],
  },
  {
    id: 'get-article',
    method: 'GET',
    path: '/kb/articles/{id}',
    summary: 'One article: Markdown and sanitized HTML (requesters: public, published ones only)',
    auth: 'jwt',
    tableAccess: 'read',
    request: { params: ArticlePathSchema },
    responses: { 200: { description: 'The article', schema: ArticleSchema, headers: ['ETag'] } },
    problems: [400, 401, 404],
  },
  {
    id: 'update-article',
    method: 'PUT',
    path: '/kb/articles/{id}',
    summary: 'The desk: change an article, conditional on the version in If-Match',
    auth: 'jwt',
    tableAccess: 'readWrite',
    request: {
      params: ArticlePathSchema,
      headers: { 'if-match': IfMatchSchema },
      body: ArticlePatchBodySchema,
    },
    responses: { 200: { description: 'The changed article', schema: ArticleSchema, headers: ['ETag'] } },
    problems: [400, 401, 403, 404, 412, 413, 422, 428, 503],
  },
  {
    id: 'delete-article',
    method: 'DELETE',
    path: '/kb/articles/{id}',
    summary: 'The desk: delete an article and its history, conditional on the version in If-Match',
    auth: 'jwt',
    tableAccess: 'readWrite',
    request: { params: ArticlePathSchema, headers: { 'if-match': IfMatchSchema } },
    responses: { 204: { description: 'Deleted' } },
    problems: [400, 401, 403, 404, 412, 428, 503],
  },
  {
    id: 'list-article-revisions',
    method: 'GET',
    path: '/kb/articles/{id}/revisions',
    summary: "The desk: an article's history, oldest first (who changed which fields, when)",
    auth: 'jwt',
    tableAccess: 'read',
    request: { params: ArticlePathSchema, query: PageQuerySchema },
    responses: { 200: { description: 'A page of revisions', schema: ArticleRevisionPageSchema } },
    problems: [400, 401, 403, 404],
  },
  {
    id: 'search-articles',
    method: 'GET',
    path: '/kb/search',
    summary: 'Full-text search over the articles the caller may read: ranked hits with highlighted snippets',
    auth: 'jwt',
    tableAccess: 'read',
    kbIndexAccess: 'read',
    request: { query: SearchQuerySchema },
    responses: { 200: { description: 'Hits, best first', schema: ArticleHitsSchema } },
    problems: [400, 401],
  },
  {
    id: 'suggest-articles',
    method: 'POST',
    path: '/kb/suggest',
    summary: 'Published articles for a ticket being written (the desk also gets internal ones)',
    auth: 'jwt',
    tableAccess: 'read',
    kbIndexAccess: 'read',
    request: { body: SuggestBodySchema },
    responses: { 200: { description: 'Suggested articles, best first', schema: ArticleHitsSchema } },
    problems: [400, 401, 413],
  },
  {
    id: 'record-deflection',
    method: 'POST',
    path: '/kb/deflections',
    summary:
      '"This article solved it": counted once per person, article and day; with your own open ticket, resolves it as self-served with the article linked',
    auth: 'jwt',
    tableAccess: 'readWrite',
    request: { body: DeflectionBodySchema },
    responses: {
      201: {
        description: 'The deflection was counted (and the ticket resolved)',
        schema: DeflectionResultSchema,
        headers: ['ETag'],
      },
      200: {
        description: 'You already said so today: not counted again (`counted: false`)',
        schema: DeflectionResultSchema,
      },
    },
    problems: [400, 401, 403, 404, 409, 413, 422, 503],
  },
  // The anonymous routes count each source's requests in the table (`ANONYMOUS_LIMITS`): 429 past them.
  {
    id: 'search-public-articles',
    method: 'GET',
    path: '/kb/public/search',
    summary: 'Anyone, without signing in: search the public, published articles (limited per address)',
    auth: 'none',
    tableAccess: 'readWrite',
    kbIndexAccess: 'read',
    request: { query: SearchQuerySchema },
    responses: { 200: { description: 'Hits, best first', schema: ArticleHitsSchema } },
    problems: [400, 429],
  },
  {
    id: 'get-public-article',
    method: 'GET',
    path: '/kb/public/articles/{id}',
    summary: 'Anyone, without signing in: one public, published article',
    auth: 'none',
    tableAccess: 'read',
    request: { params: ArticlePathSchema },
    responses: { 200: { description: 'The article', schema: ArticleSchema, headers: ['ETag'] } },
    problems: [400, 404],
  },
  {
    id: 'suggest-public-articles',
    method: 'POST',
    path: '/kb/public/suggest',
    summary:
      'Anyone, without signing in: public, published articles for a ticket being written (limited per address)',
    auth: 'none',
    tableAccess: 'readWrite',
    kbIndexAccess: 'read',
    request: { body: SuggestBodySchema },
    responses: { 200: { description: 'Suggested articles, best first', schema: ArticleHitsSchema } },
    problems: [400, 413, 429],
  },
  {
    id: 'record-public-deflection',
    method: 'POST',
    path: '/kb/public/deflections',
    summary:
      'Anyone, without signing in: "this public article solved it", counted once per address, article and day (limited per address)',
    auth: 'none',
    tableAccess: 'readWrite',
    request: { body: AnonymousDeflectionBodySchema },
    responses: {
      201: { description: 'The deflection was counted', schema: DeflectionResultSchema },
      200: {
        description: 'This address already said so today: not counted again (`counted: false`)',
        schema: DeflectionResultSchema,
      },
    },
    problems: [400, 404, 413, 429, 503],
  },
  // ---- people directory (admins) -------------------------------------------------------------
  {
    id: 'list-users',
    fn: 'admin-people',
    method: 'GET',
    path: '/admin/users',
    summary: 'Admins: a page of the people directory, by email; filter by role, tier group, active',
    auth: 'jwt',
    tableAccess: 'read',
    request: { query: ListPeopleQuerySchema },
    responses: { 200: { description: 'A page of people', schema: PersonPageSchema } },
    problems: [400, 401, 403],
  },
  {
    id: 'get-user',
    fn: 'admin-people',
    method: 'GET',
    path: '/admin/users/{email}',
    summary: "Admins: one person's directory entry",
    auth: 'jwt',
    tableAccess: 'read',
    request: { params: PersonPathSchema },
    responses: { 200: { description: 'The directory entry', schema: PersonSchema, headers: ['ETag'] } },
    problems: [400, 401, 403, 404],
  },
  {
    id: 'put-user',
    fn: 'admin-people',
    method: 'PUT',
    path: '/admin/users/{email}',
    summary:
      'Admins: add a person, or change one conditional on If-Match (role, tier groups, time zone, out-of-office)',
    auth: 'jwt',
    tableAccess: 'readWrite',
    identityAccess: 'admin',
    request: {
      params: PersonPathSchema,
      headers: { 'if-match': z.optional(IfMatchSchema) },
      body: PersonBodySchema,
    },
    responses: {
      200: { description: 'The changed entry', schema: PersonSchema, headers: ['ETag'] },
      201: { description: 'The new entry', schema: PersonSchema, headers: ['ETag', 'Location'] },
    },
    problems: [400, 401, 403, 409, 412, 413, 422, 428, 503],
  },
  personState(
    'deactivate-user',
    'deactivate',
    'Admins: deactivate a person (refused everywhere within a minute, assigned nothing new; their tickets stay until reassigned)',
  ),
  personState('reactivate-user', 'reactivate', 'Admins: reactivate a person'),
  {
    id: 'list-user-open-tickets',
    fn: 'admin-people',
    method: 'GET',
    path: '/admin/users/{email}/open-tickets',
    summary: "Admins: a page of a person's unresolved assigned tickets, by deadline",
    auth: 'jwt',
    tableAccess: 'read',
    request: { params: PersonPathSchema, query: PageQuerySchema },
    responses: { 200: { description: 'A page of tickets', schema: TicketPageSchema } },
    problems: [400, 401, 403],
  },
  {
    id: 'reassign-user-tickets',
    fn: 'admin-people',
    method: 'POST',
    path: '/admin/users/{email}/reassign',
    summary:
      "Admins: move all of a person's open tickets to an agent, or back to a tier group unassigned (idempotent)",
    auth: 'jwt',
    tableAccess: 'readWrite',
    request: { params: PersonPathSchema, body: ReassignBodySchema },
    responses: { 200: { description: 'What moved, and what stayed and why', schema: ReassignReportSchema } },
    problems: [400, 401, 403, 404, 413, 422, 503],
  },
  // ---- administration: the desk's configuration (admins change it, supervisors read it) ------
  {
    id: 'get-config',
    fn: 'admin-config',
    method: 'GET',
    path: '/admin/config',
    summary: 'The whole configuration (what `tierdesk config export` writes), with its version as ETag',
    auth: 'jwt',
    tableAccess: 'read',
    responses: { 200: { description: 'The current version', schema: StoredConfigSchema, headers: ['ETag'] } },
    problems: [401, 403],
  },
  {
    id: 'apply-config',
    fn: 'admin-config',
    method: 'PUT',
    path: '/admin/config',
    summary:
      'Admins: apply a whole configuration at once (validated whole; nothing changes unless all of it can)',
    auth: 'jwt',
    tableAccess: 'readWrite',
    request: { headers: { 'if-match': IfMatchSchema }, body: DeskConfigSchema },
    responses: {
      200: {
        description: 'What changed; `changed: false` when nothing did',
        schema: ChangeResultSchema,
        headers: ['ETag'],
      },
    },
    problems: [400, 401, 403, 409, 412, 413, 422, 428, 503],
  },
  {
    id: 'diff-config',
    fn: 'admin-config',
    method: 'POST',
    path: '/admin/config/diff',
    summary: 'What applying a configuration would change, without changing anything',
    auth: 'jwt',
    tableAccess: 'read',
    request: { body: DeskConfigSchema },
    responses: {
      200: { description: 'The changes, item by item and field by field', schema: ConfigDiffSchema },
    },
    problems: [400, 401, 403, 413, 422],
  },
  {
    id: 'get-config-version',
    fn: 'admin-config',
    method: 'GET',
    path: '/admin/config/versions/{version}',
    summary: 'An earlier version of the configuration',
    auth: 'jwt',
    tableAccess: 'read',
    request: { params: ConfigVersionPathSchema },
    responses: { 200: { description: 'That version', schema: StoredConfigSchema } },
    problems: [400, 401, 403, 404],
  },
  {
    id: 'restore-config',
    fn: 'admin-config',
    method: 'POST',
    path: '/admin/config/restore',
    summary: 'Admins: bring back an earlier version, whole or one item of it (itself an audited change)',
    auth: 'jwt',
    tableAccess: 'readWrite',
    request: { body: RestoreBodySchema },
    responses: { 200: { description: 'What changed', schema: ChangeResultSchema, headers: ['ETag'] } },
    problems: [400, 401, 403, 404, 409, 413, 422, 503],
  },
  {
    id: 'get-config-section',
    fn: 'admin-config',
    method: 'GET',
    path: '/admin/config/{kind}',
    summary: "One part of the configuration: a list's items, or routing or settings",
    auth: 'jwt',
    tableAccess: 'read',
    request: { params: ConfigSectionPathSchema },
    responses: {
      200: { description: 'The items (each with its ETag), or the part with its ETag', headers: ['ETag'] },
    },
    problems: [400, 401, 403],
  },
  {
    id: 'put-config-section',
    fn: 'admin-config',
    method: 'PUT',
    path: '/admin/config/{kind}',
    summary: 'Admins: replace routing or settings, conditional on its ETag',
    auth: 'jwt',
    tableAccess: 'readWrite',
    request: {
      params: ConfigSectionPathSchema,
      headers: { 'if-match': IfMatchSchema },
      body: ConfigItemSchema,
    },
    responses: { 200: { description: 'What changed', schema: ChangeResultSchema, headers: ['ETag'] } },
    problems: [400, 401, 403, 404, 409, 412, 413, 422, 428, 503],
  },
  {
    id: 'get-config-item',
    fn: 'admin-config',
    method: 'GET',
    path: '/admin/config/{kind}/{id}',
    summary: 'One calendar, policy, tier, group or vendor, with its ETag',
    auth: 'jwt',
    tableAccess: 'read',
    request: { params: ConfigItemPathSchema },
    responses: { 200: { description: 'The item', schema: ConfigItemSchema, headers: ['ETag'] } },
    problems: [400, 401, 403, 404],
  },
  {
    id: 'put-config-item',
    fn: 'admin-config',
    method: 'PUT',
    path: '/admin/config/{kind}/{id}',
    summary: 'Admins: create an item, or change one conditional on its ETag (validated against the rest)',
    auth: 'jwt',
    tableAccess: 'readWrite',
    request: {
      params: ConfigItemPathSchema,
      headers: { 'if-match': z.optional(IfMatchSchema) },
      body: ConfigItemSchema,
    },
    responses: { 200: { description: 'What changed', schema: ChangeResultSchema, headers: ['ETag'] } },
    problems: [400, 401, 403, 409, 412, 413, 422, 428, 503],
  },
  {
    id: 'delete-config-item',
    fn: 'admin-config',
    method: 'DELETE',
    path: '/admin/config/{kind}/{id}',
    summary: 'Admins: remove an item nothing uses any more (409 lists what still does)',
    auth: 'jwt',
    tableAccess: 'readWrite',
    request: { params: ConfigItemPathSchema, headers: { 'if-match': IfMatchSchema } },
    responses: { 200: { description: 'What changed', schema: ChangeResultSchema } },
    problems: [400, 401, 403, 404, 409, 412, 428, 503],
  },
  {
    id: 'get-config-audit',
    fn: 'admin-config',
    method: 'GET',
    path: '/admin/audit',
    summary: 'Every change of the configuration, newest first: who, when, what (filter by kind)',
    auth: 'jwt',
    tableAccess: 'read',
    request: { query: AuditQuerySchema },
    responses: { 200: { description: 'A page of changes', schema: ConfigRecordPageSchema } },
    problems: [400, 401, 403],
  },
  {
    id: 'get-config-warnings',
    fn: 'admin-config',
    method: 'GET',
    path: '/admin/warnings',
    summary: 'What to fix before it bites: calendars whose holidays run out within 60 days',
    auth: 'jwt',
    tableAccess: 'read',
    responses: { 200: { description: 'The warnings', schema: ConfigWarningsSchema } },
    problems: [401, 403],
  },
  {
    id: 'dry-run-policy',
    fn: 'admin-config',
    method: 'POST',
    path: '/admin/policies/{id}/dry-run',
    summary:
      "What-if: when a ticket's clocks would warn and breach under a policy (stored, or an unsaved draft)",
    auth: 'jwt',
    tableAccess: 'read',
    request: { params: PolicyPathSchema, body: DryRunBodySchema },
    responses: {
      200: { description: 'Each clock with its warning and breach instants', schema: DryRunSchema },
    },
    problems: [400, 401, 403, 404, 413, 422],
  },
  // ---- operations ----
  {
    id: 'list-executions',
    fn: 'ops',
    method: 'GET',
    path: '/ops/executions',
    summary:
      'Ticket workflows by status: failures from the incident records, running ones from the tier queues',
    auth: 'jwt',
    tableAccess: 'read',
    workflowAccess: 'operate',
    request: { query: ListExecutionsQuerySchema },
    responses: { 200: { description: 'One page, newest failures first', schema: ExecutionPageSchema } },
    problems: [400, 401, 403],
  },
  {
    id: 'get-ticket-executions',
    fn: 'ops',
    method: 'GET',
    path: '/ops/executions/{number}',
    summary: "Every generation of a ticket's workflow, and its incidents",
    auth: 'jwt',
    tableAccess: 'read',
    workflowAccess: 'operate',
    request: { params: TicketPathSchema },
    responses: { 200: { description: 'The executions, oldest first', schema: TicketExecutionsSchema } },
    problems: [400, 401, 403, 404],
  },
  {
    id: 'redrive-execution',
    fn: 'ops',
    method: 'POST',
    path: '/ops/executions/{number}/redrive',
    summary:
      "Resumes the ticket's failed, timed-out or stopped workflow from where it stopped (RedriveExecution)",
    auth: 'jwt',
    tableAccess: 'readWrite',
    workflowAccess: 'operate',
    request: { params: TicketPathSchema, body: OperatorActionBodySchema, bodyOptional: true },
    responses: { 200: { description: 'Redriven', schema: OperatorActionResultSchema } },
    problems: [400, 401, 403, 404, 409],
  },
  {
    id: 'restart-execution',
    fn: 'ops',
    method: 'POST',
    path: '/ops/executions/{number}/restart',
    summary: "Starts a new generation of the ticket's workflow from the ticket as it is now",
    auth: 'jwt',
    tableAccess: 'readWrite',
    workflowAccess: 'operate',
    request: { params: TicketPathSchema, body: OperatorActionBodySchema, bodyOptional: true },
    responses: { 200: { description: 'Started', schema: OperatorActionResultSchema } },
    problems: [400, 401, 403, 404, 409],
  },
  {
    id: 'redrive-executions',
    fn: 'ops',
    method: 'POST',
    path: '/ops/executions/redrive',
    summary: 'Redrives every open incident of a status (of a tier, stopped since): a job',
    auth: 'jwt',
    tableAccess: 'readWrite',
    workflowAccess: 'operate',
    request: { body: BulkRedriveBodySchema },
    responses: { 202: { description: 'The job, queued', schema: JobSchema, headers: ['Location'] } },
    problems: [400, 401, 403],
  },
  {
    id: 'start-reconciliation',
    fn: 'ops',
    method: 'POST',
    path: '/ops/reconcile',
    summary: 'Finds and repairs tickets whose workflow is missing, stale or orphaned: a job',
    auth: 'jwt',
    tableAccess: 'readWrite',
    workflowAccess: 'operate',
    request: { body: ReconcileBodySchema, bodyOptional: true },
    responses: { 202: { description: 'The job, queued', schema: JobSchema, headers: ['Location'] } },
    problems: [400, 401, 403],
  },
  {
    id: 'get-ops-job',
    fn: 'ops',
    method: 'GET',
    path: '/ops/jobs/{id}',
    summary: "An ops job's progress and, once done, its result",
    auth: 'jwt',
    tableAccess: 'read',
    workflowAccess: 'operate',
    request: { params: JobPathSchema },
    responses: { 200: { description: 'The job', schema: JobSchema } },
    problems: [400, 401, 403, 404],
  },
  // ---- reports and satisfaction ----
  {
    id: 'get-report-summary',
    fn: 'reports',
    method: 'GET',
    path: '/reports/summary',
    summary:
      'Supervisors and admins: service-level figures over days (default the last 30), by tier, group, priority; backlog now',
    auth: 'jwt',
    tableAccess: 'read',
    request: { query: ReportQuerySchema },
    responses: { 200: { description: 'The figures', schema: ReportSummarySchema } },
    problems: [400, 401, 403],
  },
  {
    id: 'get-report-timeseries',
    fn: 'reports',
    method: 'GET',
    path: '/reports/timeseries',
    summary:
      'Supervisors and admins: one figure per day or week (a counter, or a duration quantile like resolution.p90)',
    auth: 'jwt',
    tableAccess: 'read',
    request: { query: TimeseriesQuerySchema },
    responses: { 200: { description: 'The points', schema: TimeseriesSchema } },
    problems: [400, 401, 403],
  },
  {
    id: 'answer-csat',
    fn: 'csat',
    method: 'POST',
    path: '/tickets/{number}/csat',
    summary:
      'The requester of a closed ticket rates it (1–5, a comment): one answer, replaced within 7 days of the first, refused after',
    auth: 'jwt',
    tableAccess: 'readWrite',
    request: { params: TicketPathSchema, body: CsatBodySchema },
    responses: { 200: { description: 'The ticket, rated', schema: TicketViewSchema } },
    problems: [400, 401, 403, 404, 409, 413, 503],
  },
  {
    id: 'get-csat-page',
    fn: 'csat',
    method: 'GET',
    path: '/csat/{token}',
    summary:
      "The survey link's page (HTML, no login): the 1–5 question and a comment box. Records nothing: mail scanners follow links",
    auth: 'none',
    tableAccess: 'read',
    request: { params: CsatTokenPathSchema },
    responses: { 200: { description: 'The survey page (text/html)' } },
    problems: [400, 404, 409],
  },
  {
    id: 'post-csat-page',
    fn: 'csat',
    method: 'POST',
    path: '/csat/{token}',
    summary: "The survey page's form (form-encoded or JSON): records the answer for the link's ticket",
    auth: 'none',
    tableAccess: 'readWrite',
    request: { params: CsatTokenPathSchema, body: CsatBodySchema },
    responses: { 200: { description: 'Thank-you page (text/html)' } },
    problems: [400, 404, 409, 413, 503],
  },
  // ---- the console's own routes ----
  {
    id: 'get-me',
    fn: 'console',
    method: 'GET',
    path: '/me',
    summary:
      'Who the desk takes the caller for: role, tiers, groups, name (what the console shows and offers)',
    auth: 'jwt',
    tableAccess: 'read',
    responses: { 200: { description: 'The caller', schema: MeSchema } },
    problems: [401],
  },
  {
    id: 'put-presence',
    fn: 'console',
    method: 'PUT',
    path: '/tickets/{number}/presence',
    summary:
      "The ticket's staff: I am viewing it, or writing a reply (a heartbeat, every ~15 s; gone 45 s after the last); answers as GET does",
    auth: 'jwt',
    tableAccess: 'readWrite',
    request: { params: TicketPathSchema, body: PresenceBodySchema },
    responses: { 200: { description: 'Who is on the ticket now, and its version', schema: PresenceSchema } },
    problems: [400, 401, 404, 413, 503],
  },
  {
    id: 'get-presence',
    fn: 'console',
    method: 'GET',
    path: '/tickets/{number}/presence',
    summary: "The ticket's staff: who of the desk has it open (viewing, replying), and its current version",
    auth: 'jwt',
    tableAccess: 'read',
    request: { params: TicketPathSchema },
    responses: { 200: { description: 'Who is on the ticket now, and its version', schema: PresenceSchema } },
    problems: [400, 401, 404],
  },
  {
    id: 'delete-presence',
    fn: 'console',
    method: 'DELETE',
    path: '/tickets/{number}/presence',
    summary: "The ticket's staff: I left the ticket (my entry goes at once)",
    auth: 'jwt',
    tableAccess: 'readWrite',
    request: { params: TicketPathSchema },
    responses: { 204: { description: 'Gone' } },
    problems: [400, 401, 404, 503],
  },
  {
    id: 'create-attachment',
    fn: 'console',
    method: 'POST',
    path: '/tickets/{number}/attachments',
    summary:
      'Whoever may comment on the ticket: a presigned upload for one file (limits in AttachmentRequest); list its id on a comment',
    auth: 'jwt',
    tableAccess: 'read',
    attachmentAccess: 'serve',
    request: { params: TicketPathSchema, body: AttachmentRequestSchema },
    responses: { 201: { description: 'Where to upload the file', schema: AttachmentUploadSchema } },
    problems: [400, 401, 404, 413, 422],
  },
  {
    id: 'get-attachment',
    fn: 'console',
    method: 'GET',
    path: '/tickets/{number}/attachments/{id}',
    summary:
      "A file listed on the ticket's timeline, to whoever may see the event that lists it: a short-lived download link",
    auth: 'jwt',
    tableAccess: 'read',
    attachmentAccess: 'serve',
    request: { params: AttachmentPathSchema },
    responses: { 200: { description: 'The download', schema: AttachmentDownloadSchema } },
    problems: [400, 401, 404],
  },
  {
    id: 'get-openapi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document',
    auth: 'none',
    tableAccess: 'none',
    responses: { 200: { description: 'The OpenAPI 3.1 document' } },
    problems: [],
  },
] as const satisfies readonly RouteDefinition[];

export type RouteId = (typeof ROUTES)[number]['id'];

/** The Lambda function that serves a route: its own, or the group's it shares (`fn`). */
export const functionOf = (route: { id: string; fn?: string }): string => route.fn ?? route.id;

/** Where a route's Lambda entry point lives, relative to the project root. */
export const handlerEntry = (route: { id: string; fn?: string }): string =>
  `functions/api/${functionOf(route)}.ts`;
