import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError, VersionMismatchError } from '#shared/domain/errors';
import { DynamoArticleStore, DynamoRequestWindows } from '#shared/kb/adapters/dynamodb';
import { type Article, createArticle, type NewArticle, reviseArticle } from '#shared/kb/article';
import { ArticleVersionMismatchError } from '#shared/kb/article-store';
import { encodeCursor } from '#shared/store/cursor';
import { QueryCommand } from '#shared/store/sdk';
import { freshTable } from '#test/support/table';

/**
 * The article store on DynamoDB Local: articles, their listings and history in the single
 * table, optimistic locking on the version, and the deflection counters.
 */

const AT = '2026-11-20T14:00:00.000Z';
const LATER = '2026-11-20T15:00:00.000Z';
const EDITOR = 'sup@example.com';

let env: Awaited<ReturnType<typeof freshTable>>;
let store: DynamoArticleStore;
beforeAll(async () => {
  env = await freshTable();
  store = new DynamoArticleStore(env.db, env.tableName);
});
afterAll(() => env.drop());

const input = (overrides: Partial<NewArticle> = {}): NewArticle => ({
  title: 'Connect to the VPN',
  body: 'Open **GlobalProtect** and sign in.',
  tags: ['vpn', 'remote'],
  category: 'network/vpn',
  audience: 'public',
  status: 'published',
  linkedTickets: [],
  ...overrides,
});

let counter = 0;
/** A stored article with a fresh id. */
const stored = async (overrides: Partial<NewArticle> = {}, prefix = 'kb-store'): Promise<Article> => {
  const article = createArticle(`${prefix}-${++counter}`, input(overrides), EDITOR, AT);
  expect(await store.createArticle(article)).toBe(true);
  return article;
};

const revise = async (article: Article, patch: Parameters<typeof reviseArticle>[1]) => {
  const revised = reviseArticle(article, patch, 't3@example.com', LATER);
  if (!revised) throw new Error('the patch changes nothing');
  await store.updateArticle(article, revised.article, revised.revision);
  return revised.article;
};

const ids = (page: { items: { id: string }[] }) => page.items.map((item) => item.id);

const listAll = async (query: Parameters<DynamoArticleStore['listArticles']>[0], limit = 100) => {
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listArticles(query, { limit, cursor });
    seen.push(...ids(page));
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
};

