import { DEMO_DESK_DOCUMENT } from '#infra/local/demo/service-levels';
import type { DevIdentity } from '#infra/local/dev-key';
import { ROUTES, type RouteId } from '#shared/http/routes';
import { person, type TestStack } from '#test/support/local-stack';
import { Failures, type VerifyPromise } from './promise.ts';
import { sharedStack } from './stack.ts';

/**
 * Authorization: every route × principal × resource against the outcome the table below expects,
 * over HTTP on the local stack. The table is keyed by the route table's ids: a route without a
 * row fails the run, so a new route joins the matrix the day it is added.
 *
 * Outcomes: `ok` (2xx), `state` (the caller may act, the resource's state may refuse: 2xx or
 * 409), `401` (API Gateway: no token), `403` (visible, not allowed), `404` (not visible: the same
 * answer as a ticket that does not exist). Cells a principal cannot have on a resource (an agent
 * below Tier 1) are absent.
 */

type Who =
  | 'anonymous'
  | 'owner'
  | 'other'
  | 'watcher'
  | 'agentTier'
  | 'agentBelow'
  | 'agentAbove'
  | 'supervisor'
  | 'admin'
  | 'ops';
type Outcome = 'ok' | 'state' | 401 | 403 | 404;
type TicketResource = 't1' | 't3' | 'merged' | 'mergeTarget';
type ArticleResource = 'publicPublished' | 'internalPublished' | 'publicDraft' | 'internalDraft';
/** A file listed on the shared Tier 1 ticket: on its requester's reply, or on a supervisor's note. */
type FileResource = 'publicFile' | 'internalFile';
type Resource = TicketResource | ArticleResource | FileResource | 'none';

const WHO: readonly Who[] = [
  'anonymous',
  'owner',
  'other',
  'watcher',
  'agentTier',
  'agentBelow',
  'agentAbove',
  'supervisor',
  'admin',
  'ops',
];

type Row = Partial<Record<Who, Outcome>>;
/** A route's expectations per resource (`none` for routes about no particular resource). */
type Expectations = Partial<Record<Resource, Row>>;

/** Admins only: everyone else signed in is refused. */
const ADMIN_ONLY: Row = { ...allOf(403), anonymous: 401, admin: 'ok' };
const CONFIG_READERS: Row = { ...ADMIN_ONLY, supervisor: 'ok' };
/** Operating the ticket workflows: on-call ops, supervisors, admins. */
const OPERATORS: Row = { ...ADMIN_ONLY, supervisor: 'ok', ops: 'ok' };

// ---- patterns: who may do what to a ticket --------------------------------------------------

/** Reading a ticket: its participants and the staff of its tier (and above). */
const VIEW: Row = {
  anonymous: 401,
  owner: 'ok',
  other: 404,
  watcher: 'ok',
  agentTier: 'ok',
  agentBelow: 404,
  agentAbove: 'ok',
  supervisor: 'ok',
  admin: 'ok',
};
/** Staff-only views and actions of a ticket its participants can see. */
const STAFF: Row = { ...VIEW, owner: 403, watcher: 403 };
/** The desk's own business on a ticket (who of it is on the ticket): to its participants, no such thing. */
const DESK_ONLY: Row = { ...VIEW, owner: 404, watcher: 404 };
const STAFF_STATE: Row = asState(STAFF);
/** Escalating: the tier that did the work writes the work order (or a supervisor, an admin). */
const ESCALATE: Row = { ...STAFF_STATE, agentAbove: 403 };
/** Hand-off to a vendor: Tier 3, supervisors, admins — the ticket's state decides the rest. */
const HAND_OFF_T1: Row = { ...STAFF_STATE, agentTier: 403, agentAbove: 403 };
const HAND_OFF_T3: Row = { ...STAFF_STATE };
/** A requester may change the subject of their own ticket; watchers change nothing. */
const UPDATE: Row = { ...VIEW, watcher: 403 };
/** Reopening: the requester and staff; a watcher may not (and a watcher's comment does not). */
const REOPEN: Row = { ...asState(VIEW), watcher: 403 };

