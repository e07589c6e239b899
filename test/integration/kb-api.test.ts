import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ARTICLES } from '#infra/local/demo/articles';
import type { DevIdentity } from '#infra/local/dev-key';
import { type StreamPoller, startStreamPoller } from '#infra/local/stream-poller';
import { processChanges } from '#shared/changes/process-changes';
import { fixedClock } from '#shared/domain/clock';
import { DynamoArticleStore, DynamoRequestWindows } from '#shared/kb/adapters/dynamodb';
import { S3IndexStore } from '#shared/kb/adapters/s3';
import { type ArticleAudience, type ArticleStatus, createArticle, type NewArticle } from '#shared/kb/article';
import { ANONYMOUS_LIMITS, KB_INDEX_KEY } from '#shared/kb/config';
import { rebuildIndex } from '#shared/kb/index-build';
import { IndexLoader, type IndexSource } from '#shared/kb/index-store';
import type { AnonymousKbDeps } from '#shared/kb/kb-service';
import { RENDERER_VERSION } from '#shared/kb/rendered';
import type { TicketDeps } from '#shared/tickets/ticket-service';
import { DynamoWorkflowStore } from '#shared/workflow/adapters/dynamodb';
import type { WorkflowSignals } from '#shared/workflow/signals';
import { type MailBucket, startMailBucket } from '#test/fixtures/email/mail-bucket';
import { type ApiCall, type ApiResponse, apiFor } from '#test/support/api';
import { freshTable } from '#test/support/table';

/**
 * The knowledge-base API through its real handlers: articles in DynamoDB Local, the index
 * rebuilt by the stream processor from the table's real stream and saved to a real S3 (s3rver),
 * and loaded by the search handlers on every call (refresh interval 0), as a container would
 * after its interval. Nothing is restarted between a change and the search that finds it.
 */

const KB_BUCKET = 'tierdesk-kb-api-test';

const people = {
  requester: { email: 'rita@example.com', role: 'requester' },
  otherRequester: { email: 'rob@example.com', role: 'requester' },
  'agent tier 1': { email: 'tom@example.com', role: 'agent', tiers: [1] },
  'agent tier 3': { email: 'tess@example.com', role: 'agent', tiers: [3] },
  supervisor: { email: 'sue@example.com', role: 'supervisor' },
  admin: { email: 'ada@example.com', role: 'admin' },
} satisfies Record<string, DevIdentity>;
const { requester, otherRequester, supervisor } = people;
const tier1 = people['agent tier 1'];
const tier3 = people['agent tier 3'];

let s3: MailBucket;
let env: Awaited<ReturnType<typeof freshTable>>;
let poller: StreamPoller;
let deps: TicketDeps & AnonymousKbDeps;
let api: (call: ApiCall) => Promise<ApiResponse>;

beforeAll(async () => {
  s3 = await startMailBucket();
  await s3.s3.send(new CreateBucketCommand({ Bucket: KB_BUCKET }));
  env = await freshTable();
  const articles = new DynamoArticleStore(env.db, env.tableName);
  const indexObject = new S3IndexStore(s3.bucketNamed(KB_BUCKET), KB_INDEX_KEY);
  deps = {
    store: env.store,
    directory: env.directory,
    assignments: env.assignments,
    config: env.config,
    clock: env.clock,
    orgDomains: env.tickets.orgDomains,
    articles,
    index: new IndexLoader(indexObject, { refreshMs: 0 }),
    windows: new DynamoRequestWindows(env.db, env.tableName),
  };
  api = apiFor(deps, env.tableName, env.endpoint);
  // The stream processor as the stack runs it, minus Step Functions (no workflow here: tickets'
  // workflow starts are not this test's business, so they are answered and forgotten).
  const signals = { start: async () => 'started' as const, wake: async () => true };
  poller = await startStreamPoller({
    endpoint: env.endpoint,
    tableName: env.tableName,
    intervalMs: 20,
    handler: processChanges({
      signals: signals as unknown as WorkflowSignals,
      workflows: new DynamoWorkflowStore(env.db, env.tableName),
      kb: { rebuildIndex: () => rebuildIndex(articles, indexObject) },
    }),
  });
  for (const article of DEMO_ARTICLES) expect(await articles.createArticle(article)).toBe(true);
  await poller.drain();
}, 120_000);
afterAll(async () => {
  await poller?.stop();
  await env?.drop();
  await s3?.stop();
});

const ok = (response: ApiResponse, status = 200) => {
  expect(response.status, JSON.stringify(response.json)).toBe(status);
  return response.json;
};

const ids = (hits: { items: { id: string }[] }) => hits.items.map((hit) => hit.id);

const openTicket = async (as: DevIdentity, subject: string, description: string) =>
  ok(await api({ method: 'POST', url: '/tickets', as, body: { subject, description } }), 201);