describe('Class: DynamoArticleStore', () => {
  describe('Method: createArticle / getArticle', () => {
    it('stores the article as it was given and refuses a second article with the same id', async () => {
      const article = await stored();
      expect(await store.getArticle(article.id)).toEqual(article);
      const rival = createArticle(article.id, input({ title: 'Another' }), EDITOR, AT);
      expect(await store.createArticle(rival)).toBe(false);
      expect((await store.getArticle(article.id))?.title).toBe('Connect to the VPN');
    });

    it('answers undefined for an article that does not exist', async () => {
      expect(await store.getArticle('kb-nothing-here')).toBeUndefined();
    });

    it('starts the history with a creation entry naming every content field', async () => {
      const article = await stored();
      const { items } = await store.revisions(article.id, { limit: 10 });
      expect(items).toEqual([
        {
          articleId: article.id,
          version: 1,
          at: AT,
          by: EDITOR,
          changed: ['title', 'body', 'tags', 'category', 'audience', 'status'],
        },
      ]);
    });
  });

  describe('Method: updateArticle', () => {
    it('writes the next version and a history entry of who changed what, when', async () => {
      const article = await stored();
      const next = await revise(article, { title: 'Connect to the VPN from home', tags: ['vpn'] });
      expect(await store.getArticle(article.id)).toEqual(next);
      expect(next.version).toBe(2);
      const { items } = await store.revisions(article.id, { limit: 10 });
      expect(items.at(-1)).toEqual({
        articleId: article.id,
        version: 2,
        at: LATER,
        by: 't3@example.com',
        changed: ['title', 'tags'],
      });
    });

    it('refuses a change based on a stale version with the 412 error, and writes nothing', async () => {
      const article = await stored();
      await revise(article, { title: 'First edit' });
      const stale = reviseArticle(article, { title: 'Second edit' }, EDITOR, LATER);
      if (!stale) throw new Error('unreachable');

      const attempt = store.updateArticle(article, stale.article, stale.revision);
      await expect(attempt).rejects.toBeInstanceOf(ArticleVersionMismatchError);
      await expect(attempt).rejects.toBeInstanceOf(VersionMismatchError);
      await expect(attempt).rejects.toMatchObject({ expected: 1, actual: 2 });
      expect((await store.getArticle(article.id))?.title).toBe('First edit');
      expect((await store.revisions(article.id, { limit: 10 })).items).toHaveLength(2);
    });

    it('answers NotFound for an article deleted meanwhile', async () => {
      const article = await stored();
      await store.deleteArticle(article);
      const revised = reviseArticle(article, { title: 'Too late' }, EDITOR, LATER);
      if (!revised) throw new Error('unreachable');
      await expect(store.updateArticle(article, revised.article, revised.revision)).rejects.toBeInstanceOf(
        NotFoundError,
      );
      expect(await store.getArticle(article.id)).toBeUndefined();
    });

    it('keeps ticket links added after the version the author read', async () => {
      const article = await stored();
      await store.linkTicket(article.id, 1042);
      const next = await revise(article, { body: 'Open GlobalProtect, choose **EU**, sign in.' });
      expect((await store.getArticle(article.id))?.linkedTickets).toEqual([1042]);
      expect(next.linkedTickets).toEqual([]);
    });
  });

  describe('Method: linkTicket', () => {
    it('links a ticket once, without a new version, and ignores a missing article', async () => {
      const article = await stored();
      await store.linkTicket(article.id, 7);
      await store.linkTicket(article.id, 7);
      await store.linkTicket(article.id, 8);
      const linked = await store.getArticle(article.id);
      expect(linked?.linkedTickets).toEqual([7, 8]);
      expect(linked?.version).toBe(1);

      await store.linkTicket('kb-never-written', 7);
      expect(await store.getArticle('kb-never-written')).toBeUndefined();
    });
  });

  describe('Method: listArticles', () => {
    // Their own tag and category, so other tests' articles stay out of these lists.
    const tag = 'listing-test';
    let articles: Record<'publicDraft' | 'publicPublished' | 'internalPublished' | 'internalDraft', Article>;
    beforeAll(async () => {
      articles = {
        publicPublished: await stored({ tags: [tag, 'vpn'], category: 'listing/a' }, 'kb-list'),
        publicDraft: await stored({ tags: [tag], category: 'listing/a', status: 'draft' }, 'kb-list'),
        internalPublished: await stored(
          { tags: [tag], category: 'listing/b', audience: 'internal' },
          'kb-list',
        ),
        internalDraft: await stored(
          { tags: [tag], category: 'listing/b', audience: 'internal', status: 'draft' },
          'kb-list',
        ),
      };
    });

    it('lists by tag and by category in id order: staff see every article, requesters public published ones', async () => {
      const { publicPublished, publicDraft, internalPublished, internalDraft } = articles;
      expect(await listAll({ publicOnly: false, tag })).toEqual(
        [publicPublished, publicDraft, internalPublished, internalDraft].map((a) => a.id).sort(),
      );
      expect(await listAll({ publicOnly: true, tag })).toEqual([publicPublished.id]);
      expect(await listAll({ publicOnly: false, category: 'listing/b' })).toEqual(
        [internalPublished.id, internalDraft.id].sort(),
      );
      expect(await listAll({ publicOnly: true, category: 'listing/b' })).toEqual([]);
      expect(await listAll({ publicOnly: true })).toContain(publicPublished.id);
      expect(await listAll({ publicOnly: true })).not.toContain(internalPublished.id);
    });

    it('returns summaries: no body, no bookkeeping', async () => {
      const page = await store.listArticles({ publicOnly: true, tag }, { limit: 10 });
      expect(page.items).toEqual([
        {
          id: articles.publicPublished.id,
          title: 'Connect to the VPN',
          tags: [tag, 'vpn'],
          category: 'listing/a',
          audience: 'public',
          status: 'published',
          version: 1,
          updatedAt: AT,
          publishedAt: AT,
        },
      ]);
    });

    it('pages with a cursor, and the last page carries none', async () => {
      const first = await store.listArticles({ publicOnly: false, tag }, { limit: 3 });
      expect(first.items).toHaveLength(3);
      expect(first.nextCursor).toBeDefined();
      const second = await store.listArticles(
        { publicOnly: false, tag },
        { limit: 3, cursor: first.nextCursor },
      );
      expect(second.items).toHaveLength(1);
      expect(second.nextCursor).toBeUndefined();
      const exact = await store.listArticles({ publicOnly: false, tag }, { limit: 4 });
      expect(exact.nextCursor).toBeUndefined();
    });

    it('refuses a cursor of another list, or a hand-made one, as a 400 on query.cursor', async () => {
      const { nextCursor } = await store.listArticles({ publicOnly: false, tag }, { limit: 1 });
      for (const cursor of [nextCursor, encodeCursor('KBLIST#staff#all', { id: 'Not A Slug' }), 'garbage']) {
        const attempt = store.listArticles({ publicOnly: true, tag }, { limit: 1, cursor });
        await expect(attempt).rejects.toBeInstanceOf(ValidationError);
      }
    });

    it('moves an article between lists when its tags, category, audience or status change', async () => {
      const moving = await stored(
        { tags: ['moving-from'], category: 'moving/a', status: 'draft' },
        'kb-list',
      );
      expect(await listAll({ publicOnly: true, tag: 'moving-from' })).toEqual([]);
      const published = await revise(moving, { status: 'published' });
      expect(await listAll({ publicOnly: true, tag: 'moving-from' })).toEqual([moving.id]);

      const retagged = await revise(published, { tags: ['moving-to'], category: 'moving/b' });
      for (const publicOnly of [true, false]) {
        expect(await listAll({ publicOnly, tag: 'moving-from' })).toEqual([]);
        expect(await listAll({ publicOnly, category: 'moving/a' })).toEqual([]);
        expect(await listAll({ publicOnly, tag: 'moving-to' })).toEqual([moving.id]);
      }
      const page = await store.listArticles({ publicOnly: false, category: 'moving/b' }, { limit: 5 });
      expect(page.items[0]).toMatchObject({ version: 3, tags: ['moving-to'] });

      await revise(retagged, { audience: 'internal' });
      expect(await listAll({ publicOnly: true, tag: 'moving-to' })).toEqual([]);
      expect(await listAll({ publicOnly: true })).not.toContain(moving.id);
      expect(await listAll({ publicOnly: false, tag: 'moving-to' })).toEqual([moving.id]);
    });
  });

  describe('Method: deleteArticle', () => {
    it('deletes the article, its listings and its history; a stale version is refused', async () => {
      const article = await stored({ tags: ['deleting'] });
      const next = await revise(article, { title: 'Edited once' });
      await expect(store.deleteArticle(article)).rejects.toBeInstanceOf(ArticleVersionMismatchError);

      await store.deleteArticle(next);
      expect(await store.getArticle(article.id)).toBeUndefined();
      expect(await listAll({ publicOnly: false, tag: 'deleting' })).toEqual([]);
      expect(await listAll({ publicOnly: true })).not.toContain(article.id);
      const { Items } = await env.db.send(
        new QueryCommand({
          TableName: env.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `ARTICLE#${article.id}` },
        }),
      );
      expect(Items).toEqual([]);
    });
  });

  describe('Method: revisions', () => {
    it('pages through a long history oldest first', async () => {
      let article = await stored();
      for (let i = 1; i <= 4; i++) article = await revise(article, { title: `Edit ${i}` });
      const first = await store.revisions(article.id, { limit: 3 });
      const second = await store.revisions(article.id, { limit: 3, cursor: first.nextCursor });
      expect([...first.items, ...second.items].map((revision) => revision.version)).toEqual([1, 2, 3, 4, 5]);
      expect(second.nextCursor).toBeUndefined();
    });
  });

  describe('Method: allArticles', () => {
    it('yields every article in full, drafts and internal ones included, across pages and batches', async () => {
      // More than one BatchGet (100 keys) worth, in a table of their own.
      const own = await freshTable();
      const bulk = new DynamoArticleStore(own.db, own.tableName);
      try {
        const written = await Promise.all(
          Array.from({ length: 130 }, async (_, i) => {
            const article = createArticle(
              `kb-bulk-${String(i).padStart(3, '0')}`,
              input({ status: i % 2 ? 'draft' : 'published', audience: i % 3 ? 'public' : 'internal' }),
              EDITOR,
              AT,
            );
            expect(await bulk.createArticle(article)).toBe(true);
            return article;
          }),
        );
        const read: Article[] = [];
        for await (const article of bulk.allArticles()) read.push(article);
        expect(read).toEqual(written);
      } finally {
        await own.drop();
      }
    });
  });

  describe('Method: recordDeflection / deflections', () => {
    const day = '2026-11-20';
    it('counts per article and for the desk, atomically under concurrency', async () => {
      const before = await store.deflections();
      const once = (who: string) => ({ day, who });
      await Promise.all([
        ...Array.from({ length: 5 }, (_, i) =>
          store.recordDeflection('kb-counted', { selfServed: false, once: once(`p${i}@example.com`) }),
        ),
        store.recordDeflection('kb-counted', { selfServed: true, once: once('p9@example.com#12') }),
        store.recordDeflection('kb-other', { selfServed: false, once: once('p1@example.com') }),
      ]);
      expect(await store.deflections('kb-counted')).toEqual({ deflections: 6, selfServed: 1 });
      expect(await store.deflections('kb-other')).toEqual({ deflections: 1, selfServed: 0 });
      expect(await store.deflections('kb-never')).toEqual({ deflections: 0, selfServed: 0 });
      expect(await store.deflections()).toEqual({
        deflections: before.deflections + 7,
        selfServed: before.selfServed + 1,
      });
    });

    it('counts one mark (person, article, day) once, however many calls race, and keeps it two days', async () => {
      const once = { day, who: 'racer@example.com' };
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.recordDeflection('kb-raced', { selfServed: false, once })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.deflections('kb-raced')).toEqual({ deflections: 1, selfServed: 0 });
      expect(
        await store.recordDeflection('kb-raced', { selfServed: false, once: { ...once, day: '2026-11-21' } }),
      ).toBe(true);
      const { Items = [] } = await env.db.send(
        new QueryCommand({
          TableName: env.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'KBDEFLECTED#kb-raced#2026-11-20#racer@example.com' },
        }),
      );
      expect(Items).toEqual([
        expect.objectContaining({
          entity: 'deflection_mark',
          expiresAt: Date.parse('2026-11-22T00:00:00Z') / 1000,
        }),
      ]);
    });
  });
});