/** The satisfaction answer: the requester alone, and only once the ticket is closed. */
const CSAT_ANSWER: Row = {
  ...VIEW,
  owner: 'state',
  watcher: 403,
  agentTier: 403,
  agentAbove: 403,
  supervisor: 403,
  admin: 403,
};

function asState(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).map(([who, outcome]) => [who, outcome === 'ok' ? 'state' : outcome]),
  );
}

/**
 * The ticket a duplicate was merged into, owned by `other`: the duplicate's requester (`owner`)
 * and watcher do not get to read another requester's ticket by having filed a duplicate of it.
 */
const MERGE_TARGET: Row = { ...VIEW, owner: 404, watcher: 404, other: 'ok' };

/** A merged duplicate is closed: it can be read by whoever could read it, changed by nobody. */
const MERGED_ACTION: Row = asState({ ...STAFF });

const TICKET_ROUTES = (rows: Partial<Record<TicketResource, Row>>): Expectations => rows;

// ---- patterns: the knowledge base -----------------------------------------------------------

const STAFF_ONLY: Row = {
  anonymous: 401,
  owner: 404,
  other: 404,
  watcher: 404,
  agentTier: 'ok',
  agentBelow: 'ok',
  supervisor: 'ok',
  admin: 'ok',
};
const EVERYONE_SIGNED_IN: Row = { ...STAFF_ONLY, owner: 'ok', other: 'ok', watcher: 'ok' };
const ANYONE: Row = { ...EVERYONE_SIGNED_IN, anonymous: 'ok' };
/** Changing what requesters read needs a publisher (Tier 3, supervisor, admin). */
const PUBLISHER_ONLY: Row = { ...STAFF_ONLY, agentBelow: 403 };
/** Requesters: 403 for a change they may not make to an article they can read. */
const PUBLISHER_READABLE: Row = { ...PUBLISHER_ONLY, owner: 403, other: 403, watcher: 403 };
const STAFF_CHANGE_READABLE: Row = { ...STAFF_ONLY, owner: 403, other: 403, watcher: 403 };

