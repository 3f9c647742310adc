'use client';

import useSWR from 'swr';
import { withData } from '../firebase/lazy';
import { swrKeys } from './swr-keys';

/** Names of the user's workspaces for the switcher: read only when there is more than one. */
export function useWorkspaceNames(workspaceIds: string[]) {
  const key = workspaceIds.length > 1 ? swrKeys.workspaceNames(workspaceIds) : null;
  return useSWR(key, ([, ...ids]) =>
    withData(async (data, db) => {
      const names = await Promise.all(
        ids.map(async (id) => {
          // A membership the mirror still lists but the rules no longer allow: keep the id.
          const workspace = await data.fetchWorkspace(db, id).catch(() => null);
          return [id, workspace?.name ?? id] as const;
        }),
      );
      return Object.fromEntries(names) as Record<string, string>;
    }),
  );
}
