// The Members page's invitations (owners and admins only: the rules refuse viewers, who do not ask).
// The newest pending invitations (state ==, createdAt desc: a composite index in firestore.indexes.json),
// at most PENDING_INVITATIONS_READ, since an expired one stays pending until it is revoked; and the
// newest invitations overall for the collapsed "past" list, whose pending ones are already in the first.
import { collection, getDocs, limit, orderBy, query, where, type Firestore } from 'firebase/firestore';
import { paths } from '@vigil/schema/constants';
import { invitationFromDoc, type InvitationView } from '../model/member';
import { countQueryRead } from './read-counter';

/** How many of the newest invitations the page reads for the "past" list (history, not work). */
export const PAST_INVITATIONS_READ = 50;

/** How many pending invitations the page lists; more is a backlog to revoke, which the page says. */
export const PENDING_INVITATIONS_READ = 100;

export interface InvitationLists {
  /** Newest first, at most PENDING_INVITATIONS_READ. */
  pending: InvitationView[];
  /** More pending invitations exist than `pending` holds (older ones). */
  morePending: boolean;
  /** Accepted and revoked, newest first, at most PAST_INVITATIONS_READ. */
  past: InvitationView[];
}

export async function fetchInvitations(db: Firestore, workspaceId: string): Promise<InvitationLists> {
  const invitations = collection(db, paths.invitations(workspaceId));
  const [pending, newest] = await Promise.all([
    // One more than shown, to know whether more exist.
    getDocs(query(invitations, where('state', '==', 'pending'), orderBy('createdAt', 'desc'), limit(PENDING_INVITATIONS_READ + 1))),
    getDocs(query(invitations, orderBy('createdAt', 'desc'), limit(PAST_INVITATIONS_READ))),
  ]);
  countQueryRead(pending.size);
  countQueryRead(newest.size);
  const read = (snapshot: typeof pending) => snapshot.docs.map((invitation) => invitationFromDoc(invitation.id, invitation.data()));
  const pendingRead = read(pending).filter((invitation) => invitation.state === 'pending');
  return {
    pending: pendingRead.slice(0, PENDING_INVITATIONS_READ),
    morePending: pendingRead.length > PENDING_INVITATIONS_READ,
    past: read(newest).filter((invitation) => invitation.state !== 'pending'),
  };
}
