// Which workspaces a user has, from their profile (users/{uid}): the mirror `workspaces` that
// onMemberWritten keeps, and `personalWorkspaceId`, which still names the personal workspace after it
// was deleted (nothing clears it). So the personal workspace counts only while the mirror lists it;
// bootstrapWorkspace, asked when nothing is left, answers with it or makes a fresh one.
import type { UserProfileView } from './member';

/** The workspace `/` opens without a `ws` parameter: the personal one, else any other; null: none. */
export function defaultWorkspaceOf(profile: UserProfileView | null | undefined): string | null {
  if (!profile) return null;
  const listed = Object.keys(profile.workspaces);
  if (profile.personalWorkspaceId !== null && listed.includes(profile.personalWorkspaceId)) return profile.personalWorkspaceId;
  return listed.sort()[0] ?? null;
}

/**
 * Whether the session asks bootstrapWorkspace (which makes a fresh workspace when the user has none):
 * on a first sign-in (no profile yet), for a user without a personal workspace, and once every
 * workspace is gone, but then only when the page names none (`named`: a `ws` parameter or the one
 * this browser remembered). A page still open on the workspace just deleted or left must not make a
 * fresh one behind the user's back: they leave for the account page, which offers it.
 */
export function needsBootstrap(profile: UserProfileView | null | undefined, named: boolean): boolean {
  if (profile === undefined) return false;
  if (profile === null) return true;
  if (defaultWorkspaceOf(profile) === null) return !named;
  return profile.personalWorkspaceId === null;
}

/** Every workspace to offer in the switcher: the current one, what bootstrap answered, and the mirror's. */
export function workspaceIdsOf(profile: UserProfileView | null | undefined, current: string, bootstrapped?: string): string[] {
  const ids = new Set<string>([current]);
  if (bootstrapped) ids.add(bootstrapped);
  for (const id of Object.keys(profile?.workspaces ?? {})) ids.add(id);
  return [...ids];
}

/**
 * The profile as it is once the user joined `workspaceId` (before the mirror's trigger ran). A profile
 * not read yet (undefined) stays unread: the session then reads the real one.
 */
export function profileWithWorkspace(
  profile: UserProfileView | null | undefined,
  workspaceId: string,
  role: UserProfileView['workspaces'][string],
): UserProfileView | undefined {
  if (profile === undefined) return undefined;
  const base: UserProfileView = profile ?? { personalWorkspaceId: null, workspaces: {} };
  return { ...base, workspaces: Object.fromEntries([...Object.entries(base.workspaces), [workspaceId, role]]) };
}

/** The profile as it is once `workspaceId` was deleted or left (one not read yet stays unread). */
export function profileWithoutWorkspace(profile: UserProfileView | null | undefined, workspaceId: string): UserProfileView | null | undefined {
  if (!profile) return profile;
  return { ...profile, workspaces: Object.fromEntries(Object.entries(profile.workspaces).filter(([id]) => id !== workspaceId)) };
}

/**
 * Where to go once `deleted` is gone: the personal workspace if it was another one, else any other
 * the user has; null when there is none left.
 */
export function workspaceAfterDeleting(deleted: string, workspaceIds: readonly string[], personalWorkspaceId: string | null): string | null {
  const left = workspaceIds.filter((id) => id !== deleted);
  if (personalWorkspaceId !== null && left.includes(personalWorkspaceId)) return personalWorkspaceId;
  return [...left].sort()[0] ?? null;
}