describe('Knowledge base: roles × audiences × statuses', () => {
  const AUDIENCES: ArticleAudience[] = ['public', 'internal'];
  const STATUSES: ArticleStatus[] = ['draft', 'published'];
  const cells = AUDIENCES.flatMap((audience) => STATUSES.map((status) => ({ audience, status })));
  const matrix = new Map<string, string>();
  const idOf = (audience: ArticleAudience, status: ArticleStatus) =>
    matrix.get(`${audience}/${status}`) as string;

  beforeAll(async () => {
    for (const { audience, status } of cells) {
      const article = ok(
        await api({
          method: 'POST',
          url: '/kb/articles',
          as: supervisor,
          body: {
            title: `Recalibrate the flux capacitor (${audience} ${status})`,
            body: `Set the **flux capacitor** to 1.21 gigawatts before recalibrating. <script>alert(1)</script>`,
            tags: ['Flux-Matrix', 'capacitor'],
            category: 'lab/time-travel',
            audience,
            status,
          },
        }),
        201,
      );
      matrix.set(`${audience}/${status}`, article.id);
    }
    await poller.drain();
  });

  type Caller = keyof typeof people | 'anonymous';
  const readsAll: Record<Caller, boolean> = {
    anonymous: false,
    requester: false,
    otherRequester: false,
    'agent tier 1': true,
    'agent tier 3': true,
    supervisor: true,
    admin: true,
  };
  const callers: Caller[] = ['anonymous', 'requester', 'agent tier 1', 'agent tier 3', 'supervisor', 'admin'];
  const as = (caller: Caller) => (caller === 'anonymous' ? undefined : people[caller]);

  describe.each(callers)('%s', (caller) => {
    const staff = readsAll[caller];
    const visible = (audience: ArticleAudience, status: ArticleStatus) =>
      staff || (audience === 'public' && status === 'published');
    const suggested = (audience: ArticleAudience, status: ArticleStatus) =>
      status === 'published' && (staff || audience === 'public');

    it.each(cells)(
      'search finds the $audience $status article only if the caller may read it',
      async (cell) => {
        const url =
          caller === 'anonymous' ? '/kb/public/search?q=flux%20capacitor' : '/kb/search?q=flux%20capacitor';
        const hits = ok(await api({ method: 'GET', url, as: as(caller) }));
        expect(ids(hits).includes(idOf(cell.audience, cell.status))).toBe(
          visible(cell.audience, cell.status),
        );
      },
    );

    it.each(cells)(
      'suggest offers the $audience $status article only if published and readable',
      async (cell) => {
        const url = caller === 'anonymous' ? '/kb/public/suggest' : '/kb/suggest';
        const body = {
          subject: 'Flux capacitor needs recalibrating',
          description: 'Stuck at 1.20 gigawatts.',
        };
        const hits = ok(await api({ method: 'POST', url, as: as(caller), body }));
        expect(ids(hits).includes(idOf(cell.audience, cell.status))).toBe(
          suggested(cell.audience, cell.status),
        );
      },
    );

    it.each(cells)(
      'list shows the $audience $status article only if the caller may read it',
      async (cell) => {
        const response = await api({ method: 'GET', url: '/kb/articles?tag=flux-matrix', as: as(caller) });
        if (caller === 'anonymous') {
          // Listing needs a token (API Gateway's authorizer answers first on AWS).
          expect(response.status).toBe(401);
          return;
        }
        expect(ids(ok(response)).includes(idOf(cell.audience, cell.status))).toBe(
          visible(cell.audience, cell.status),
        );
      },
    );

    it.each(cells)(
      'get answers the $audience $status article only if the caller may read it',
      async (cell) => {
        const id = idOf(cell.audience, cell.status);
        const url = caller === 'anonymous' ? `/kb/public/articles/${id}` : `/kb/articles/${id}`;
        const response = await api({ method: 'GET', url, as: as(caller) });
        expect(response.status).toBe(visible(cell.audience, cell.status) ? 200 : 404);
        if (caller !== 'anonymous') {
          // The public route is as strict for everybody: it never serves the desk's articles.
          const open = await api({ method: 'GET', url: `/kb/public/articles/${id}`, as: as(caller) });
          expect(open.status).toBe(cell.audience === 'public' && cell.status === 'published' ? 200 : 404);
        }
      },
    );
  });

  it('serves an article as Markdown and sanitized HTML with its ETag; the bookkeeping to staff only', async () => {
    const id = idOf('public', 'published');
    const seen = await api({ method: 'GET', url: `/kb/articles/${id}`, as: requester });
    expect(seen.headers.etag).toBe('"1"');
    expect(seen.json).toMatchObject({
      id,
      audience: 'public',
      status: 'published',
      tags: ['flux-matrix', 'capacitor'],
      body: expect.stringContaining('**flux capacitor**'),
      html: expect.stringContaining('<strong>flux capacitor</strong>'),
    });
    expect(seen.json.html).not.toContain('<script');
    expect(seen.json).not.toHaveProperty('createdBy');
    expect(seen.json).not.toHaveProperty('linkedTickets');
    const staff = ok(await api({ method: 'GET', url: `/kb/articles/${id}`, as: tier1 }));
    expect(staff).toMatchObject({ createdBy: supervisor.email, linkedTickets: [] });
  });

  it('answers search hits with highlighted snippets, best first', async () => {
    const { items } = ok(await api({ method: 'GET', url: '/kb/public/search?q=printer%20offline' }));
    expect(items[0]).toMatchObject({ id: 'kb-printer-offline', audience: 'public', status: 'published' });
    expect(items[0].titleHtml).toContain('<mark>');
    expect(items[0].snippet).toMatch(/<mark>[^<]+<\/mark>/);
    expect(items.map((hit: { score: number }) => hit.score)).toEqual(
      [...items.map((hit: { score: number }) => hit.score)].sort((a, b) => b - a),
    );
  });
});