/** The expected outcomes: every route of the route table has a row. */
const MATRIX: Record<RouteId, Expectations> = {
  'create-ticket': { none: { ...EVERYONE_SIGNED_IN, agentTier: 'ok', agentBelow: 'ok' } },
  'list-tickets': { none: EVERYONE_SIGNED_IN },
  'get-ticket': TICKET_ROUTES({ t1: VIEW, t3: VIEW, merged: VIEW, mergeTarget: MERGE_TARGET }),
  'get-timeline': TICKET_ROUTES({ t1: VIEW, t3: VIEW, merged: VIEW, mergeTarget: MERGE_TARGET }),
  'update-ticket': TICKET_ROUTES({ t1: UPDATE, t3: UPDATE, merged: asState(UPDATE) }),
  'add-comment': TICKET_ROUTES({ t1: VIEW, t3: VIEW, merged: asState(VIEW) }),
  'escalate-ticket': TICKET_ROUTES({ t1: ESCALATE, t3: ESCALATE, merged: ESCALATE }),
  'set-pending': TICKET_ROUTES({ t1: STAFF_STATE, t3: STAFF_STATE, merged: MERGED_ACTION }),
  'resolve-ticket': TICKET_ROUTES({ t1: STAFF_STATE, t3: STAFF_STATE, merged: MERGED_ACTION }),
  'reopen-ticket': TICKET_ROUTES({ t1: REOPEN, t3: REOPEN, merged: { ...MERGED_ACTION, owner: 'state' } }),
  'hand-off-ticket': TICKET_ROUTES({ t1: HAND_OFF_T1, t3: HAND_OFF_T3, merged: HAND_OFF_T1 }),
  'record-vendor-update': TICKET_ROUTES({ t1: STAFF_STATE, t3: STAFF_STATE, merged: MERGED_ACTION }),
  'merge-ticket': TICKET_ROUTES({ t1: STAFF_STATE, t3: STAFF_STATE, merged: MERGED_ACTION }),
  'close-ticket': TICKET_ROUTES({ t1: STAFF_STATE, t3: STAFF_STATE, merged: MERGED_ACTION }),
  // The ticket's agents, and the operators who follow a failed workflow to its picture.
  'get-workflow': TICKET_ROUTES({
    t1: { ...STAFF, ops: 'ok' },
    t3: { ...STAFF, ops: 'ok' },
    merged: { ...STAFF, ops: 'ok' },
  }),
  'get-ticket-suggestions': TICKET_ROUTES({ t1: VIEW, t3: VIEW }),
  'list-articles': { none: EVERYONE_SIGNED_IN },
  'create-article': { none: { ...STAFF_ONLY, owner: 403, other: 403, watcher: 403 } },
  'get-article': {
    publicPublished: EVERYONE_SIGNED_IN,
    internalPublished: STAFF_ONLY,
    publicDraft: STAFF_ONLY,
    internalDraft: STAFF_ONLY,
  },
  'update-article': {
    publicPublished: PUBLISHER_READABLE,
    internalPublished: STAFF_ONLY,
    publicDraft: STAFF_ONLY,
    internalDraft: STAFF_ONLY,
  },
  'delete-article': {
    publicPublished: PUBLISHER_READABLE,
    internalPublished: STAFF_ONLY,
    publicDraft: STAFF_ONLY,
    internalDraft: STAFF_ONLY,
  },
  'list-article-revisions': {
    publicPublished: STAFF_CHANGE_READABLE,
    internalPublished: STAFF_ONLY,
    publicDraft: STAFF_ONLY,
    internalDraft: STAFF_ONLY,
  },
  'search-articles': { none: EVERYONE_SIGNED_IN },
  'suggest-articles': { none: EVERYONE_SIGNED_IN },
  'record-deflection': {
    publicPublished: EVERYONE_SIGNED_IN,
    internalPublished: { ...STAFF_ONLY, owner: 404 },
  },
  'search-public-articles': { none: ANYONE },
  'get-public-article': {
    publicPublished: ANYONE,
    internalPublished: { ...ANYONE, ...allOf(404) },
    publicDraft: { ...ANYONE, ...allOf(404) },
    internalDraft: { ...ANYONE, ...allOf(404) },
  },
  'suggest-public-articles': { none: ANYONE },
  // Without sign-in a token is not read: every caller is the anonymous one, limited per address.
  'record-public-deflection': {
    publicPublished: { anonymous: 'ok' },
    internalPublished: { anonymous: 404 },
    publicDraft: { anonymous: 404 },
    internalDraft: { anonymous: 404 },
  },
  // The people directory is the admins' alone; an admin asking about someone not in it gets 404.
  'list-users': { none: ADMIN_ONLY },
  'get-user': { none: { ...ADMIN_ONLY, admin: 404 } },
  'put-user': { none: ADMIN_ONLY },
  'deactivate-user': { none: { ...ADMIN_ONLY, admin: 404 } },
  'reactivate-user': { none: { ...ADMIN_ONLY, admin: 404 } },
  'list-user-open-tickets': { none: ADMIN_ONLY },
  'reassign-user-tickets': { none: { ...ADMIN_ONLY, admin: 404 } },
  // The configuration: admins change it, supervisors read it and try policies out.
  'get-config': { none: CONFIG_READERS },
  'apply-config': { none: ADMIN_ONLY },
  'diff-config': { none: CONFIG_READERS },
  'get-config-version': { none: CONFIG_READERS },
  'restore-config': { none: ADMIN_ONLY },
  'get-config-section': { none: CONFIG_READERS },
  'put-config-section': { none: ADMIN_ONLY },
  'get-config-item': { none: CONFIG_READERS },
  'put-config-item': { none: ADMIN_ONLY },
  'delete-config-item': { none: { ...ADMIN_ONLY, admin: 404 } },
  'get-config-audit': { none: CONFIG_READERS },
  'get-config-warnings': { none: CONFIG_READERS },
  'dry-run-policy': { none: CONFIG_READERS },
  // Operations: the ticket's workflow is running, so redrive and restart find nothing to do (409).
  'list-executions': { none: OPERATORS },
  'get-ticket-executions': { t1: OPERATORS },
  'redrive-execution': { t1: asState(OPERATORS) },
  'restart-execution': { t1: asState(OPERATORS) },
  'redrive-executions': { none: OPERATORS },
  'start-reconciliation': { none: OPERATORS },
  'get-ops-job': { none: { ...OPERATORS, ops: 404, supervisor: 404, admin: 404 } },
  // Reports are the supervisors' and admins'; the survey is the requester's (the ticket is open
  // here: 409), and a link whose token is not signed is no link (404 for anyone).
  'get-report-summary': { none: CONFIG_READERS },
  'get-report-timeseries': { none: CONFIG_READERS },
  'answer-csat': TICKET_ROUTES({ t1: CSAT_ANSWER, t3: CSAT_ANSWER, merged: CSAT_ANSWER }),
  'get-csat-page': { none: allOf(404) },
  'post-csat-page': { none: allOf(404) },
  'get-me': { none: { ...EVERYONE_SIGNED_IN, agentAbove: 'ok', ops: 'ok' } },
  'put-presence': TICKET_ROUTES({ t1: DESK_ONLY, t3: DESK_ONLY, merged: DESK_ONLY }),
  'get-presence': TICKET_ROUTES({ t1: DESK_ONLY, t3: DESK_ONLY, merged: DESK_ONLY }),
  'delete-presence': TICKET_ROUTES({ t1: DESK_ONLY, t3: DESK_ONLY, merged: DESK_ONLY }),
  // Uploading: whoever may comment. A download is for whoever sees the event that lists the file:
  // a reply's file like the ticket, a note's file the desk's alone.
  'create-attachment': TICKET_ROUTES({ t1: VIEW, t3: VIEW, merged: VIEW }),
  'get-attachment': { publicFile: VIEW, internalFile: { ...VIEW, owner: 404, watcher: 404 } },
  'get-openapi': { none: ANYONE },
};

