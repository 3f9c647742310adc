'use client';

import useSWR from 'swr';
import { getFunctionsClient } from './firebase';
import type { BootstrapResult } from './workspace';
import { bootstrapWorkspace } from './workspace-api';

/** The signed-in user's workspace and role; null uid means nobody is signed in. */
export function useBootstrapWorkspace(uid: string | null) {
  return useSWR<BootstrapResult, Error>(
    uid === null ? null : ['bootstrapWorkspace', uid],
    async () => bootstrapWorkspace(await getFunctionsClient()),
    // It creates on first call: run it once per user, and retry only when asked.
    { revalidateOnFocus: false, revalidateOnReconnect: false, revalidateIfStale: false, shouldRetryOnError: false },
  );
}
