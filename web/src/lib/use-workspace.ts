'use client';

import useSWR from 'swr';
import { getDb } from './firebase';
import type { Workspace } from './workspace';
import { fetchWorkspace } from './workspace-api';

/** The workspace document, null when it does not exist; uid scopes the cache to the user. */
export function useWorkspace(workspaceId: string | null, uid: string | null) {
  const key = workspaceId !== null && uid !== null ? (['workspace', workspaceId, uid] as const) : null;
  return useSWR<Workspace | null, Error, typeof key>(
    key,
    async ([, id]) => fetchWorkspace(await getDb(), id),
    { shouldRetryOnError: false },
  );
}
