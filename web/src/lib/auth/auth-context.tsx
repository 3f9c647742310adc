'use client';

import { onIdTokenChanged, type User } from 'firebase/auth';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { getFirebaseAuth } from '../firebase/firebase';
import { markOnce } from '../telemetry/perf-mark';

export type AuthState =
  { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; user: User } | { status: 'misconfigured'; message: string };

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });

  useEffect(() => {
    markOnce('vigil:hydrated');
    try {
      // onIdTokenChanged (not onAuthStateChanged): besides signing in and out it also fires when the
      // token is refreshed, as after the email was verified (auth-actions.ts), so pages redraw then.
      return onIdTokenChanged(getFirebaseAuth(), (user) => {
        markOnce('vigil:auth');
        setState(user ? { status: 'signed-in', user } : { status: 'signed-out' });
      });
    } catch (error) {
      // A missing env var: say which, instead of a blank page.
      setState({ status: 'misconfigured', message: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }, []);

  return <AuthContext.Provider value={state}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (state === null) throw new Error('useAuth must be used inside <AuthProvider>.');
  return state;
}
