'use client';

import { createContext, useContext } from 'react';
import type { WorkspaceSession } from '@/lib/hooks/use-workspace-session';

export const SessionContext = createContext<WorkspaceSession | null>(null);

/** The signed-in user's workspace session; only inside <SignedInGate>. */
export function useSession(): WorkspaceSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SignedInGate>.');
  return session;
}
