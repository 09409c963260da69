import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api/api-error';
import { useConsole } from './console-context';
import { parseRoute, type Route } from './logic/routes';

/** How often a page asks for its figures again. The tier app's queries read small projections. */
export const POLL_INTERVAL_MS = 5_000;

export interface Polled<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  /** When the data last arrived. */
  updatedAt?: Date;
  refresh(): void;
}

/**
 * Loads now and again every `intervalMs` while the tab is visible, so that figures move without a
 * reload; a failed refresh keeps the figures it had and reports the error beside them. A refused token
 * ends the session.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  deps: unknown[],
  intervalMs = POLL_INTERVAL_MS,
): Polled<T> {
  const { signOut } = useConsole();
  const [state, setState] = useState<Omit<Polled<T>, 'refresh'>>({ loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let cancelled = false;
    let running = false;
    // The figures shown stay until new ones arrive: a refresh or a new range does not blank the page.
    setState((previous) => ({ ...previous, loading: true }));
    const run = async (first: boolean) => {
      if (running || (!first && document.hidden)) return;
      running = true;
      try {
        const data = await loadRef.current();
        if (!cancelled) setState({ data, loading: false, updatedAt: new Date() });
      } catch (error) {
        if (cancelled) return;
        if (error instanceof ApiError && error.status === 401) {
          signOut('The token is no longer accepted. Sign in again.');
          return;
        }
        setState((previous) => ({ ...previous, error, loading: false }));
      } finally {
        running = false;
      }
    };
    void run(true);
    const timer = setInterval(() => void run(false), intervalMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
    // The caller names what the load depends on; the load itself is read through a ref.
  }, [...deps, tick, intervalMs]);

  const refresh = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, refresh };
}

/** The page named by the URL's fragment, following the browser's back and forward. */
export function useHashRoute(): Route | undefined {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
