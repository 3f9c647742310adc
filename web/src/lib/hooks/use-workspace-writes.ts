'use client';

// The writes of workspaces and accounts, each through its callable (lib/firebase/workspace-callables.ts).
// The session lists the user's workspaces from users/{uid}, read once; the mirror there is kept by a
// trigger that runs after the callable returns, so each write edits the cached profile itself
// (model/user-workspaces.ts) rather than reading it again too early.
import type { Role } from '@vigil/schema';
import type { Functions } from 'firebase/functions';
import { useCallback } from 'react';
import { useSWRConfig } from 'swr';
import { signOutUser } from '../auth/auth-actions';
import { forgetWorkspace } from '../auth/last-workspace';
import { getFirebaseAuth, getFunctionsClient } from '../firebase/firebase';
import { withCallables } from '../firebase/lazy';
import type { UserProfileView } from '../model/member';
import type { BootstrapResult } from '../model/workspace';
import { profileWithoutWorkspace, profileWithWorkspace } from '../model/user-workspaces';
import { withTeamErrors } from '../text/team-error';
import { swrKeys } from './swr-keys';

type WorkspaceCallables = typeof import('../firebase/workspace-callables');

async function withWorkspaceCallables<T>(use: (callables: WorkspaceCallables, functions: Functions) => Promise<T>): Promise<T> {
  const [callables, functions] = await Promise.all([import('../firebase/workspace-callables'), getFunctionsClient()]);
  return use(callables, functions);
}

/** Edits the cached profile of `uid` without reading it again. */
function useEditProfile() {
  const { mutate } = useSWRConfig();
  return useCallback(
    (uid: string, edit: (profile: UserProfileView | null | undefined) => UserProfileView | null | undefined) =>
      mutate<UserProfileView | null>(swrKeys.profile(uid), (profile) => edit(profile), { revalidate: false }),
    [mutate],
  );
}

function useJoined() {
  const editProfile = useEditProfile();
  return useCallback(
    async (uid: string, joined: { workspaceId: string; role: Role }) => {
      await editProfile(uid, (profile) => profileWithWorkspace(profile, joined.workspaceId, joined.role));
      return joined.workspaceId;
    },
    [editProfile],
  );
}

/** Creates a workspace owned by the user; resolves with its id. */
export function useCreateWorkspace() {
  const joined = useJoined();
  return useCallback(
    async (uid: string, name: string) =>
      joined(uid, await withWorkspaceCallables((callables, functions) => withTeamErrors(callables.createWorkspace(functions, { name })))),
    [joined],
  );
}

/** Accepts an invitation with the link's token; resolves with the workspace joined. */
export function useAcceptInvitation() {
  const joined = useJoined();
  return useCallback(
    async (uid: string, input: { workspaceId: string; invitationId: string; token: string }) =>
      joined(uid, await withWorkspaceCallables((callables, functions) => callables.acceptInvitation(functions, input))),
    [joined],
  );
}

/** Deletes a workspace (owners; `confirmName` typed by the user) and drops it from the cached profile. */
export function useDeleteWorkspace() {
  const editProfile = useEditProfile();
  const { mutate } = useSWRConfig();
  return useCallback(
    async (uid: string, workspaceId: string, confirmName: string) => {
      await withWorkspaceCallables((callables, functions) => withTeamErrors(callables.deleteWorkspace(functions, { workspaceId, confirmName })));
      // Not the workspace's own cached document: the page still shows it until the caller moves on,
      // and opened again it is read again (and refused).
      forgetWorkspace(uid);
      await editProfile(uid, (profile) => profileWithoutWorkspace(profile, workspaceId));
      // A bootstrap reply cached since the sign-in may name it (the personal workspace).
      await mutate(swrKeys.bootstrap(uid), (reply: BootstrapResult | undefined) => (reply?.workspaceId === workspaceId ? undefined : reply), {
        revalidate: false,
      });
    },
    [editProfile, mutate],
  );
}

/**
 * The user's personal workspace, made afresh by bootstrapWorkspace when theirs was deleted; resolves
 * with its id. Cached as the session's bootstrap reply, so the session offers it at once.
 */
export function usePersonalWorkspace() {
  const editProfile = useEditProfile();
  const { mutate } = useSWRConfig();
  return useCallback(
    async (uid: string) => {
      const result = await withCallables((callables, functions) => callables.bootstrapWorkspace(functions));
      await mutate(swrKeys.bootstrap(uid), result, { revalidate: false });
      await editProfile(uid, (profile) => {
        const joined = profileWithWorkspace(profile, result.workspaceId, result.role);
        return joined && { ...joined, personalWorkspaceId: result.workspaceId };
      });
      return result.workspaceId;
    },
    [editProfile, mutate],
  );
}

/** Deletes the signed-in user's own account, then signs out of this browser. */
export function useDeleteAccount() {
  return useCallback(async (uid: string) => {
    await withWorkspaceCallables((callables, functions) => withTeamErrors(callables.deleteAccount(functions)));
    forgetWorkspace(uid);
    // The Auth account is gone; the browser still holds its session until it signs out.
    await signOutUser(getFirebaseAuth());
  }, []);
}
