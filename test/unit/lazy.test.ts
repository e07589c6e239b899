import { describe, expect, it, vi } from 'vitest';
import { loadOnce, onFirstUse } from '#shared/runtime/lazy';

/** Code a function needs on some invocations only, loaded on first use (`#shared/runtime/lazy`). */

describe('loadOnce', () => {
  it('loads on the first call only, also when calls overlap', async () => {
    const load = vi.fn(async () => ({ client: 'S3' }));
    const get = loadOnce(load);
    expect(load).not.toHaveBeenCalled();

    const [first, second] = await Promise.all([get(), get()]);
    const third = await get();

    expect(load).toHaveBeenCalledTimes(1);
    expect(second).toBe(first);
    expect(third).toBe(first);
  });

  it('tries again after a load that failed, and keeps the first that succeeds', async () => {
    const load = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new Error('chunk did not load'))
      .mockResolvedValueOnce('loaded')
      .mockResolvedValueOnce('loaded again');
    const get = loadOnce(load);

    await expect(get()).rejects.toThrow('chunk did not load');
    expect(await get()).toBe('loaded');
    expect(await get()).toBe('loaded');
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe('onFirstUse', () => {
  it('builds the implementation on the first call and passes every call its arguments', async () => {
    const build = vi.fn(async () => async (a: number, b: number) => a + b);
    const add = onFirstUse(build);
    expect(build).not.toHaveBeenCalled();

    expect(await add(1, 2)).toBe(3);
    expect(await add(3, 4)).toBe(7);
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('rejects a call whose implementation could not be built, and builds it on the next', async () => {
    const build = vi
      .fn<() => Promise<(text: string) => Promise<string>>>()
      .mockRejectedValueOnce(new Error('no S3 client'))
      .mockResolvedValue(async (text) => text.toUpperCase());
    const shout = onFirstUse(build);

    await expect(shout('a')).rejects.toThrow('no S3 client');
    expect(await shout('b')).toBe('B');
  });
});
