import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure } from './api.js';

export type Resource<T> =
  | { status: 'loading'; data: T | undefined; error: null; reload: () => void }
  | { status: 'ready'; data: T; error: null; reload: () => void }
  | { status: 'error'; data: T | undefined; error: ApiFailure; reload: () => void };

/**
 * Loads data for a view and reloads it when `deps` change. The previous data stays while a reload runs,
 * so figures do not flash away when a filter changes; a late answer to an older request is dropped.
 */
export function useResource<T>(load: () => Promise<T>, deps: unknown[]): Resource<T> {
  const [state, setState] = useState<{ status: 'loading' | 'ready' | 'error'; data?: T; error: ApiFailure | null }>({
    status: 'loading',
    error: null,
  });
  const latest = useRef(0);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    const call = ++latest.current;
    setState((s) => ({ status: 'loading', data: s.data, error: null }));
    load().then(
      (data) => call === latest.current && setState({ status: 'ready', data, error: null }),
      (err: unknown) =>
        call === latest.current &&
        setState((s) => ({
          status: 'error',
          data: s.data,
          error: err instanceof ApiFailure ? err : new ApiFailure(0, 'client_error', String(err)),
        })),
    );
  }, [...deps, tick]);

  return { ...state, reload } as Resource<T>;
}
