// A workspace's enrollment tokens, live: owners and admins read them (firestore.rules); functions
// write them. A listener, so a token's uses and last use move on the page as hosts enroll. The
// list is short (a token per fleet or rollout), newest first, at most ENROLLMENT_TOKENS_SHOWN.
import { collection, limit, onSnapshot, orderBy, query, type Firestore, type Unsubscribe } from 'firebase/firestore';
import { paths } from '@vigil/schema/constants';
import { enrollmentTokenFromDoc, type EnrollmentTokenView } from '../model/enrollment-token';
import type { Listener } from './agents';
import { countQueryRead } from './read-counter';

/** The newest tokens the page lists; older ones have expired long ago in any real use. */
export const ENROLLMENT_TOKENS_SHOWN = 100;

export function watchEnrollmentTokens(db: Firestore, workspaceId: string, listener: Listener<EnrollmentTokenView[]>): Unsubscribe {
  let first = true;
  return onSnapshot(
    query(collection(db, paths.enrollmentTokens(workspaceId)), orderBy('createdAt', 'desc'), limit(ENROLLMENT_TOKENS_SHOWN)),
    (snapshot) => {
      countQueryRead(first ? snapshot.size : snapshot.docChanges().length, { firstSnapshot: first });
      first = false;
      listener.next(snapshot.docs.map((token) => enrollmentTokenFromDoc(token.id, token.data())));
    },
    listener.error,
  );
}