describe('Knowledge base: writing articles', () => {
  const draft = (as: DevIdentity, body: Record<string, unknown> = {}) =>
    api({
      method: 'POST',
      url: '/kb/articles',
      as,
      body: {
        title: 'Reset the conference room display',
        body: 'Hold **Menu** for 10 s.',
        category: 'hardware/av',
        ...body,
      },
    });

  it('lets any agent write an internal draft: 201, Location, ETag, a slug id', async () => {
    const response = await draft(tier1);
    const article = ok(response, 201);
    expect(article).toMatchObject({
      audience: 'internal',
      status: 'draft',
      version: 1,
      createdBy: tier1.email,
    });
    expect(article.id).toMatch(/^kb-reset-the-conference-room-display/);
    expect(response.headers.location).toBe(`/kb/articles/${article.id}`);
    expect(response.headers.etag).toBe('"1"');
    // The same title again gets an id of its own.
    const again = ok(await draft(tier1), 201);
    expect(again.id).not.toBe(article.id);
  });

  it('keeps the HTML it renders with each version it writes, and serves it to readers', async () => {
    // Arrange
    const article = ok(await draft(tier3, { audience: 'public', status: 'published' }), 201);
    const url = `/kb/articles/${article.id}`;

    // Act
    const created = await deps.articles.getArticle(article.id);
    const changed = ok(
      await api({
        method: 'PUT',
        url,
        as: tier3,
        body: { body: 'Hold _Menu_ and **Power**.' },
        headers: { 'if-match': '"1"' },
      }),
    );
    const stored = await deps.articles.getArticle(article.id);
    const read = ok(await api({ method: 'GET', url: `/kb/public/articles/${article.id}` }));

    // Assess
    expect(article.html).toBe('<p>Hold <strong>Menu</strong> for 10 s.</p>');
    expect(created?.rendered).toEqual({ renderer: RENDERER_VERSION, html: article.html });
    expect(changed.html).toBe('<p>Hold <em>Menu</em> and <strong>Power</strong>.</p>');
    expect(stored?.rendered).toEqual({ renderer: RENDERER_VERSION, html: changed.html });
    expect(read.html).toBe(changed.html);
    expect(read).not.toHaveProperty('rendered');
  });

  it('refuses requesters (403), publishing by a Tier 1 agent (403), and invalid bodies (400)', async () => {
    expect((await draft(requester)).status).toBe(403);
    expect((await draft(tier1, { status: 'published' })).status).toBe(403);
    expect((await draft(tier1, { audience: 'public', status: 'published' })).status).toBe(403);
    expect((await draft(tier3, { audience: 'public', status: 'published' })).status).toBe(201);
    const invalid = await draft(tier1, { title: '', tags: ['#no'], surprise: true });
    expect(invalid.status).toBe(400);
    expect(invalid.json.errors.map((error: { field: string }) => error.field)).toEqual(
      expect.arrayContaining(['body.title', 'body.tags.0', 'body.surprise']),
    );
  });

  it('refuses a body too slow to format (422 on body.body) and keeps nothing; a stored one reads as its Markdown', async () => {
    // Arrange: 25,000 emphasis delimiters with a letter between, the body limit's 50,000
    // characters: micromark would take about ten seconds on them here.
    const slow = '*a'.repeat(25_000);
    const input = {
      tags: [],
      category: 'hardware/av',
      audience: 'internal',
      status: 'draft',
      linkedTickets: [],
    } satisfies Partial<NewArticle>;
    const kept = ok(await draft(tier1, { title: 'Emphasis everywhere' }), 201);
    const url = `/kb/articles/${kept.id}`;

    // Act
    const created = await draft(tier1, { title: 'Emphasis everywhere, slowly', body: slow });
    const changed = await api({
      method: 'PUT',
      url,
      as: tier1,
      body: { body: slow },
      headers: { 'if-match': '"1"' },
    });
    // A body stored before writers held it to the budget, kept without its HTML.
    const stored = createArticle(
      'kb-stored-before-the-budget',
      { ...input, title: 'Stored before the budget', body: `<b>x</b>\n${slow}` },
      tier1.email,
      env.clock.now().toISOString(),
    );
    expect(await deps.articles.createArticle(stored)).toBe(true);
    const read = ok(await api({ method: 'GET', url: `/kb/articles/${stored.id}`, as: tier1 }));

    // Assess
    for (const refused of [created, changed]) {
      expect(refused.status, JSON.stringify(refused.json)).toBe(422);
      expect(refused.headers['content-type']).toBe('application/problem+json');
      expect(refused.json.errors).toEqual([
        {
          field: 'body.body',
          message: expect.stringMatching(/^formatting this Markdown takes longer than 2 s/),
        },
      ]);
    }
    // Nothing was written: the title's own id is still free.
    expect(ok(await draft(tier1, { title: 'Emphasis everywhere, slowly' }), 201).id).toBe(
      'kb-emphasis-everywhere-slowly',
    );
    expect(await deps.articles.getArticle(kept.id)).toMatchObject({
      version: 1,
      body: 'Hold **Menu** for 10 s.',
    });
    expect(read.html).toBe(`<pre>&#60;b&#62;x&#60;/b&#62;\n${slow}</pre>`);
  });

  it('changes an article with If-Match: 428 without, 412 on a stale ETag, 200 with the next ETag', async () => {
    const article = ok(await draft(tier1), 201);
    const url = `/kb/articles/${article.id}`;
    const change = { title: 'Reset the meeting room display' };
    expect((await api({ method: 'PUT', url, as: tier1, body: change })).status).toBe(428);
    const changed = await api({
      method: 'PUT',
      url,
      as: tier1,
      body: change,
      headers: { 'if-match': '"1"' },
    });
    expect(ok(changed)).toMatchObject({ title: 'Reset the meeting room display', version: 2 });
    expect(changed.headers.etag).toBe('"2"');
    const stale = await api({
      method: 'PUT',
      url,
      as: tier1,
      body: { body: 'x' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.json.detail).toContain('article is at version 2');
    expect(
      (
        await api({
          method: 'PUT',
          url,
          as: tier1,
          body: { body: 'Hold Menu.' },
          headers: { 'if-match': '*' },
        })
      ).status,
    ).toBe(200);
  });

  it('lets only publishers publish or change what requesters read', async () => {
    const article = ok(await draft(tier1, { audience: 'public' }), 201);
    const url = `/kb/articles/${article.id}`;
    const publish = { status: 'published' };
    expect(
      (await api({ method: 'PUT', url, as: tier1, body: publish, headers: { 'if-match': '"1"' } })).status,
    ).toBe(403);
    expect(
      ok(await api({ method: 'PUT', url, as: tier3, body: publish, headers: { 'if-match': '"1"' } })),
    ).toMatchObject({
      status: 'published',
      publishedAt: expect.any(String),
    });
    // Now requesters read it: a Tier 1 agent may no longer edit or delete it; a requester never.
    expect(
      (await api({ method: 'PUT', url, as: tier1, body: { title: 'x y' }, headers: { 'if-match': '"2"' } }))
        .status,
    ).toBe(403);
    expect((await api({ method: 'DELETE', url, as: tier1, headers: { 'if-match': '"2"' } })).status).toBe(
      403,
    );
    expect(
      (
        await api({
          method: 'PUT',
          url,
          as: requester,
          body: { title: 'x y' },
          headers: { 'if-match': '"2"' },
        })
      ).status,
    ).toBe(403);
  });

  it('deletes with If-Match (428 without, 412 stale, 204), after which it is gone', async () => {
    const article = ok(await draft(tier1), 201);
    const url = `/kb/articles/${article.id}`;
    expect((await api({ method: 'DELETE', url, as: tier1 })).status).toBe(428);
    expect((await api({ method: 'DELETE', url, as: tier1, headers: { 'if-match': '"7"' } })).status).toBe(
      412,
    );
    const deleted = await api({ method: 'DELETE', url, as: tier1, headers: { 'if-match': '"1"' } });
    expect(deleted.status).toBe(204);
    expect((await api({ method: 'GET', url, as: tier1 })).status).toBe(404);
    expect((await api({ method: 'DELETE', url, as: tier1, headers: { 'if-match': '"1"' } })).status).toBe(
      404,
    );
  });

  it('shows the desk the history (who changed what, when), requesters nothing', async () => {
    const article = ok(await draft(tier3, { audience: 'public', status: 'published' }), 201);
    const url = `/kb/articles/${article.id}`;
    await api({
      method: 'PUT',
      url,
      as: supervisor,
      body: { tags: ['av', 'display'] },
      headers: { 'if-match': '"1"' },
    });
    const history = ok(await api({ method: 'GET', url: `${url}/revisions`, as: tier1 }));
    expect(history.items).toEqual([
      expect.objectContaining({
        version: 1,
        by: tier3.email,
        changed: ['title', 'body', 'tags', 'category', 'audience', 'status'],
      }),
      expect.objectContaining({
        version: 2,
        by: supervisor.email,
        changed: ['tags'],
        at: expect.any(String),
      }),
    ]);
    expect((await api({ method: 'GET', url: `${url}/revisions`, as: requester })).status).toBe(403);
    const hidden = ok(await draft(tier1), 201);
    expect(
      (await api({ method: 'GET', url: `/kb/articles/${hidden.id}/revisions`, as: requester })).status,
    ).toBe(404);
  });

  it('pages lists by category with a cursor, and refuses tag and category together', async () => {
    const first = ok(
      await api({ method: 'GET', url: '/kb/articles?category=accounts/password&limit=1', as: requester }),
    );
    expect(first.items).toHaveLength(1);
    const second = ok(
      await api({
        method: 'GET',
        url: `/kb/articles?category=accounts/password&limit=1&cursor=${first.nextCursor}`,
        as: requester,
      }),
    );
    expect(second.items[0].id > first.items[0].id).toBe(true);
    const both = await api({ method: 'GET', url: '/kb/articles?tag=vpn&category=network', as: requester });
    expect(both.status).toBe(400);
    const foreign = await api({
      method: 'GET',
      url: `/kb/articles?tag=vpn&cursor=${first.nextCursor}`,
      as: requester,
    });
    expect(foreign.status).toBe(400);
  });
});

describe('Tier 0: suggestions and deflection', () => {
  it("answers a new ticket without searching; the ticket's own suggestions name the matching article", async () => {
    const ticket = await openTicket(
      requester,
      'Printer on 3rd floor says offline',
      'Nobody on our floor can print since this morning.',
    );
    expect(ticket.number).toBeGreaterThan(0);
    expect(ticket).not.toHaveProperty('suggestions');
    const suggested = ok(
      await api({ method: 'GET', url: `/tickets/${ticket.number}/suggestions`, as: requester }),
    );
    expect(suggested.items[0]).toMatchObject({
      id: 'kb-printer-offline',
      audience: 'public',
      status: 'published',
    });
    // Requesters are never suggested the desk's runbooks, even on a matching subject.
    const runbook = await openTicket(
      requester,
      'Print spooler keeps crashing',
      'Print spooler service stops.',
    );
    expect(
      ids(ok(await api({ method: 'GET', url: `/tickets/${runbook.number}/suggestions`, as: requester }))),
    ).not.toContain('kb-runbook-print-spooler');
  });

  it('creates a ticket without reading the search index at all', async () => {
    let reads = 0;
    const counted: IndexSource = {
      current: () => {
        reads += 1;
        return Promise.reject(new Error('S3 unavailable'));
      },
    };
    const withoutIndex = apiFor({ ...deps, index: counted } as TicketDeps, env.tableName, env.endpoint);
    const response = await withoutIndex({
      method: 'POST',
      url: '/tickets',
      as: requester,
      body: { subject: 'Printer offline', description: 'It says offline.' },
    });
    expect(response.status).toBe(201);
    expect(reads).toBe(0);
  });

  it('counts "this article solved it" before filing, without a ticket', async () => {
    const before = await deps.articles.deflections('kb-wifi-connect');
    const response = await api({
      method: 'POST',
      url: '/kb/deflections',
      as: requester,
      body: { articleId: 'kb-wifi-connect' },
    });
    expect(ok(response, 201)).toEqual({ articleId: 'kb-wifi-connect', selfServed: false, counted: true });
    expect(await deps.articles.deflections('kb-wifi-connect')).toEqual({
      deflections: before.deflections + 1,
      selfServed: before.selfServed,
    });
  });

  it("resolves the requester's own ticket as self-served, with the article linked both ways", async () => {
    const ticket = await openTicket(
      requester,
      'VPN will not connect',
      'GlobalProtect says gateway unreachable.',
    );
    const before = await deps.articles.deflections();
    const response = await api({
      method: 'POST',
      url: '/kb/deflections',
      as: requester,
      body: { articleId: 'kb-vpn-connect', ticket: ticket.number },
    });
    const result = ok(response, 201);
    expect(result).toMatchObject({
      articleId: 'kb-vpn-connect',
      selfServed: true,
      ticket: {
        view: 'requester',
        number: ticket.number,
        status: 'resolved',
        resolution: expect.stringContaining('kb-vpn-connect'),
      },
    });
    expect(response.headers.etag).toBe(`"${result.ticket.version}"`);
    // The link is on the ticket for the desk; the requester reads it in the resolution and timeline.
    expect(result.ticket).not.toHaveProperty('linkedArticles');
    expect(ok(await api({ method: 'GET', url: `/tickets/${ticket.number}`, as: tier1 }))).toMatchObject({
      view: 'desk',
      linkedArticles: ['kb-vpn-connect'],
    });
    const timeline = ok(
      await api({ method: 'GET', url: `/tickets/${ticket.number}/timeline`, as: requester }),
    );
    expect(timeline.items).toContainEqual(
      expect.objectContaining({
        type: 'resolved',
        public: true,
        data: expect.objectContaining({ selfServed: true, articleId: 'kb-vpn-connect' }),
      }),
    );
    const article = ok(await api({ method: 'GET', url: '/kb/articles/kb-vpn-connect', as: tier1 }));
    expect(article.linkedTickets).toContain(ticket.number);
    expect(await deps.articles.deflections()).toEqual({
      deflections: before.deflections + 1,
      selfServed: before.selfServed + 1,
    });

    // Once resolved it cannot be solved again; nothing more is counted.
    const again = await api({
      method: 'POST',
      url: '/kb/deflections',
      as: requester,
      body: { articleId: 'kb-vpn-connect', ticket: ticket.number },
    });
    expect(again.status).toBe(409);
    expect((await deps.articles.deflections()).deflections).toBe(before.deflections + 1);
  });

  it("refuses someone else's ticket (404), a draft (404 for requesters), a watcher who is not the requester (403)", async () => {
    const ticket = await openTicket(requester, 'Outlook not syncing', 'Mail stuck since yesterday.');
    const deflect = (as: DevIdentity, body: Record<string, unknown>) =>
      api({ method: 'POST', url: '/kb/deflections', as, body });
    expect(
      (await deflect(otherRequester, { articleId: 'kb-outlook-not-syncing', ticket: ticket.number })).status,
    ).toBe(404);
    expect((await deflect(requester, { articleId: 'kb-draft-vpn-client-migration' })).status).toBe(404);
    expect((await deflect(requester, { articleId: 'kb-outlook-not-syncing', ticket: 999_999 })).status).toBe(
      404,
    );
    expect((await deflect(tier1, { articleId: 'kb-draft-vpn-client-migration' })).status).toBe(422);
    // An agent of the ticket sees it, but it is not theirs to call self-served.
    expect(
      (await deflect(tier1, { articleId: 'kb-outlook-not-syncing', ticket: ticket.number })).status,
    ).toBe(403);
    const unchanged = ok(await api({ method: 'GET', url: `/tickets/${ticket.number}`, as: requester }));
    expect(unchanged.status).toBe('new');
  });

  it('suggests on a ticket page: published internal articles for agents, public ones for the requester', async () => {
    const ticket = await openTicket(
      requester,
      'Print spooler keeps crashing on the print server',
      'Jobs stuck, spooler stops.',
    );
    const forAgent = ids(
      ok(await api({ method: 'GET', url: `/tickets/${ticket.number}/suggestions`, as: tier1 })),
    );
    expect(forAgent).toContain('kb-runbook-print-spooler');
    const forRequester = ids(
      ok(await api({ method: 'GET', url: `/tickets/${ticket.number}/suggestions`, as: requester })),
    );
    expect(forRequester).not.toContain('kb-runbook-print-spooler');
    expect(
      (await api({ method: 'GET', url: `/tickets/${ticket.number}/suggestions`, as: otherRequester })).status,
    ).toBe(404);
  });
});

describe('Tier 3 documents the fix', () => {
  const RESOLUTION = 'Cleared the stuck badge record in the access control system and re-enrolled the card.';

  it('resolves with documentFix: a linked internal draft, published later and then searchable', async () => {
    const ticket = await openTicket(
      requester,
      'Badge rejected at the loading dock door',
      'My badge works everywhere else.',
    );
    const resolved = ok(
      await api({
        method: 'POST',
        url: `/tickets/${ticket.number}/resolve`,
        as: tier3,
        body: { resolution: RESOLUTION, documentFix: true },
      }),
    );
    expect(resolved).toMatchObject({ status: 'resolved', resolution: RESOLUTION });
    expect(resolved.linkedArticles).toHaveLength(1);
    const [draftId] = resolved.linkedArticles;

    const draft = ok(await api({ method: 'GET', url: `/kb/articles/${draftId}`, as: tier3 }));
    expect(draft).toMatchObject({
      title: 'Badge rejected at the loading dock door',
      audience: 'internal',
      status: 'draft',
      linkedTickets: [ticket.number],
      createdBy: tier3.email,
    });
    expect(draft.body).toContain(RESOLUTION);
    expect((await api({ method: 'GET', url: `/kb/articles/${draftId}`, as: requester })).status).toBe(404);

    // The link is an internal change on the timeline: the desk sees it, the requester does not.
    const linked = (event: { type: string; changes?: { field: string }[] }) =>
      event.type === 'updated' && event.changes?.some((change) => change.field === 'linkedArticles');
    const staffTimeline = ok(
      await api({ method: 'GET', url: `/tickets/${ticket.number}/timeline`, as: tier3 }),
    );
    expect(staffTimeline.items.filter(linked)).toEqual([
      expect.objectContaining({
        public: false,
        changes: [{ field: 'linkedArticles', from: [], to: [draftId] }],
      }),
    ]);
    const requesterTimeline = ok(
      await api({ method: 'GET', url: `/tickets/${ticket.number}/timeline`, as: requester }),
    );
    expect(requesterTimeline.items.filter(linked)).toEqual([]);

    // A draft is searchable by the desk only; published (internal), agents' suggestions carry it.
    await poller.drain();
    const search = (as: DevIdentity) =>
      api({ method: 'GET', url: '/kb/search?q=badge%20loading%20dock', as });
    expect(ids(ok(await search(tier1)))).toContain(draftId);
    expect(ids(ok(await search(requester)))).not.toContain(draftId);
    const similar = await openTicket(
      otherRequester,
      'Badge rejected at the loading dock',
      'Card reader blinks red.',
    );
    const suggestionsFor = (as: DevIdentity) =>
      api({ method: 'GET', url: `/tickets/${similar.number}/suggestions`, as });
    expect(ids(ok(await suggestionsFor(tier1)))).not.toContain(draftId);

    ok(
      await api({
        method: 'PUT',
        url: `/kb/articles/${draftId}`,
        as: supervisor,
        body: { status: 'published' },
        headers: { 'if-match': '"1"' },
      }),
    );
    await poller.drain();
    expect(ids(ok(await suggestionsFor(tier1)))).toContain(draftId);
    expect(ids(ok(await suggestionsFor(otherRequester)))).not.toContain(draftId);

    // Made public, requesters find it too: still no restart of anything.
    ok(
      await api({
        method: 'PUT',
        url: `/kb/articles/${draftId}`,
        as: supervisor,
        body: { audience: 'public' },
        headers: { 'if-match': '"2"' },
      }),
    );
    await poller.drain();
    expect(ids(ok(await search(requester)))).toContain(draftId);
    expect(
      ids(ok(await api({ method: 'GET', url: '/kb/public/search?q=badge%20loading%20dock' }))),
    ).toContain(draftId);
  });

  it('refuses documentFix to a Tier 1 agent (403) and writes nothing', async () => {
    const ticket = await openTicket(requester, 'Monitor flickers on the dock', 'Flickers every few seconds.');
    const response = await api({
      method: 'POST',
      url: `/tickets/${ticket.number}/resolve`,
      as: tier1,
      body: { resolution: 'Swapped the cable.', documentFix: true },
    });
    expect(response.status).toBe(403);
    expect(ok(await api({ method: 'GET', url: `/tickets/${ticket.number}`, as: tier1 })).status).toBe('new');
    const drafts = ok(await api({ method: 'GET', url: '/kb/articles?category=general', as: tier1 }));
    expect(drafts.items.map((item: { title: string }) => item.title)).not.toContain(
      'Monitor flickers on the dock',
    );
  });

  it('writes no draft when the ticket cannot be resolved (409) or the ETag is stale (412)', async () => {
    const ticket = await openTicket(
      requester,
      'Docking station not charging laptop',
      'No power through USB-C.',
    );
    const resolve = (headers: Record<string, string> = {}) =>
      api({
        method: 'POST',
        url: `/tickets/${ticket.number}/resolve`,
        as: supervisor,
        body: { resolution: 'Firmware update.', documentFix: true },
        headers,
      });
    expect((await resolve({ 'if-match': '"9"' })).status).toBe(412);
    ok(
      await api({
        method: 'POST',
        url: `/tickets/${ticket.number}/resolve`,
        as: supervisor,
        body: { resolution: 'Done.' },
      }),
    );
    expect((await resolve()).status).toBe(409);
    const drafts = ok(await api({ method: 'GET', url: '/kb/articles?category=general', as: tier1 }));
    expect(drafts.items.map((item: { title: string }) => item.title)).not.toContain(
      'Docking station not charging laptop',
    );
  });
});

describe('Anonymous callers and counted deflections', () => {
  const PROBLEMS = 'https://tierdesk.dev/problems/';

  it('answers an address past its reads in a window with 429 and Retry-After; other addresses, signed-in callers and the next window are served', async () => {
    const address = '203.0.113.7';
    const { requests, windowSeconds } = ANONYMOUS_LIMITS.reads;
    const read = (i: number, sourceIp = address) =>
      i % 2 === 0
        ? api({ method: 'GET', url: '/kb/public/search?q=printer', sourceIp })
        : api({ method: 'POST', url: '/kb/public/suggest', body: { subject: 'printer offline' }, sourceIp });
    for (let i = 0; i < requests; i++) expect((await read(i)).status).toBe(200);

    for (const i of [requests, requests + 1]) {
      const refused = await read(i);
      expect(refused.status).toBe(429);
      expect(refused.headers['content-type']).toBe('application/problem+json');
      expect(refused.json).toMatchObject({ status: 429, type: `${PROBLEMS}too-many-requests` });
      expect(refused.json).not.toHaveProperty('retryAfter');
      const now = env.clock.now().getTime() / 1000;
      expect(Number(refused.headers['retry-after'])).toBe(Math.ceil(windowSeconds - (now % windowSeconds)));
    }
    expect((await read(0, '203.0.113.8')).status).toBe(200);
    expect((await read(1, '2001:db8::7')).status).toBe(200);
    expect(
      (await api({ method: 'GET', url: '/kb/search?q=printer', as: requester, sourceIp: address })).status,
    ).toBe(200);

    const nextWindow = apiFor(
      {
        ...deps,
        clock: fixedClock(new Date(env.clock.now().getTime() + windowSeconds * 1000)),
      } as TicketDeps,
      env.tableName,
      env.endpoint,
    );
    expect(
      (await nextWindow({ method: 'GET', url: '/kb/public/search?q=printer', sourceIp: address })).status,
    ).toBe(200);
  });

  it('counts 50 identical "this solved it" once per person, article and day: 201, then 200 with counted false', async () => {
    const before = await deps.articles.deflections('kb-printer-jam');
    const say = (as: DevIdentity, call = api) =>
      call({ method: 'POST', url: '/kb/deflections', as, body: { articleId: 'kb-printer-jam' } });
    const answers = [];
    for (let i = 0; i < 50; i++) answers.push(await say(requester));
    expect(answers.map((answer) => answer.status)).toEqual([201, ...Array(49).fill(200)]);
    expect(answers.map((answer) => answer.json.counted)).toEqual([true, ...Array(49).fill(false)]);
    expect(await deps.articles.deflections('kb-printer-jam')).toEqual({
      deflections: before.deflections + 1,
      selfServed: before.selfServed,
    });

    // Someone else that day, and the same person the next day, count again.
    expect((await say(otherRequester)).status).toBe(201);
    const tomorrow = apiFor(
      { ...deps, clock: fixedClock(new Date(env.clock.now().getTime() + 24 * 3_600_000)) } as TicketDeps,
      env.tableName,
      env.endpoint,
    );
    expect((await say(requester, tomorrow)).status).toBe(201);
    expect((await deps.articles.deflections('kb-printer-jam')).deflections).toBe(before.deflections + 3);
  });

  it('counts an anonymous "this solved it" once per address, article and day, and limits an address (429)', async () => {
    const before = await deps.articles.deflections('kb-scan-to-email');
    const say = (sourceIp: string, articleId = 'kb-scan-to-email') =>
      api({ method: 'POST', url: '/kb/public/deflections', body: { articleId }, sourceIp });
    const first = await say('198.51.100.1');
    expect(ok(first, 201)).toEqual({ articleId: 'kb-scan-to-email', selfServed: false, counted: true });
    expect(ok(await say('198.51.100.1'))).toMatchObject({ counted: false });
    expect((await say('198.51.100.2')).status).toBe(201);
    expect(await deps.articles.deflections('kb-scan-to-email')).toEqual({
      deflections: before.deflections + 2,
      selfServed: before.selfServed,
    });
    // Only public, published articles: an internal runbook or a draft is not found.
    expect((await say('198.51.100.3', 'kb-runbook-print-spooler')).status).toBe(404);
    expect((await say('198.51.100.3', 'kb-draft-vpn-client-migration')).status).toBe(404);

    const { requests } = ANONYMOUS_LIMITS.deflections;
    for (let i = 0; i < requests; i++) expect((await say('198.51.100.9')).status).toBeLessThan(300);
    const refused = await say('198.51.100.9');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await deps.articles.deflections('kb-scan-to-email')).deflections).toBe(before.deflections + 3);
  });
});
