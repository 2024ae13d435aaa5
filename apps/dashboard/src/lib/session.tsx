import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiFailure, request, SIGNED_OUT_EVENT, type Body } from './api.js';

/** `GET /v1/me`: the account and, once a handle is claimed, the creator profile with its rollout status. */
export type Me = Body<Awaited<ReturnType<typeof api.v1.me.$get>>>;
export type Creator = NonNullable<Me['creator']>;

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; me: Me }
  | { status: 'error'; error: ApiFailure };

interface Session {
  state: SessionState;
  /** Reloads `/v1/me` (after sign-in, claiming a handle, or to retry when the API was unreachable). */
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** The session cookie is HttpOnly: the dashboard learns who is signed in only by asking the API. */
export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    try {
      setState({ status: 'signed-in', me: await request(() => api.v1.me.$get()) });
    } catch (err) {
      const failure = err instanceof ApiFailure ? err : new ApiFailure(0, 'network', String(err));
      setState(failure.status === 401 ? { status: 'signed-out' } : { status: 'error', error: failure });
    }
  }, []);

  const signOut = useCallback(async () => {
    // Signed out locally even if the API is unreachable; the cookie then expires on its own.
    await request(() => api.v1.auth.logout.$post()).catch(() => undefined);
    setState({ status: 'signed-out' });
  }, []);

  useEffect(() => {
    void refresh();
    const signedOut = () => setState({ status: 'signed-out' });
    addEventListener(SIGNED_OUT_EVENT, signedOut);
    return () => removeEventListener(SIGNED_OUT_EVENT, signedOut);
  }, [refresh]);

  const value = useMemo(() => ({ state, refresh, signOut }), [state, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a <SessionProvider> above it');
  return session;
}

/** The signed-in account; pages behind the sign-in gate use this. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe is only for pages shown to signed-in users');
  return state.me;
}
