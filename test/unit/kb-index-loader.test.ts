import { describe, expect, it, vi } from 'vitest';
import { DEMO_ARTICLES } from '#infra/local/demo/articles';
import { buildIndex } from '#shared/kb/index-build';
import { type FetchedIndex, IndexLoader } from '#shared/kb/index-store';

/** The loader's caching and failure rules, on a stub of the bucket (the S3 adapter has its integration test). */

const json = buildIndex(DEMO_ARTICLES.slice(0, 3)).toJSON();

const bucket = (...answers: (FetchedIndex | Error)[]) => {
  const fetch = vi.fn(async (_etag?: string): Promise<FetchedIndex> => {
    const answer = answers.shift();
    if (!answer) throw new Error('no more answers');
    if (answer instanceof Error) throw answer;
    return answer;
  });
  return { fetch };
};

describe('Class: IndexLoader', () => {
  it('loads once for concurrent callers, and asks with the ETag it holds after the interval', async () => {
    const store = bucket({ kind: 'found', etag: '"a"', json }, { kind: 'unchanged' });
    let now = 0;
    const loader = new IndexLoader(store, { refreshMs: 1_000, now: () => now });

    const [first, second] = await Promise.all([loader.current(), loader.current()]);
    expect(first).toBe(second);
    expect(first.size).toBe(3);
    expect(store.fetch).toHaveBeenCalledTimes(1);
    expect(store.fetch).toHaveBeenLastCalledWith(undefined);

    now = 999;
    await loader.current();
    expect(store.fetch).toHaveBeenCalledTimes(1);
    now = 1_000;
    expect(await loader.current()).toBe(first);
    expect(store.fetch).toHaveBeenLastCalledWith('"a"');
  });

  it('keeps searching the loaded index when a check fails, and checks again after the next interval', async () => {
    const store = bucket({ kind: 'found', etag: '"a"', json }, new Error('S3 unavailable'), {
      kind: 'missing',
    });
    let now = 0;
    const loader = new IndexLoader(store, { refreshMs: 1_000, now: () => now });
    const loaded = await loader.current();
    now = 1_000;
    expect(await loader.current()).toBe(loaded);
    now = 1_500;
    expect(await loader.current()).toBe(loaded);
    expect(store.fetch).toHaveBeenCalledTimes(2);
    // The object was deleted: an empty index, as before the first article was written.
    now = 2_000;
    expect((await loader.current()).size).toBe(0);
  });

  it('fails while it has never loaded an index, and loads on the next call', async () => {
    const store = bucket(new Error('S3 unavailable'), { kind: 'found', etag: '"a"', json });
    const loader = new IndexLoader(store, { refreshMs: 1_000, now: () => 0 });
    await expect(loader.current()).rejects.toThrow('S3 unavailable');
    expect((await loader.current()).size).toBe(3);
  });
});