describe('Class: DynamoRequestWindows', () => {
  const limit = { requests: 3, windowSeconds: 60 };
  const at = new Date('2026-11-20T14:00:10.000Z');

  it('admits a source limit.requests times a window, then refuses it until the next window', async () => {
    const windows = new DynamoRequestWindows(env.db, env.tableName);
    const admitted = await Promise.all(
      Array.from({ length: 5 }, () => windows.admit('reads', 'source-a', limit, at)),
    );
    expect(admitted.filter(Boolean)).toHaveLength(3);
    expect(await windows.admit('reads', 'source-a', limit, new Date('2026-11-20T14:00:59.999Z'))).toBe(false);
    // Another source, another group of routes, the next window: counted apart.
    expect(await windows.admit('reads', 'source-b', limit, at)).toBe(true);
    expect(await windows.admit('deflections', 'source-a', limit, at)).toBe(true);
    expect(await windows.admit('reads', 'source-a', limit, new Date('2026-11-20T14:01:00.000Z'))).toBe(true);
  });

  it('lets TTL delete a window one window after it ends', async () => {
    const windows = new DynamoRequestWindows(env.db, env.tableName);
    await windows.admit('reads', 'source-ttl', limit, at);
    const { Items = [] } = await env.db.send(
      new QueryCommand({
        TableName: env.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: {
          ':pk': `REQWINDOW#reads#source-ttl#${Date.parse('2026-11-20T14:00:00Z') / 1000}`,
        },
      }),
    );
    expect(Items).toEqual([
      expect.objectContaining({
        count: 1,
        entity: 'request_window',
        expiresAt: Date.parse('2026-11-20T14:02:00Z') / 1000,
      }),
    ]);
  });
});

