import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ARTICLES } from '#infra/local/demo/articles';
import { type StreamPoller, startStreamPoller } from '#infra/local/stream-poller';
import { processChanges } from '#shared/changes/process-changes';
import { DynamoArticleStore } from '#shared/kb/adapters/dynamodb';
import { S3IndexStore } from '#shared/kb/adapters/s3';
import { type Article, createArticle, type NewArticle, reviseArticle } from '#shared/kb/article';
import { KB_INDEX_KEY } from '#shared/kb/config';
import { buildIndex, rebuildIndex } from '#shared/kb/index-build';
import { IndexLoader } from '#shared/kb/index-store';
import { ArticleIndex } from '#shared/kb/search-index';
import { STAFF_SCOPE } from '#shared/kb/visibility';
import { DynamoWorkflowStore } from '#shared/workflow/adapters/dynamodb';
import { SfnWorkflowSignals } from '#shared/workflow/adapters/sfn';
import { type MailBucket, startMailBucket } from '#test/fixtures/email/mail-bucket';
import { freshTable } from '#test/support/table';

/**
 * The search index between its builder and its readers, on a real S3 (s3rver) and real stream
 * records from DynamoDB Local: saved gzipped, loaded once, refreshed when the object changes,
 * and rebuilt by the stream processor when an article is published.
 */

const KB_BUCKET = 'tierdesk-kb-test';

let s3: MailBucket;
let env: Awaited<ReturnType<typeof freshTable>>;
let articles: DynamoArticleStore;
let poller: StreamPoller;

/** A store on its own key, so the tests of the adapter do not race the stream processor's object. */
const storeAt = (key: string) => new S3IndexStore(s3.bucketNamed(KB_BUCKET), key);

beforeAll(async () => {
  s3 = await startMailBucket();
  await s3.s3.send(new CreateBucketCommand({ Bucket: KB_BUCKET }));
  env = await freshTable();
  articles = new DynamoArticleStore(env.db, env.tableName);
  const index = storeAt(KB_INDEX_KEY);
  // The processor as the stack runs it, on this table's stream: no ticket is written here, so
  // Step Functions is never called.
  const handler = processChanges({
    signals: new SfnWorkflowSignals(new SFNClient({ region: 'eu-central-1' }), 'arn:unused'),
    workflows: new DynamoWorkflowStore(env.db, env.tableName),
    kb: { rebuildIndex: () => rebuildIndex(articles, index) },
  });
  poller = await startStreamPoller({
    endpoint: env.endpoint,
    tableName: env.tableName,
    intervalMs: 20,
    handler,
  });
});
afterAll(async () => {
  await poller?.stop();
  await env?.drop();
  await s3?.stop();
});

const demo = buildIndex(DEMO_ARTICLES);

describe('Class: S3IndexStore', () => {
  it('saves the index gzipped and fetches it back searchable, with its ETag', async () => {
    const store = storeAt('kb/roundtrip.json.gz');
    expect(await store.save(demo)).toBe(true);
    const fetched = await store.fetch();
    if (fetched.kind !== 'found') throw new Error(`expected the index, got ${fetched.kind}`);
    expect(fetched.etag).toMatch(/^"[0-9a-f]+"$/);
    const loaded = ArticleIndex.fromJSON(fetched.json);
    expect(loaded.size).toBe(DEMO_ARTICLES.length);
    expect(loaded.search('cant log in after changing pw')[0]?.id).toBe(
      demo.search('cant log in after changing pw')[0]?.id,
    );
  });

  it('answers unchanged to the current ETag (a 304), and missing for an object never written', async () => {
    const store = storeAt('kb/conditional.json.gz');
    expect(await store.fetch()).toEqual({ kind: 'missing' });
    await store.save(demo);
    const first = await store.fetch();
    if (first.kind !== 'found') throw new Error('expected the index');
    expect(await store.fetch(first.etag)).toEqual({ kind: 'unchanged' });

    await store.save(buildIndex(DEMO_ARTICLES.slice(0, 3)));
    const second = await store.fetch(first.etag);
    expect(second.kind).toBe('found');
  });

  it('does not replace an index built later with one built earlier', async () => {
    const store = storeAt('kb/ordering.json.gz');
    expect(await store.save(demo, { builtAt: new Date('2026-11-20T14:00:02Z') })).toBe(true);
    expect(await store.save(buildIndex([]), { builtAt: new Date('2026-11-20T14:00:01Z') })).toBe(false);
    const fetched = await store.fetch();
    if (fetched.kind !== 'found') throw new Error('expected the index');
    expect(ArticleIndex.fromJSON(fetched.json).size).toBe(DEMO_ARTICLES.length);
    expect(await store.save(buildIndex([]), { builtAt: new Date('2026-11-20T14:00:03Z') })).toBe(true);
  });
});

