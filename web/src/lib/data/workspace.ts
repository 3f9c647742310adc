// The user's profile, the workspace document and its settings, and the member's own document.
import { deleteField, doc, getDoc, updateDoc, type Firestore } from 'firebase/firestore';
import type { NotificationPreferences, WorkspaceSettings } from '@vigil/schema';
import { memberFromDoc, userProfileFromDoc, type MemberView, type UserProfileView } from '../model/member';
import { paths } from '@vigil/schema/constants';
import { workspaceFromDoc, type Workspace } from '../model/workspace';
import { markOnce } from '../telemetry/perf-mark';
import { countDocumentRead } from './read-counter';

/** users/{uid}; null before the first bootstrap has written it. */
export async function fetchUserProfile(db: Firestore, uid: string): Promise<UserProfileView | null> {
  const snapshot = await getDoc(doc(db, paths.user(uid)));
  markOnce('vigil:profile');
  countDocumentRead();
  return snapshot.exists() ? userProfileFromDoc(snapshot.data()) : null;
}

/** Resolves to null when the document does not exist. */
export async function fetchWorkspace(db: Firestore, workspaceId: string): Promise<Workspace | null> {
  const snapshot = await getDoc(doc(db, paths.workspace(workspaceId)));
  countDocumentRead();
  return snapshot.exists() ? workspaceFromDoc(snapshot.id, snapshot.data()) : null;
}

/** The signed-in user's member document: their role and notification choices. Null if not a member. */
export async function fetchMember(db: Firestore, workspaceId: string, uid: string): Promise<MemberView | null> {
  const snapshot = await getDoc(doc(db, paths.member(workspaceId, uid)));
  markOnce('vigil:member');
  countDocumentRead();
  return snapshot.exists() ? memberFromDoc(uid, snapshot.data()) : null;
}

/** Who someone is, for "checked by …": their email, or null when unknown. */
export async function fetchMemberEmail(db: Firestore, workspaceId: string, uid: string): Promise<string | null> {
  return (await fetchMember(db, workspaceId, uid))?.email ?? null;
}

/** Owners and admins only (rules); the whole settings map, as the rules validate it. */
export async function updateWorkspaceSettings(
  db: Firestore,
  workspaceId: string,
  changes: { name: string; settings: WorkspaceSettings },
): Promise<void> {
  // Each setting by its own field path, so settings the form does not send stay as they are. An
  // optional setting turned off (keyRotationDays: null) is removed: absent is off too, and a
  // workspace that never had it sees no change (onWorkspaceWritten copies nothing to its agents).
  const settings = Object.fromEntries(
    Object.entries(changes.settings).map(([key, value]) => [`settings.${key}`, value === null ? deleteField() : value]),
  );
  await updateDoc(doc(db, paths.workspace(workspaceId)), { name: changes.name, ...settings });
}

/** Each member may change only their own choices, and always all seven kinds (rules). */
export async function updateNotificationPreferences(
  db: Firestore,
  workspaceId: string,
  uid: string,
  notifications: NotificationPreferences,
): Promise<void> {
  await updateDoc(doc(db, paths.member(workspaceId, uid)), { notifications: { ...notifications } });
}
