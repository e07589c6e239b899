import { DEMO_ARTICLES } from '#infra/local/demo/articles';
import { DEMO_DESK_DOCUMENT } from '#infra/local/demo/service-levels';
import { ROUTES, type RouteDefinition } from '#shared/http/routes';
import type { ApiResponse, TestStack } from '#test/support/local-stack';
import { Failures, type VerifyPromise } from './promise.ts';
import { sharedStack } from './stack.ts';

/**
 * Bad input: every route refuses what it cannot use with a 4xx application/problem+json that
 * says what is wrong — oversized, wrong content type, invalid and deeply nested JSON, huge
 * strings, control characters, unknown fields, bad cursors and limits, malformed path
 * parameters — never a 5xx, never a stack trace.
 */

const admin = { email: 'lena@example.com', role: 'admin' } as const;

/** Path parameters that name something that exists in the demo desk. */
const concretePath = (route: RouteDefinition, article: string) =>
  route.path
    .replace('{number}', '1')
    .replace('{kind}', route.id === 'put-config-section' ? 'settings' : 'calendars')
    .replace('{version}', '0')
    .replace('{id}', route.path.startsWith('/admin/') ? 'business-hours' : article)
    .replace('{email}', 'ann%40example.com');

const DESK = DEMO_DESK_DOCUMENT as {
  settings: Record<string, unknown>;
  calendars: Record<string, unknown>[];
};

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** A body each route accepts as to its shape, and the text field the text cases spoil. */
export const VALID: Record<string, { body: Record<string, unknown>; text: string }> = {
  'create-ticket': { body: { subject: 'Printer jammed', description: 'Tray 2 jams.' }, text: 'subject' },
  'update-ticket': { body: { subject: 'Printer jammed again' }, text: 'subject' },
  'add-comment': { body: { body: 'Still jammed.' }, text: 'body' },
  'escalate-ticket': {
    body: { reason: 'Needs a specialist.', summary: 'Tried the usual.' },
    text: 'summary',
  },
  'set-pending': { body: { reason: 'Which printer?' }, text: 'reason' },
  'resolve-ticket': { body: { resolution: 'Cleared the tray.' }, text: 'resolution' },
  'reopen-ticket': { body: { reason: 'Jammed again.' }, text: 'reason' },
  'hand-off-ticket': {
    body: { vendorId: 'printix', message: 'Please replace the roller.' },
    text: 'message',
  },
  'record-vendor-update': { body: { message: 'Roller replaced.' }, text: 'message' },
  'merge-ticket': { body: { into: 2 }, text: 'into' },
  'close-ticket': { body: { reason: 'Done.' }, text: 'reason' },
  'create-article': {
    body: { title: 'Clearing a jam', body: 'Open tray 2.', category: 'hardware/printer' },
    text: 'title',
  },
  'update-article': { body: { title: 'Clearing a paper jam' }, text: 'title' },
  'suggest-articles': { body: { subject: 'printer jam' }, text: 'subject' },
  'suggest-public-articles': { body: { subject: 'printer jam' }, text: 'subject' },
  'record-deflection': { body: { articleId: 'kb-password-reset' }, text: 'articleId' },
  'record-public-deflection': { body: { articleId: 'kb-password-reset' }, text: 'articleId' },
  'put-user': { body: { name: 'Ann Example', role: 'requester' }, text: 'name' },
  'reassign-user-tickets': { body: { group: 'tier1' }, text: 'group' },
  'apply-config': { body: DESK, text: 'calendars' },
  'diff-config': { body: DESK, text: 'calendars' },
  'restore-config': { body: { version: 0, kind: 'calendars', id: 'business-hours' }, text: 'id' },
  'put-config-section': { body: DESK.settings, text: 'timeZone' },
  'put-config-item': { body: DESK.calendars[0] ?? {}, text: 'name' },
  'dry-run-policy': { body: { ticket: 1 }, text: 'ticket' },
  'redrive-execution': { body: { reason: 'The vendor API is back.' }, text: 'reason' },
  'restart-execution': { body: { reason: 'The definition was fixed.' }, text: 'reason' },
  'redrive-executions': { body: { status: 'FAILED', since: '2999-01-01T00:00:00Z' }, text: 'since' },
  'start-reconciliation': { body: { tier: 1 }, text: 'tier' },
  'answer-csat': { body: { score: 4, comment: 'Quick, thanks' }, text: 'comment' },
  'post-csat-page': { body: { score: 4, comment: 'Quick, thanks' }, text: 'comment' },
  'put-presence': { body: { state: 'viewing' }, text: 'state' },
  'create-attachment': {
    body: { filename: 'screen.png', contentType: 'image/png', size: 2048 },
    text: 'filename',
  },
};

/** Ways to spoil a valid body, and the field a problem must then name (if any). */
const BODY_CASES: Record<
  string,
  (valid: { body: Record<string, unknown>; text: string }) => {
    body: string;
    contentType?: string;
    names?: string;
  }