describe('Adapter: DynamoArticleStore (kept HTML)', () => {
  const html = (version: number) => ({ renderer: 1, html: `<p>version ${version}</p>` });

  it('writes the HTML kept with a version, and removes it when the next version keeps none', async () => {
    // Arrange
    const article = {
      ...createArticle(`kb-store-html-${++counter}`, input(), EDITOR, AT),
      rendered: html(1),
    };
    expect(await store.createArticle(article)).toBe(true);
    expect((await store.getArticle(article.id))?.rendered).toEqual(html(1));

    // Act: a version with new HTML, then one without any
    const second = reviseArticle(article, { body: 'Second' }, EDITOR, LATER);
    if (!second) throw new Error('the patch changes nothing');
    await store.updateArticle(article, { ...second.article, rendered: html(2) }, second.revision);
    const afterSecond = await store.getArticle(article.id);
    const third = reviseArticle({ ...second.article, rendered: html(2) }, { body: 'Third' }, EDITOR, LATER);
    if (!third) throw new Error('the patch changes nothing');
    const { rendered: _dropped, ...withoutHtml } = third.article;
    await store.updateArticle({ ...second.article, rendered: html(2) }, withoutHtml, third.revision);

    // Assess
    expect(afterSecond?.rendered).toEqual(html(2));
    const stored = await store.getArticle(article.id);
    expect(stored?.body).toBe('Third');
    expect(stored).not.toHaveProperty('rendered');
  });
});
