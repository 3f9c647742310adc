// The Members page's invitations (owners and admins only: the rules refuse viewers, who do not ask).
// Every pending invitation (an equality on one field needs no composite index), and the newest
// invitations overall for the collapsed "past" list, whose pending ones are already in the first.
import { collection, getDocs, limit, orderBy, query, where, type Firestore } from 'firebase/firestore';
import { paths } from '@vigil/schema/constants';
import { invitationFromDoc, type InvitationView } from '../model/member';
import { countQueryRead } from './read-counter';

/** How many of the newest invitations the page reads for the "past" list (history, not work). */
export const PAST_INVITATIONS_READ = 50;

export interface InvitationLists {
  /** Newest first. */
  pending: InvitationView[];
  /** Accepted and revoked, newest first, at most PAST_INVITATIONS_READ. */
  past: InvitationView[];
}

const newestFirst = (a: InvitationView, b: InvitationView) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0);

export async function fetchInvitations(db: Firestore, workspaceId: string): Promise<InvitationLists> {
  const invitations = collection(db, paths.invitations(workspaceId));
  const [pending, newest] = await Promise.all([
    getDocs(query(invitations, where('state', '==', 'pending'))),
    getDocs(query(invitations, orderBy('createdAt', 'desc'), limit(PAST_INVITATIONS_READ))),
  ]);
  countQueryRead(pending.size);
  countQueryRead(newest.size);
  const read = (snapshot: typeof pending) => snapshot.docs.map((invitation) => invitationFromDoc(invitation.id, invitation.data()));
  return {
    pending: read(pending)
      .filter((invitation) => invitation.state === 'pending')
      .sort(newestFirst),
    past: read(newest).filter((invitation) => invitation.state !== 'pending'),
  };
}
