'use client';

// The Members page's two reads, each once (a member list changes rarely, and only through the
// callables, whose hooks in use-team-writes.ts refresh them; SWR reads again on focus too).
import useSWR from 'swr';
import { withData } from '../firebase/lazy';
import { swrKeys } from './swr-keys';

/** Every member of the workspace, owners first. */
export function useMembers(workspaceId: string) {
  return useSWR(swrKeys.members(workspaceId), ([, ws]) => withData((data, db) => data.fetchMembers(db, ws)));
}

/** Pending and past invitations; `canRead` false (a viewer, whom the rules refuse) asks nothing. */
export function useInvitations(workspaceId: string, canRead: boolean) {
  return useSWR(canRead ? swrKeys.invitations(workspaceId) : null, ([, ws]) => withData((data, db) => data.fetchInvitations(db, ws)));
}