function allOf(outcome: Outcome): Row {
  return Object.fromEntries(WHO.map((who) => [who, outcome]));
}

export const authorization: VerifyPromise = {
  name: 'authorization',
  async run() {
    const stack = await sharedStack();
    const failures = new Failures();
    const missing = ROUTES.filter((route) => !(route.id in MATRIX)).map((route) => route.id);
    for (const id of missing) failures.add(`route ${id} has no row in the authorization matrix`);
    const cells = await runMatrix(stack, failures);
    return { figures: cells, ...failures.report() };
  },
};

// ---- running it -----------------------------------------------------------------------------

const agent = (tier: 1 | 2 | 3, label: string): DevIdentity => ({
  email: person(`${label}-t${tier}`),
  role: 'agent',
  tiers: [tier],
});

interface Cast {
  owner: DevIdentity;
  other: DevIdentity;
  watcher: DevIdentity;
  supervisor: DevIdentity;
  admin: DevIdentity;
  ops: DevIdentity;
  agents: Record<1 | 2 | 3, DevIdentity>;
}

const castFor = (): Cast => ({
  owner: { email: person('owner'), role: 'requester' },
  other: { email: person('other'), role: 'requester' },
  watcher: { email: person('watcher'), role: 'requester' },
  supervisor: { email: person('supervisor'), role: 'supervisor' },
  admin: { email: person('admin'), role: 'admin' },
  ops: { email: person('ops'), role: 'ops' },
  agents: { 1: agent(1, 'agent'), 2: agent(2, 'agent'), 3: agent(3, 'agent') },
});

