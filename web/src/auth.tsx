/**
 * Who is logged in. The session lives in an HTTP-only cookie the UI cannot read, so the UI asks
 * the server once at start (`/api/auth/session`) and keeps the user and CSRF token in memory.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, setCsrfToken, setUnauthorizedHandler } from './api';
import { callApi } from './data/client';
import { queryClient } from './data/queries';
import type { SessionResponse, SessionUser } from './types';

type AuthState =
  | { status: 'loading'; user: null }
  | { status: 'signedOut'; user: null }
  | { status: 'signedIn'; user: SessionUser };

type AuthContextValue = AuthState & {
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** Called after requests that may rotate the session (e.g. password change). */
  applySession: (session: Partial<SessionResponse>) => void;
};

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading', user: null });

  const signOutLocally = useCallback(() => {
    setCsrfToken(null);
    // What one staff member saw must not show to the next who signs in on this browser.
    queryClient.clear();
    setState({ status: 'signedOut', user: null });
  }, []);

  const applySession = useCallback((session: Partial<SessionResponse>) => {
    if (session.csrfToken) setCsrfToken(session.csrfToken);
    if (session.user) setState({ status: 'signedIn', user: session.user });
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(signOutLocally);
    let active = true;
    callApi('get', '/api/auth/session', undefined, { redirectOn401: false })
      .then((session) => active && applySession(session))
      .catch((error: unknown) => {
        if (!active) return;
        // Any failure leaves the user on the login page, where a real login attempt shows the cause.
        if (!(error instanceof ApiError) || error.status !== 401) console.warn('session check failed', error);
        signOutLocally();
      });
    return () => {
      active = false;
      setUnauthorizedHandler(null);
    };
  }, [applySession, signOutLocally]);

  const login = useCallback(
    async (email: string, password: string) => {
      const session = await callApi('post', '/api/auth/login', { body: { email, password } }, { redirectOn401: false });
      queryClient.clear();
      applySession(session);
    },
    [applySession],
  );

  const logout = useCallback(async () => {
    try {
      await callApi('post', '/api/auth/logout', undefined, { redirectOn401: false });
    } finally {
      signOutLocally();
    }
  }, [signOutLocally]);

  const value = useMemo<AuthContextValue>(
    () => ({ ...state, login, logout, applySession }),
    [state, login, logout, applySession],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

/** The signed-in user; only for components rendered behind RequireAuth. */
export function useUser(): SessionUser {
  const auth = useAuth();
  if (auth.status !== 'signedIn') throw new Error('useUser without a signed-in user');
  return auth.user;
}

export function isAdmin(user: SessionUser): boolean {
  return user.role === 'prefecture_admin';
}

/** Partner agencies see people only through referrals addressed to them, not through these pages. */
export function canWorkWithPeople(user: SessionUser): boolean {
  return user.role !== 'partner';
}
