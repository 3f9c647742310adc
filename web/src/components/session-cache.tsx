'use client';

import type { ReactNode } from 'react';
import { SWRConfig } from 'swr';
import { useAuth } from '@/lib/auth/auth-context';

/**
 * One SWR cache per signed-in user: signing out, or in as someone else, starts from nothing, so no
 * page ever shows the previous user's data. Live listeners carry updates, so nothing refetches on
 * focus (every refetch is billed reads).
 */
export function SessionCache({ children }: { children: ReactNode }) {
  const auth = useAuth();
  const owner = auth.status === 'signed-in' ? auth.user.uid : 'nobody';
  return (
    <SWRConfig key={owner} value={{ provider: () => new Map(), revalidateOnFocus: false, shouldRetryOnError: false }}>
      {children}
    </SWRConfig>
  );
}
