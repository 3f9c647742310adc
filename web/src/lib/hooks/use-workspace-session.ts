'use client';

// Which workspace a dashboard page shows, and who the user is there. The workspace comes from the
// page's `ws` parameter (every link carries it), else the one this browser last had open for the
// user (lib/auth/last-workspace.ts), else the user's personal workspace from users/{uid} (or another
// of theirs once it was deleted: model/user-workspaces.ts); only a user without one (a first sign-in,
// or every workspace deleted) waits for the bootstrapWorkspace callable.
import type { Role } from '@vigil/schema';
import { useEffect, useState } from 'react';
import useSWR from 'swr';
import { forgetWorkspace, rememberedWorkspace, rememberWorkspace } from '../auth/last-workspace';
import { withCallables, withData } from '../firebase/lazy';
import type { MemberView } from '../model/member';
import { defaultWorkspaceOf, needsBootstrap, workspaceIdsOf } from '../model/user-workspaces';
import type { Workspace } from '../model/workspace';
import { swrKeys } from './swr-keys';

export interface WorkspaceSession {
  uid: string;
  email: string | null;
  workspaceId: string;
  workspace: Workspace;
  member: MemberView;
  canManage: boolean;
  /** Every workspace the user belongs to, the current one included. */
  workspaceIds: string[];
  /** The user's personal workspace as their profile names it (it may have been deleted since). */
  personalWorkspaceId: string | null;
}

export type SessionState =
  /** `workspaceId` once known, before the role and the workspace document have arrived. */
  | { status: 'loading'; label: string; workspaceId: string | null }
  | { status: 'error'; title: string; error: Error; retry: () => void; retrying: boolean }
  | { status: 'no-access'; workspaceId: string }
  | { status: 'ready'; session: WorkspaceSession };

const ONCE = { revalidateOnFocus: false, revalidateOnReconnect: false, revalidateIfStale: false };

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** users/{uid}, read once (writes edit the cached copy: use-workspace-writes.ts); null: none yet. */
export function useUserProfile(uid: string) {
  return useSWR(swrKeys.profile(uid), ([, id]) => withData((data, db) => data.fetchUserProfile(db, id)), ONCE);
}

export function useWorkspaceSession(user: { uid: string; email: string | null }, requestedWorkspaceId: string | null): SessionState {
  const { uid } = user;
  const profile = useUserProfile(uid);
  // The personal workspace, else another one the mirror lists (the personal one may have been deleted).
  const fallback = defaultWorkspaceOf(profile.data);
  const [hint, setHint] = useState(() => rememberedWorkspace(uid));
  // Not on a page still open on a workspace just deleted or left (model/user-workspaces.ts).
  const bootstrapping = needsBootstrap(profile.data, (requestedWorkspaceId ?? hint) !== null);
  const bootstrap = useSWR(
    bootstrapping ? swrKeys.bootstrap(uid) : null,
    () => withCallables((callables, functions) => callables.bootstrapWorkspace(functions)),
    // It creates on first call: run it once, and again only when asked.
    { ...ONCE, shouldRetryOnError: false },
  );
  const workspaceId = requestedWorkspaceId ?? hint ?? fallback ?? bootstrap.data?.workspaceId ?? null;
  const member = useSWR(workspaceId ? swrKeys.member(workspaceId, uid) : null, ([, ws, id]) => withData((data, db) => data.fetchMember(db, ws, id)));
  const workspace = useSWR(workspaceId ? swrKeys.workspace(workspaceId) : null, ([, ws]) => withData((data, db) => data.fetchWorkspace(db, ws)));

  const denied = [member.error, workspace.error].some((error) => errorCode(error) === 'permission-denied');
  const refused = denied || member.data === null || workspace.data === null;
  const ready = workspaceId !== null && !refused && member.data !== undefined && workspace.data !== undefined;
  const staleHint = refused && requestedWorkspaceId === null && hint !== null && workspaceId === hint;
  useEffect(() => {
    if (ready && workspaceId) rememberWorkspace(uid, workspaceId);
  }, [ready, uid, workspaceId]);
  useEffect(() => {
    // Removed from that workspace since, or it was deleted: fall back to the profile's.
    if (staleHint) {
      forgetWorkspace(uid);
      setHint(null);
    }
  }, [staleHint, uid]);

  if (workspaceId === null) {
    if (profile.error) {
      return {
        status: 'error',
        title: 'Could not load your account',
        error: profile.error,
        retry: () => void profile.mutate(),
        retrying: profile.isValidating,
      };
    }
    if (bootstrap.error) {
      return {
        status: 'error',
        title: 'Could not open your workspace',
        error: bootstrap.error,
        retry: () => void bootstrap.mutate(),
        retrying: bootstrap.isValidating,
      };
    }
    return { status: 'loading', label: bootstrapping ? 'Preparing your workspace…' : 'Loading your account…', workspaceId: null };
  }
  if (staleHint) return { status: 'loading', label: 'Loading your account…', workspaceId: null };
  if (refused) return { status: 'no-access', workspaceId };
  const failed = member.error ?? workspace.error;
  if (failed) {
    return {
      status: 'error',
      title: 'Could not load the workspace',
      error: failed,
      retry: () => {
        void member.mutate();
        void workspace.mutate();
      },
      retrying: member.isValidating || workspace.isValidating,
    };
  }
  if (!member.data || !workspace.data) return { status: 'loading', label: 'Loading the workspace…', workspaceId };
  const role: Role = member.data.role;
  return {
    status: 'ready',
    session: {
      uid,
      email: user.email,
      workspaceId,
      workspace: workspace.data,
      member: member.data,
      canManage: role === 'owner' || role === 'admin',
      workspaceIds: workspaceIdsOf(profile.data, workspaceId, bootstrap.data?.workspaceId),
      personalWorkspaceId: bootstrap.data?.workspaceId ?? profile.data?.personalWorkspaceId ?? null,
    },
  };
}
