import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { compileRoutes, fromResult, matchRoute, toEvent, toGatewayClaims } from '#infra/local/api-gateway';
import { type DevIdentity, devClaims } from '#infra/local/dev-key';
import { PrincipalResolver } from '#shared/auth/identity';
import type { AdminDeps } from '#shared/config/admin';
import type { ConfigStore } from '#shared/config/config-store';
import { type CsatKeyring, staticKeyring } from '#shared/csat/survey-link';
import type { Clock } from '#shared/domain/clock';
import { normalizeEmail } from '#shared/domain/principal';
import { usePrincipalResolver } from '#shared/http/api-handler';
import { ROUTES, type RouteId } from '#shared/http/routes';
import type { OpsDeps } from '#shared/ops/operations';
import { RecordingIdentityProvider } from '#shared/people/adapters/recorder';
import type { ReportStore } from '#shared/reports/report-store';
import type { Directory } from '#shared/tickets/directory';
import type { TicketDeps } from '#shared/tickets/ticket-service';

/**
 * Calls the real handlers the way API Gateway would (same event builder as the local server),
 * with the dependencies a test chooses: a table on DynamoDB Local, a fixed clock, or a store
 * with a fault injected.
 */

type Handler = (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** The table's configuration store rides along with the ticket deps of `freshTable`. */
type WithConfigs = TicketDeps & { configs?: ConfigStore };

/** An admin route's factory, fed the admin deps of the same table. */
const admin =
  (factory: (deps: AdminDeps) => unknown) =>
  (deps: WithConfigs): Handler => {
    if (!deps.configs)
      throw new Error('The admin routes need the configuration store: pass freshTable().tickets.');
    return factory({ configs: deps.configs, clock: deps.clock, tickets: deps.store }) as Handler;
  };

/** The configuration's routes share one function (`fn: 'admin-config'`), fed the admin deps. */
const configGroup = async () => admin((await import('#shared/http/config-routes')).configRoutes);
/** The people routes share one function; they take `PeopleDeps` (`apiFor` adds a recorder). */
const peopleGroup = async () => (await import('#shared/http/people-routes')).peopleRoutes as never;

/**
 * The ops routes share one function (`fn: 'ops'`); their deps need Step Functions: the deps'
 * `ops` when a test brings them (the stack's Step Functions, its own table client), else the
 * function as the local stack wires it from the environment.
 */
const opsGroup = async () => {
  const { opsRoutes } = await import('#shared/http/ops-routes');
  return (deps: WithConfigs & { ops?: OpsDeps }): Handler =>
    deps.ops
      ? (opsRoutes(deps.ops) as Handler)
      : async (event, lambda) => ((await import('#functions/api/ops')).handler as Handler)(event, lambda);
};

/** The console's own routes share one function over the ticket deps (with `files` where a test keeps files). */
const consoleGroup = async () => (await import('#shared/http/console-routes')).consoleRoutes as never;

/** The reports' routes share one function, fed the report store of the same table (`reports`). */
const reportGroup = async () => {
  const { reportRoutes } = await import('#shared/http/report-routes');
  return (deps: WithConfigs & { reports?: ReportStore }): Handler => {
    if (!deps.reports)
      throw new Error('The report routes need the report store: pass { ...tickets, reports }.');
    return reportRoutes({
      reports: deps.reports,
      store: deps.store,
      config: deps.config,
      clock: deps.clock,
    }) as Handler;
  };
};
/** The survey's routes share one function, fed a CSAT keyring (`keyring`, else a test key). */
const csatGroup = async () => {
  const { csatRoutes } = await import('#shared/http/csat-routes');
  return (deps: WithConfigs & { keyring?: CsatKeyring }): Handler =>
    csatRoutes({ tickets: deps, keyring: deps.keyring ?? TEST_CSAT_KEYRING }) as Handler;
};

/** The key the tests sign survey links with. */
const TEST_CSAT_KEYRING = staticKeyring([{ id: 'test', secret: Buffer.from('tierdesk test csat key') }]);

const factories: Record<RouteId, () => Promise<(deps: TicketDeps) => Handler>> = {
  'create-ticket': async () => (await import('#functions/api/create-ticket')).createTicket as never,
  'list-tickets': async () => (await import('#functions/api/list-tickets')).listTickets as never,
  'get-ticket': async () => (await import('#functions/api/get-ticket')).getTicket as never,
  'update-ticket': async () => (await import('#functions/api/update-ticket')).updateTicket as never,
  'get-timeline': async () => (await import('#functions/api/get-timeline')).getTimeline as never,
  'add-comment': async () => (await import('#functions/api/add-comment')).addComment as never,
  'list-users': peopleGroup,
  'get-user': peopleGroup,
  'put-user': peopleGroup,
  'deactivate-user': peopleGroup,
  'reactivate-user': peopleGroup,
  'list-user-open-tickets': peopleGroup,
  'reassign-user-tickets': peopleGroup,
  // Its execution lookups need Step Functions: the e2e tests exercise it on the local stack.
  'get-workflow': async () => {
    const { handler } = await import('#functions/api/get-workflow');
    return () => handler as never;
  },
  'escalate-ticket': async () => (await import('#functions/api/escalate-ticket')).escalateTicket as never,
  'set-pending': async () => (await import('#functions/api/set-pending')).setPending as never,
  'resolve-ticket': async () => (await import('#functions/api/resolve-ticket')).resolveTicket as never,
  'reopen-ticket': async () => (await import('#functions/api/reopen-ticket')).reopenTicket as never,
  'hand-off-ticket': async () => (await import('#functions/api/hand-off-ticket')).handOffTicket as never,
  'record-vendor-update': async () =>
    (await import('#functions/api/record-vendor-update')).recordVendorUpdate as never,
  'merge-ticket': async () => (await import('#functions/api/merge-ticket')).mergeTicket as never,
  'close-ticket': async () => (await import('#functions/api/close-ticket')).closeTicket as never,
  // Knowledge base: these factories take the KB deps (`KbDeps`, with `TicketDeps` where they touch
  // tickets); a test passes one object that carries both.
  'get-ticket-suggestions': async () =>
    (await import('#functions/api/get-ticket-suggestions')).getTicketSuggestions as never,
  'list-articles': async () => (await import('#functions/api/list-articles')).listArticles as never,
  'create-article': async () => (await import('#functions/api/create-article')).createArticle as never,
  'get-article': async () => (await import('#functions/api/get-article')).getArticle as never,
  'update-article': async () => (await import('#functions/api/update-article')).updateArticle as never,
  'delete-article': async () => (await import('#functions/api/delete-article')).deleteArticle as never,
  'list-article-revisions': async () =>
    (await import('#functions/api/list-article-revisions')).listArticleRevisions as never,
  'search-articles': async () => (await import('#functions/api/search-articles')).searchArticles as never,
  'suggest-articles': async () => (await import('#functions/api/suggest-articles')).suggestArticles as never,
  'record-deflection': async () =>
    (await import('#functions/api/record-deflection')).recordDeflection as never,
  'search-public-articles': async () =>
    (await import('#functions/api/search-public-articles')).searchPublicArticles as never,
  'get-public-article': async () =>
    (await import('#functions/api/get-public-article')).getPublicArticle as never,
  'suggest-public-articles': async () =>
    (await import('#functions/api/suggest-public-articles')).suggestPublicArticles as never,
  'record-public-deflection': async () =>
    (await import('#functions/api/record-public-deflection')).recordPublicDeflection as never,
  'get-config': configGroup,
  'apply-config': configGroup,
  'diff-config': configGroup,
  'get-config-version': configGroup,
  'restore-config': configGroup,
  'get-config-section': configGroup,
  'put-config-section': configGroup,
  'get-config-item': configGroup,
  'put-config-item': configGroup,
  'delete-config-item': configGroup,
  'get-config-audit': configGroup,
  'get-config-warnings': configGroup,
  'dry-run-policy': configGroup,
  'list-executions': opsGroup as never,
  'get-ticket-executions': opsGroup as never,
  'redrive-execution': opsGroup as never,
  'restart-execution': opsGroup as never,
  'redrive-executions': opsGroup as never,
  'start-reconciliation': opsGroup as never,
  'get-ops-job': opsGroup as never,
  'get-me': consoleGroup as never,
  'put-presence': consoleGroup as never,
  'get-presence': consoleGroup as never,
  'delete-presence': consoleGroup as never,
  'create-attachment': consoleGroup as never,
  'get-attachment': consoleGroup as never,
  'get-report-summary': reportGroup as never,
  'get-report-timeseries': reportGroup as never,
  'answer-csat': csatGroup as never,
  'get-csat-page': csatGroup as never,
  'post-csat-page': csatGroup as never,
  'get-openapi': async () => {
    const { handler } = await import('#functions/api/get-openapi');
    return () => handler as never;
  },
};

export interface ApiCall {
  method: string;
  url: string;
  as?: DevIdentity;
  body?: unknown;
  headers?: Record<string, string>;
  /** The caller's address, as API Gateway sees the connection (default 127.0.0.1). */
  sourceIp?: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
  json: any;
  /** The body as text (a page the survey's link serves is HTML, not JSON). */
  text: string;
}

const routes = compileRoutes(ROUTES);
const context = {
  awsRequestId: 'test',
  functionName: 'test',
  getRemainingTimeInMillis: () => 30_000,
} as Context;

/**
 * Authorization follows the directory, so the person a test calls as must be in it: the first
 * call as an identity (or as a changed one: another role, other tiers) writes the entry a real
 * admin would have written for them. A later change through the admin routes is left alone as
 * long as the test keeps calling as the same identity: that is the token minted before it.
 */
const seeded = new Map<string, { signature: string; written: Promise<unknown> }>();
export const ensureInDirectory = async (
  directory: Pick<Directory, 'putUser'>,
  scope: string,
  { email, role, tiers = [] }: DevIdentity,
  now: Date,
): Promise<void> => {
  const id = normalizeEmail(email);
  const signature = JSON.stringify([role, [...tiers].sort()]);
  const key = `${scope}|${id}`;
  const known = seeded.get(key);
  // Concurrent first calls as one identity share one write (a burst of 100 would race itself).
  if (known?.signature === signature) {
    await known.written;
    return;
  }
  const written = directory.putUser({
    email: id,
    name: id,
    role,
    tiers: role === 'agent' ? [...tiers] : [],
    updatedAt: now.toISOString(),
  });
  seeded.set(key, { signature, written });
  try {
    await written;
  } catch (error) {
    seeded.delete(key);
    throw error;
  }
};

export interface ApiOptions {
  /** How long the handlers remember who a caller is (default: 0, the directory on every call). */
  principalTtlMs?: number;
  /** The clock that TTL runs on (default: the deps' clock). */
  principalClock?: Clock;
}

/**
 * Handler modules wire their default dependencies at import time, so the environment must name
 * a table before the first import; `deps` then replaces those defaults for the calls made here.
 */
export const apiFor = (deps: TicketDeps, tableName: string, endpoint: string, options: ApiOptions = {}) => {
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  const built = new Map<RouteId, Handler>();
  const withIdentity = { identity: new RecordingIdentityProvider(), ...deps };
  const principals = new PrincipalResolver(
    (email) => deps.directory.getUser(email),
    options.principalClock ?? deps.clock,
    options.principalTtlMs ?? 0,
  );
  return async ({
    method,
    url,
    as,
    body,
    headers = {},
    sourceIp = '127.0.0.1',
  }: ApiCall): Promise<ApiResponse> => {
    const match = matchRoute(routes, method, url.split('?')[0] ?? url);
    if (!match) throw new Error(`no route for ${method} ${url}`);
    const id = match.compiled.route.id as RouteId;
    if (!built.has(id)) built.set(id, (await factories[id]())(withIdentity));
    if (as) await ensureInDirectory(deps.directory, tableName, as, deps.clock.now());
    // Handlers of this process share one resolver: the one over this api's table and clock.
    usePrincipalResolver(principals);
    const payload = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    const event = toEvent(
      {
        method,
        url,
        headers: Object.fromEntries(
          Object.entries({ ...(payload ? { 'content-type': 'application/json' } : {}), ...headers }).map(
            ([k, v]) => [k.toLowerCase(), [v]],
          ),
        ),
        body: Buffer.from(payload),
        sourceIp,
        port: 3000,
      },
      match,
      as ? toGatewayClaims(devClaims(as)) : undefined,
    );
    const response = fromResult(await (built.get(id) as Handler)(event, context));
    const text = response.body.toString('utf8');
    const isJson = /json/i.test(response.headers['content-type'] ?? 'application/json');
    return {
      status: response.statusCode,
      headers: response.headers,
      json: text && isJson ? JSON.parse(text) : undefined,
      text,
    };
  };
};