/** The identity behind a principal for a resource at `tier` (undefined: no such principal). */
const identityOf = (cast: Cast, who: Who, tier: number): DevIdentity | undefined | 'anonymous' => {
  switch (who) {
    case 'anonymous':
      return 'anonymous';
    case 'agentTier':
      return cast.agents[Math.min(tier, 3) as 1 | 2 | 3];
    case 'agentBelow':
      return tier > 1 ? cast.agents[(Math.min(tier, 3) - 1) as 1 | 2] : undefined;
    case 'agentAbove':
      return tier < 3 ? cast.agents[(tier + 1) as 2 | 3] : undefined;
    case 'owner':
    case 'other':
    case 'watcher':
    case 'supervisor':
    case 'admin':
    case 'ops':
      return cast[who];
  }
};

const expectOk = (what: string, response: { status: number; body: unknown }) => {
  if (response.status >= 300)
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
  return response.body as { number: number; version: number; id: string };
};

const DESK = DEMO_DESK_DOCUMENT as { settings: unknown; calendars: unknown[] };

/** Tickets in the states the matrix needs, created through the API as people would. */
const ticketMaker = (stack: TestStack, cast: Cast) => {
  const create = async (requester: DevIdentity, watchers: string[] = []) =>
    expectOk(
      'create',
      await stack.api('/tickets', {
        method: 'POST',
        as: requester,
        body: { subject: 'Docking station', description: 'No picture on the second screen.', watchers },
      }),
    ).number;
  const act = async (number: number, action: string, as: DevIdentity, body: unknown) =>
    expectOk(
      `${action} #${number}`,
      await stack.api(`/tickets/${number}/${action}`, { method: 'POST', as, body }),
    );
  const t1 = () => create(cast.owner, [cast.watcher.email]);
  const t3 = async () => {
    const number = await t1();
    await act(number, 'escalate', cast.agents[1], {
      reason: 'Needs a specialist',
      summary: 'Checked cables.',
    });
    await act(number, 'escalate', cast.agents[2], {
      reason: 'Needs engineering',
      summary: 'Firmware suspected.',
    });
    return number;
  };
  const merged = async () => {
    const duplicate = await t1();
    const target = await create(cast.other);
    await act(duplicate, 'merge', cast.supervisor, { into: target });
    return { duplicate, target };
  };
  return { t1, t3, merged };
};

