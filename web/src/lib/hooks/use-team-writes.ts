'use client';

// The Members page's writes, one hook each, through the membership callables
// (lib/firebase/team-callables.ts, loaded on demand: the rules allow no client write to members or
// invitations). Each refusal becomes an Error carrying the server's sentence (text/team-error.ts),
// and each success reads again what staleAfter names.
import type { InviteMemberInput, Role } from '@vigil/schema';
import type { Functions } from 'firebase/functions';
import { useCallback } from 'react';
import { useSWRConfig } from 'swr';
import { forgetWorkspace } from '../auth/last-workspace';
import { getFunctionsClient } from '../firebase/firebase';
import type { UserProfileView } from '../model/member';
import { defaultWorkspaceOf, profileWithoutWorkspace } from '../model/user-workspaces';
import { withTeamErrors } from '../text/team-error';
import { useRefreshingAfter } from './use-refreshing-after';
import { staleAfter, swrKeys } from './swr-keys';

type TeamCallables = typeof import('../firebase/team-callables');

function withTeamCallables<T>(use: (callables: TeamCallables, functions: Functions) => Promise<T>): Promise<T> {
  return withTeamErrors(
    Promise.all([import('../firebase/team-callables'), getFunctionsClient()]).then(([callables, functions]) => use(callables, functions)),
  );
}

/** Emails an invitation; `resent` when the address had a pending one, which got a new link instead. */
export function useInviteMember() {
  const refreshing = useRefreshingAfter();
  return useCallback(
    (input: InviteMemberInput) =>
      refreshing(
        withTeamCallables((callables, functions) => callables.inviteMember(functions, input)),
        staleAfter.inviteMember(input.workspaceId),
      ),
    [refreshing],
  );
}

export function useResendInvitation() {
  const refreshing = useRefreshingAfter();
  return useCallback(
    (workspaceId: string, invitationId: string) =>
      refreshing(
        withTeamCallables((callables, functions) => callables.resendInvitation(functions, { workspaceId, invitationId })),
        staleAfter.resendInvitation(workspaceId),
      ),
    [refreshing],
  );
}

export function useRevokeInvitation() {
  const refreshing = useRefreshingAfter();
  return useCallback(
    (workspaceId: string, invitationId: string) =>
      refreshing(
        withTeamCallables((callables, functions) => callables.revokeInvitation(functions, { workspaceId, invitationId })),
        staleAfter.revokeInvitation(workspaceId),
      ),
    [refreshing],
  );
}

export function useSetMemberRole() {
  const refreshing = useRefreshingAfter();
  return useCallback(
    (workspaceId: string, uid: string, role: Role) =>
      refreshing(
        withTeamCallables((callables, functions) => callables.setMemberRole(functions, { workspaceId, uid, role })),
        staleAfter.setMemberRole(workspaceId, uid),
      ),
    [refreshing],
  );
}

export function useRemoveMember() {
  const refreshing = useRefreshingAfter();
  return useCallback(
    (workspaceId: string, uid: string) =>
      refreshing(
        withTeamCallables((callables, functions) => callables.removeMember(functions, { workspaceId, uid })),
        staleAfter.removeMember(workspaceId),
      ),
    [refreshing],
  );
}

/**
 * The signed-in user leaves the workspace; resolves with the workspace to open next (their personal
 * one if they still have it, else another; null: none left: the account page offers a fresh one). The
 * mirror in users/{uid} is updated by a trigger after the callable returns, so the cached profile is
 * edited here instead (as use-workspace-writes.ts does for a deletion).
 */
export function useLeaveWorkspace() {
  const { mutate } = useSWRConfig();
  return useCallback(
    async (workspaceId: string, uid: string): Promise<string | null> => {
      await withTeamCallables((callables, functions) => callables.leaveWorkspace(functions, { workspaceId }, uid));
      forgetWorkspace(uid);
      const profile = await mutate<UserProfileView | null>(swrKeys.profile(uid), (current) => profileWithoutWorkspace(current, workspaceId), {
        revalidate: false,
      });
      // Dropped, not read again: those reads are refused now, and a refusal would show "not available"
      // on the page before it moves on. Opened again, they are read afresh.
      await Promise.all(staleAfter.leaveWorkspace(workspaceId, uid).map((key) => mutate(key, undefined, { revalidate: false })));
      return defaultWorkspaceOf(profile);
    },
    [mutate],
  );
}