describe('Class: IndexLoader', () => {
  it('starts from an empty index while no object exists, then loads it once it does', async () => {
    const store = storeAt('kb/later.json.gz');
    let now = 0;
    const loader = new IndexLoader(store, { refreshMs: 5_000, now: () => now });
    expect((await loader.current()).size).toBe(0);
    await store.save(demo);
    expect((await loader.current()).size).toBe(0);
    now += 5_000;
    expect((await loader.current()).size).toBe(DEMO_ARTICLES.length);
  });

  it('keeps its index while the object is unchanged, and swaps it for a changed one after the interval', async () => {
    const store = storeAt('kb/refresh.json.gz');
    await store.save(demo);
    let now = 0;
    const loader = new IndexLoader(store, { refreshMs: 5_000, now: () => now });
    const first = await loader.current();
    now += 5_000;
    expect(await loader.current()).toBe(first);

    await store.save(buildIndex(DEMO_ARTICLES.slice(0, 2)));
    now += 4_999;
    expect(await loader.current()).toBe(first);
    now += 1;
    expect((await loader.current()).size).toBe(2);
  });

  it('searches an empty index rather than one of another analyzer version, and loads the next good one', async () => {
    const key = 'kb/foreign.json.gz';
    const { gzipSync } = await import('node:zlib');
    await s3.s3.send(
      new PutObjectCommand({
        Bucket: KB_BUCKET,
        Key: key,
        Body: gzipSync(JSON.stringify({ format: 'tierdesk-kb-index', analyzer: 'older', engine: {} })),
      }),
    );
    const loader = new IndexLoader(storeAt(key), { refreshMs: 0 });
    expect((await loader.current()).size).toBe(0);
    await storeAt(key).save(demo);
    expect((await loader.current()).size).toBe(DEMO_ARTICLES.length);
  });
});

describe('Stream processor → KB bucket → loader', () => {
  const input = (overrides: Partial<NewArticle> = {}): NewArticle => ({
    title: 'Badge reader at the loading dock rejects cards',
    body: 'Hold the badge flat against the reader for two seconds; the loading dock reader is slow.',
    tags: ['badge', 'loading-dock'],
    category: 'facilities/access',
    audience: 'public',
    status: 'draft',
    linkedTickets: [],
    ...overrides,
  });
  const publish = async (article: Article): Promise<Article> => {
    const revised = reviseArticle(
      article,
      { status: 'published' },
      'sup@example.com',
      '2026-11-20T15:00:00.000Z',
    );
    if (!revised) throw new Error('unreachable');
    await articles.updateArticle(article, revised.article, revised.revision);
    return revised.article;
  };

  it('makes a published article searchable by the next load, without restarting the loader', async () => {
    const loader = new IndexLoader(storeAt(KB_INDEX_KEY), { refreshMs: 0 });
    const draft = createArticle('kb-badge-reader', input(), 'sup@example.com', '2026-11-20T14:00:00.000Z');
    expect(await articles.createArticle(draft)).toBe(true);
    await poller.drain();

    // The draft is in the index (staff search it), not for requesters.
    expect((await loader.current()).search('badge reader loading dock', { scope: STAFF_SCOPE })[0]?.id).toBe(
      draft.id,
    );
    expect((await loader.current()).search('badge reader loading dock')).toEqual([]);

    const published = await publish(draft);
    await poller.drain();
    expect((await loader.current()).search('badge reader loading dock')[0]).toMatchObject({
      id: draft.id,
      status: 'published',
    });

    await articles.deleteArticle(published);
    await poller.drain();
    expect((await loader.current()).search('badge reader loading dock', { scope: STAFF_SCOPE })).toEqual([]);
  });
});
