/**
 * A function whose implementation is built on its first call, typically from a module imported
 * then (`import()`): what only some invocations need (the search index rebuild, article
 * suggestions, survey links) becomes a chunk of its own that is not parsed at every cold start.
 * The implementation is built once per container; a failed build (a chunk that did not load) is
 * tried again on the next call.
 */
export const onFirstUse = <A extends unknown[], R>(
  build: () => Promise<(...args: A) => Promise<R>>,
): ((...args: A) => Promise<R>) => {
  let built: Promise<(...args: A) => Promise<R>> | undefined;
  return async (...args) => {
    built ??= build().catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    return (await built)(...args);
  };
};