/** What a route is called with on a resource: its path and a body that passes validation. */
export const requestFor = (
  id: RouteId,
  resource: { number?: number; mergeInto?: number; article?: string; attachment?: string },
): { path: string; body?: unknown; headers?: Record<string, string> } => {
  const route = ROUTES.find((candidate) => candidate.id === id);
  if (!route) throw new Error(`no route ${id}`);
  const path = route.path
    .replace('{number}', String(resource.number ?? 0))
    .replace('{id}', resource.attachment ?? resource.article ?? 'none')
    .replace('{email}', encodeURIComponent(person('someone')))
    .replace('{token}', 'k1.1.4102444800.not-a-signature');
  const ifMatch = { 'if-match': '*' };
  switch (id) {
    case 'create-ticket':
      return { path, body: { subject: 'Mouse', description: 'Double clicks.' } };
    case 'list-tickets':
      return { path: `${path}?view=mine` };
    case 'update-ticket':
      return { path, body: { subject: 'Docking station, second screen' }, headers: ifMatch };
    case 'add-comment':
      return { path, body: { body: 'Any news?' } };
    case 'escalate-ticket':
      return { path, body: { reason: 'Needs the next tier', summary: 'Tried the usual.' } };
    case 'set-pending':
      return { path, body: { reason: 'Which dock model?' } };
    case 'resolve-ticket':
      return { path, body: { resolution: 'Firmware updated.' } };
    case 'reopen-ticket':
      return { path, body: { reason: 'Back again.' } };
    case 'hand-off-ticket':
      return { path, body: { vendorId: 'printix', message: 'Please have a look.' } };
    case 'record-vendor-update':
      return { path, body: { message: 'Looked at it.' } };
    case 'merge-ticket':
      return { path, body: { into: resource.mergeInto ?? 0 } };
    case 'close-ticket':
      return { path, body: {} };
    case 'search-articles':
    case 'search-public-articles':
      return { path: `${path}?q=password` };
    case 'suggest-articles':
    case 'suggest-public-articles':
      return { path, body: { subject: 'forgot my password' } };
    case 'create-article':
      return { path, body: { title: `Verify ${Math.random()}`, body: 'Text.', category: 'general' } };
    case 'update-article':
      return { path, body: { title: `Changed ${Math.random().toString(36).slice(2)}` }, headers: ifMatch };
    case 'delete-article':
      return { path, headers: ifMatch };
    case 'record-deflection':
    case 'record-public-deflection':
      return { path, body: { articleId: resource.article } };
    case 'put-user':
      return { path, body: { name: 'Someone', role: 'requester' } };
    case 'reassign-user-tickets':
      return { path, body: { group: 'tier1' } };
    // The configuration: every change re-applies what the demo desk already has (no new version).
    case 'apply-config':
    case 'diff-config':
      return { path, body: DEMO_DESK_DOCUMENT, headers: ifMatch };
    case 'get-config-version':
      return { path: path.replace('{version}', '0') };
    case 'restore-config':
      return { path, body: { version: 1, kind: 'settings' } };
    case 'get-config-section':
      return { path: path.replace('{kind}', 'calendars') };
    case 'put-config-section':
      return { path: path.replace('{kind}', 'settings'), body: DESK.settings, headers: ifMatch };
    case 'get-config-item':
      return { path: '/admin/config/calendars/business-hours' };
    case 'put-config-item':
      return { path: '/admin/config/calendars/business-hours', body: DESK.calendars[0], headers: ifMatch };
    case 'delete-config-item':
      return { path: '/admin/config/vendors/none', headers: ifMatch };
    case 'redrive-executions':
      return { path, body: { status: 'FAILED', since: '2999-01-01T00:00:00Z' } };
    case 'get-ops-job':
      return { path: '/ops/jobs/20260101T000000-00000000' };
    case 'dry-run-policy':
      return { path: '/admin/policies/standard/dry-run', body: { ticket: resource.number ?? 1 } };
    case 'get-report-timeseries':
      return { path: `${path}?metric=created` };
    case 'answer-csat':
    case 'post-csat-page':
      return { path, body: { score: 4, comment: 'Quick, thanks' } };
    case 'put-presence':
      return { path, body: { state: 'viewing' } };
    case 'create-attachment':
      return { path, body: { filename: 'screen.png', contentType: 'image/png', size: 2048 } };
    case 'get-attachment':
      return { path: path.replace('/none', '/no-such-attachment') };
    default:
      return { path };
  }
};

const isMutating = (id: RouteId) => {
  const method = ROUTES.find((route) => route.id === id)?.method;
  return method !== 'GET' && !['search-articles', 'suggest-articles', 'suggest-public-articles'].includes(id);
};

const accepts = (outcome: Outcome, status: number): boolean => {
  if (outcome === 'ok') return status >= 200 && status < 300;
  if (outcome === 'state') return (status >= 200 && status < 300) || status === 409;
  return status === outcome;
};

