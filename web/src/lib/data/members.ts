// The Members page's read: the workspace's member documents (the rules let any member read them).
// A team is people, not hosts, so the page reads them at once, up to MEMBERS_READ (no workspace
// has that many in practice; deleteWorkspace itself refuses above 450), and says when it reached it.
import { collection, getDocs, limit, query, type Firestore } from 'firebase/firestore';
import { paths } from '@vigil/schema/constants';
import { memberFromDoc, type MemberView } from '../model/member';
import { countQueryRead } from './read-counter';

/** The most member documents the page reads; reaching it, the page says the list may be incomplete. */
export const MEMBERS_READ = 500;

const ROLE_ORDER = { owner: 0, admin: 1, viewer: 2 } as const;

/** Owners first, then admins, then viewers; by address within a role. */
export function sortMembers(members: readonly MemberView[]): MemberView[] {
  return [...members].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || (a.email ?? a.uid).localeCompare(b.email ?? b.uid));
}

export async function fetchMembers(db: Firestore, workspaceId: string): Promise<MemberView[]> {
  const snapshot = await getDocs(query(collection(db, paths.members(workspaceId)), limit(MEMBERS_READ)));
  countQueryRead(snapshot.size);
  return sortMembers(snapshot.docs.map((member) => memberFromDoc(member.id, member.data())));
}
