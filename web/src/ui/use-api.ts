import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type ApiAnswer, api } from '../api/client.ts';
import { ProblemError } from '../api/problem.ts';

/**
 * A GET the page depends on: its data, its loading and error state, and `reload`. A `refreshMs`
 * polls quietly (no loading state on refreshes, the old data stays while the new is fetched) —
 * the live refresh of queues and tickets. Polling pauses while the tab is hidden.
 */
export interface Loaded<T> {
  data?: T;
  etag?: string;
  error?: ProblemError;
  loading: boolean;
  reload(): Promise<void>;
}

export const useApi = <T>(
  path: string | undefined,
  options: { refreshMs?: number; anonymous?: boolean } = {},
): Loaded<T> => {
  const [state, setState] = useState<{ answer?: ApiAnswer<T>; error?: ProblemError; loading: boolean }>({
    loading: path !== undefined,
  });
  const current = useRef(path);
  current.current = path;

  const load = useCallback(
    async (quiet: boolean) => {
      if (path === undefined) return;
      if (!quiet) setState((previous) => ({ ...previous, loading: true, error: undefined }));
      try {
        const answer = await api.get<T>(path, { anonymous: options.anonymous });
        if (current.current === path) setState({ answer, loading: false });
      } catch (error) {
        const problem =
          error instanceof ProblemError ? error : new ProblemError(0, 'Something went wrong', String(error));
        if (current.current === path)
          setState((previous) => ({ ...previous, error: problem, loading: false }));
      }
    },
    [path, options.anonymous],
  );

  useEffect(() => {
    setState({ loading: path !== undefined });
    void load(false);
    if (!options.refreshMs) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load(true);
    }, options.refreshMs);
    return () => clearInterval(timer);
  }, [load, options.refreshMs]);

  return {
    data: state.answer?.data,
    etag: state.answer?.etag,
    error: state.error,
    loading: state.loading,
    reload: () => load(true),
  };
};