const runMatrix = async (stack: TestStack, failures: Failures): Promise<string> => {
  const cast = castFor();
  const make = ticketMaker(stack, cast);
  const articles = await articleMaker(stack, cast);
  let cells = 0;
  let fresh = 0;
  const tiers: Record<TicketResource | FileResource, number> = {
    t1: 1,
    t3: 3,
    merged: 1,
    mergeTarget: 1,
    publicFile: 1,
    internalFile: 1,
  };

  // Read-only cells share one resource each; a cell that may change its resource gets a fresh one.
  const shared = { t1: await make.t1(), t3: await make.t3(), merged: await make.merged() };
  const files: Record<FileResource, string> = {
    publicFile: await attachFile(stack, shared.t1, cast.owner, true),
    internalFile: await attachFile(stack, shared.t1, cast.supervisor, false),
  };
  // Need to know: an internal note on each shared ticket must never reach a requester's answer.
  const secret = `internal-${Math.random().toString(36).slice(2)}`;
  for (const number of [shared.t1, shared.t3, shared.merged.duplicate, shared.merged.target]) {
    expectOk(
      'internal note',
      await stack.api(`/tickets/${number}/comments`, {
        method: 'POST',
        as: cast.supervisor,
        body: { body: `Note for the desk: ${secret}`, public: false },
      }),
    );
  }
  let requesterAnswers = 0;
  const spareTarget = await make.t1();

  const call = async (
    id: RouteId,
    who: Who,
    identity: DevIdentity | 'anonymous',
    request: ReturnType<typeof requestFor>,
  ) => {
    const response = await stack.api(request.path, {
      method: ROUTES.find((route) => route.id === id)?.method ?? 'GET',
      ...(identity !== 'anonymous' && { as: identity }),
      ...(request.body !== undefined && { body: request.body }),
      ...(request.headers && { headers: request.headers }),
    });
    cells++;
    if (who === 'owner' || who === 'other' || who === 'watcher' || who === 'anonymous') {
      requesterAnswers++;
      if (JSON.stringify(response.body).includes(secret))
        failures.add(`${id} as ${who}: an internal note reached a requester: ${request.path}`);
      for (const field of deskFieldsIn(response.body))
        failures.add(`${id} as ${who}: the desk field "${field}" reached a requester: ${request.path}`);
    }
    return { who, status: response.status, body: response.body };
  };

  for (const route of ROUTES) {
    const expectations = MATRIX[route.id];
    if (!expectations) continue;
    for (const [resource, row] of Object.entries(expectations) as [Resource, Row][]) {
      for (const who of WHO) {
        const outcome = row[who];
        if (outcome === undefined) continue;
        // Knowledge-base and desk-wide routes: "the tier" is Tier 3 (publishers), "below" Tier 2.
        const tier = resource in tiers ? tiers[resource as TicketResource | FileResource] : 3;
        const identity = identityOf(cast, who, tier);
        if (identity === undefined) continue;
        let target: { number?: number; mergeInto?: number; article?: string; attachment?: string } = {};
        const changes = isMutating(route.id) && outcome !== 401 && outcome !== 403 && outcome !== 404;
        if (resource === 't1' || resource === 't3') {
          const number = changes ? await make[resource]() : shared[resource];
          if (changes) fresh++;
          target = { number, mergeInto: spareTarget };
        } else if (resource === 'merged') {
          target = { number: shared.merged.duplicate, mergeInto: spareTarget };
        } else if (resource === 'mergeTarget') {
          target = { number: shared.merged.target };
        } else if (resource === 'publicFile' || resource === 'internalFile') {
          target = { number: shared.t1, attachment: files[resource] };
        } else if (resource !== 'none') {
          target = { article: changes ? await articles.fresh(resource) : articles.shared[resource] };
          if (changes) fresh++;
        }
        const result = await call(route.id, who, identity, requestFor(route.id, target));
        if (!accepts(outcome, result.status)) {
          failures.add(
            `${route.id} on ${resource} as ${who}: expected ${outcome}, got ${result.status} ${JSON.stringify(result.body).slice(0, 140)}`,
          );
        }
      }
    }
  }
  // The control: the desk's answer carries those fields, so their absence above means something.
  const deskAnswer = await stack.api(`/tickets/${shared.t1}`, { as: cast.supervisor });
  if (deskFieldsIn(deskAnswer.body).length === 0)
    failures.add('the desk view of a ticket shows no desk field: the check above is void');
  // Nor in their mail: every mail the desk sent a requester of the matrix, read from the local SES.
  const sent = (await (await fetch(`${stack.mail.sesUrl}store`)).json()) as {
    emails: { destination: { to: string[] }; subject: string; body: { text?: string; html?: string } }[];
  };
  const requesters = [cast.owner.email, cast.other.email, cast.watcher.email];
  const theirs = sent.emails.filter((mail) =>
    mail.destination.to.some((to) => requesters.some((r) => to.includes(r))),
  );
  for (const mail of theirs) {
    if (JSON.stringify(mail).includes(secret))
      failures.add(`an internal note reached a requester by mail: ${mail.subject}`);
  }
  const resources = new Set(Object.values(MATRIX).flatMap((expectations) => Object.keys(expectations)));
  return `${cells} cells (${ROUTES.length} routes × ${WHO.length} principals × ${resources.size} resources where they apply; ${fresh} fresh resources for cells that change one); no internal note or desk field in ${requesterAnswers} answers to requesters, no internal note in the ${theirs.length} mails they were sent`;
};

