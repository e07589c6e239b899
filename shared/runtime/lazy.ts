/**
 * What only some invocations need (the search index rebuild, article suggestions, survey links,
 * attachment files) as a chunk of its own, imported (`import()`) on first use instead of parsed at
 * every cold start. What is loaded serves the container from then on; a load that failed (a chunk
 * that did not load, a client that could not be built) is tried again on the next use.
 */

/** `load`, run on the first call only; every call answers with its result. */
export const loadOnce = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
};

/** A function whose implementation is built (typically from a module imported then) on its first call. */
export const onFirstUse = <A extends unknown[], R>(
  build: () => Promise<(...args: A) => Promise<R>>,
): ((...args: A) => Promise<R>) => {
  const implementation = loadOnce(build);
  return async (...args) => (await implementation())(...args);
};
