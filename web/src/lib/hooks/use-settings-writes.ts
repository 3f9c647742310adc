'use client';

// The settings page's two writes. Each goes straight to Firestore (the rules allow it) and then
// reads again the document the session shows, so the page and the header agree with what was saved.
import type { NotificationPreferences, WorkspaceSettings } from '@vigil/schema';
import { useCallback } from 'react';
import { useSWRConfig } from 'swr';
import { withData } from '../firebase/lazy';
import { staleAfter } from './swr-keys';

/** The workspace's name and settings (owners and admins). */
export function useUpdateWorkspaceSettings() {
  const { mutate } = useSWRConfig();
  return useCallback(
    async (workspaceId: string, value: { name: string; settings: WorkspaceSettings }) => {
      await withData((data, db) => data.updateWorkspaceSettings(db, workspaceId, value));
      await Promise.all(staleAfter.updateWorkspaceSettings(workspaceId).map((key) => mutate(key)));
    },
    [mutate],
  );
}

/** The signed-in member's own email choices (any member). */
export function useUpdateNotificationPreferences() {
  const { mutate } = useSWRConfig();
  return useCallback(
    async (workspaceId: string, uid: string, preferences: NotificationPreferences) => {
      await withData((data, db) => data.updateNotificationPreferences(db, workspaceId, uid, preferences));
      await Promise.all(staleAfter.updateNotificationPreferences(workspaceId, uid).map((key) => mutate(key)));
    },
    [mutate],
  );
}