/**
 * A file on a ticket, as the console attaches one: a presigned upload, the file posted to the
 * local S3, then a comment (a reply, or an internal note) that lists it. Its id.
 */
const attachFile = async (stack: TestStack, number: number, as: DevIdentity, reply: boolean) => {
  const { id, upload } = expectOk(
    'upload',
    await stack.api(`/tickets/${number}/attachments`, {
      method: 'POST',
      as,
      body: { filename: 'screen.png', contentType: 'image/png', size: 4 },
    }),
  ) as unknown as { id: string; upload: { url: string; fields: Record<string, string> } };
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append('file', new Blob([Uint8Array.of(0x89, 0x50, 0x4e, 0x47)], { type: 'image/png' }));
  const posted = await fetch(upload.url, { method: 'POST', body: form });
  if (!posted.ok) throw new Error(`upload: ${posted.status} ${await posted.text()}`);
  expectOk(
    'comment with a file',
    await stack.api(`/tickets/${number}/comments`, {
      method: 'POST',
      as,
      body: {
        body: reply ? 'The screen, attached.' : 'Note for the desk, with a file.',
        public: reply,
        attachments: [id],
      },
    }),
  );
  return id;
};

/** Articles in each audience × status, written by a publisher through the API. */
const articleMaker = async (stack: TestStack, cast: Cast) => {
  const states: Record<ArticleResource, { audience: string; status: string }> = {
    publicPublished: { audience: 'public', status: 'published' },
    internalPublished: { audience: 'internal', status: 'published' },
    publicDraft: { audience: 'public', status: 'draft' },
    internalDraft: { audience: 'internal', status: 'draft' },
  };
  const fresh = async (resource: ArticleResource) =>
    expectOk(
      `create ${resource} article`,
      await stack.api('/kb/articles', {
        method: 'POST',
        as: cast.admin,
        body: {
          title: `Verify ${resource} ${Math.random().toString(36).slice(2)}`,
          body: 'How to reset a password.',
          category: 'accounts/password',
          ...states[resource],
        },
      }),
    ).id;
  const shared = Object.fromEntries(
    await Promise.all(
      (Object.keys(states) as ArticleResource[]).map(
        async (resource) => [resource, await fresh(resource)] as const,
      ),
    ),
  ) as Record<ArticleResource, string>;
  return { fresh, shared };
};

/** Fields of a ticket that are the desk's business (the requester's view leaves them out). */
const DESK_FIELDS = [
  'priority',
  'impact',
  'urgency',
  'tier',
  'group',
  'assignee',
  'tags',
  'dueAt',
  'vendorId',
  'category',
];

/** The desk fields a response carries in any ticket it holds (a ticket, or a page of them). */
const deskFieldsIn = (body: unknown): string[] => {
  const tickets: unknown[] = Array.isArray((body as { items?: unknown })?.items)
    ? (body as { items: unknown[] }).items
    : [body];
  return tickets.flatMap((ticket) => {
    if (typeof ticket !== 'object' || ticket === null || !('number' in ticket) || !('subject' in ticket))
      return [];
    return DESK_FIELDS.filter((field) => field in ticket);
  });
};