> = {
  oversized: (v) => ({ body: JSON.stringify({ ...v.body, [v.text]: 'x'.repeat(200_000) }) }),
  'wrong content type': () => ({
    body: 'subject=Printer&description=jammed',
    contentType: 'application/x-www-form-urlencoded',
  }),
  'invalid JSON': () => ({ body: '{"subject": "unterminated' }),
  'not an object': () => ({ body: '[1,2,3]' }),
  'deeply nested JSON': (v) => ({ body: `{"${v.text}": ${nested(5_000)}}` }),
  'huge string': (v) => ({
    body: JSON.stringify({ ...v.body, [v.text]: 's'.repeat(60_000) }),
    names: v.text,
  }),
  'control characters': (v) => ({
    body: JSON.stringify({ ...v.body, [v.text]: 'Printer\u0000\u0007\u001b[31m jam' }),
    names: v.text,
  }),
  'unknown field': (v) => ({ body: JSON.stringify({ ...v.body, bogus: true }), names: 'bogus' }),
  'prototype keys': (v) => ({ body: `{"__proto__": {"admin": true}, ${JSON.stringify(v.body).slice(1)}` }),
};

const QUERY_CASES: Record<string, string> = {
  'bad cursor': 'cursor=bm90LWEtY3Vyc29y',
  'tampered cursor': `cursor=${Buffer.from('{"list":"TICKET#0000000001","at":{"sk":"x"}}').toString('base64url')}`,
  'huge cursor': `cursor=${'a'.repeat(5_000)}`,
  'negative limit': 'limit=-1',
  'limit not a number': 'limit=lots',
  'unknown parameter': 'bogus=1',
};

const PATH_CASES: Record<string, string> = {
  'ticket number not a number': 'abc',
  'ticket number too long': '1'.repeat(40),
  'ticket number negative': '-1',
};

export const badInput: VerifyPromise = {
  name: 'bad-input',
  async run() {
    const stack = await sharedStack();
    const article = DEMO_ARTICLES[0]?.id ?? 'missing';
    const failures = new Failures();
    let requests = 0;

    const check = (label: string, response: ApiResponse, names?: string) => {
      requests++;
      const type = response.headers.get('content-type') ?? '';
      const body = response.body as { title?: unknown; status?: unknown; detail?: unknown };
      const text = JSON.stringify(response.body);
      if (response.status < 400 || response.status >= 500)
        return failures.add(`${label}: ${response.status} ${text.slice(0, 160)}`);
      if (response.status === 401) return; // API Gateway's own answer, before any handler
      if (!type.startsWith('application/problem+json'))
        return failures.add(`${label}: ${response.status} as ${type}, not problem+json`);
      if (typeof body.title !== 'string' || body.status !== response.status)
        failures.add(`${label}: a problem without a title or with another status: ${text.slice(0, 160)}`);
      const fields = ((response.body as { errors?: { field?: string }[] }).errors ?? []).map(
        (issue) => issue.field ?? '',
      );
      if (names && !fields.some((field) => field.includes(names)))
        failures.add(`${label}: the problem does not name ${names}: ${text.slice(0, 200)}`);
      if (/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/.test(text))
        failures.add(`${label}: a stack trace leaked: ${text.slice(0, 160)}`);
    };

    const call = (
      stackRef: TestStack,
      route: RouteDefinition,
      path: string,
      init: { body?: string; contentType?: string },
    ) =>
      stackRef.api(path, {
        method: route.method,
        ...(route.auth === 'jwt' && { as: admin }),
        headers: {
          ...(init.contentType && { 'content-type': init.contentType }),
          'if-match': '*',
          'idempotency-key': `verify-${Math.random().toString(36).slice(2)}`,
        },
        ...(init.body !== undefined && { body: init.body }),
      });

    for (const route of ROUTES as readonly RouteDefinition[]) {
      const path = concretePath(route, article);
      const valid = VALID[route.id];
      if (route.request?.body && !valid) failures.add(`${route.id}: a body route without a row in VALID`);
      if (route.request?.body && valid) {
        for (const [label, spoil] of Object.entries(BODY_CASES)) {
          const { body, contentType, names } = spoil(valid);
          check(
            `${route.method} ${route.path} ${label}`,
            await call(stack, route, path, { body, contentType: contentType ?? 'application/json' }),
            names,
          );
        }
      }
      if (route.request?.query) {
        for (const [label, query] of Object.entries(QUERY_CASES)) {
          check(`${route.method} ${route.path}?${label}`, await call(stack, route, `${path}?${query}`, {}));
        }
      }
      if (route.path.includes('{number}')) {
        for (const [label, value] of Object.entries(PATH_CASES)) {
          const bad = route.path.replace('{number}', value).replace('{id}', article);
          const body = route.request?.body ? { body: '{}', contentType: 'application/json' } : {};
          check(`${route.method} ${route.path} ${label}`, await call(stack, route, bad, body));
        }
      }
    }
    return {
      figures: `${requests} bad requests over ${ROUTES.length} routes (${Object.keys(BODY_CASES).length} body, ${Object.keys(QUERY_CASES).length} query, ${Object.keys(PATH_CASES).length} path cases) → 4xx problem+json`,
      ...failures.report(),
    };
  },
};
