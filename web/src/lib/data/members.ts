// The Members page's read: every member document of the workspace (the rules let any member read
// them). A workspace's team is people, not hosts, so the page reads them all at once.
import { collection, getDocs, type Firestore } from 'firebase/firestore';
import { paths } from '@vigil/schema/constants';
import { memberFromDoc, type MemberView } from '../model/member';
import { countQueryRead } from './read-counter';

const ROLE_ORDER = { owner: 0, admin: 1, viewer: 2 } as const;

/** Owners first, then admins, then viewers; by address within a role. */
export function sortMembers(members: readonly MemberView[]): MemberView[] {
  return [...members].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || (a.email ?? a.uid).localeCompare(b.email ?? b.uid));
}

export async function fetchMembers(db: Firestore, workspaceId: string): Promise<MemberView[]> {
  const snapshot = await getDocs(collection(db, paths.members(workspaceId)));
  countQueryRead(snapshot.size);
  return sortMembers(snapshot.docs.map((member) => memberFromDoc(member.id, member.data())));
}
