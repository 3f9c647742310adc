// A workspace's enrollment tokens, live: owners and admins read them (firestore.rules); functions
// write them. A listener, so a token's uses and last use move on the page as hosts enroll. The
// list is short (a token per fleet or rollout), newest first, at most ENROLLMENT_TOKENS_SHOWN; the
// page says when older ones are left out.
import { collection, limit, onSnapshot, orderBy, query, type Firestore, type Unsubscribe } from 'firebase/firestore';
import { paths } from '@vigil/schema/constants';
import { enrollmentTokenFromDoc, type EnrollmentTokenView } from '../model/enrollment-token';
import type { Listener } from './agents';
import { countQueryRead } from './read-counter';

/** The newest tokens the page lists; older ones have expired long ago in any real use. */
export const ENROLLMENT_TOKENS_SHOWN = 100;

export interface EnrollmentTokenList {
  /** The newest ENROLLMENT_TOKENS_SHOWN tokens, newest first. */
  tokens: EnrollmentTokenView[];
  /** Whether older tokens exist that the list leaves out. */
  more: boolean;
}

/** The newest tokens, live. It asks for one more than it shows to know whether older ones are left out. */
export function watchEnrollmentTokens(db: Firestore, workspaceId: string, listener: Listener<EnrollmentTokenList>): Unsubscribe {
  let first = true;
  return onSnapshot(
    query(collection(db, paths.enrollmentTokens(workspaceId)), orderBy('createdAt', 'desc'), limit(ENROLLMENT_TOKENS_SHOWN + 1)),
    (snapshot) => {
      countQueryRead(first ? snapshot.size : snapshot.docChanges().length, { firstSnapshot: first });
      first = false;
      const shown = snapshot.docs.slice(0, ENROLLMENT_TOKENS_SHOWN);
      listener.next({ tokens: shown.map((token) => enrollmentTokenFromDoc(token.id, token.data())), more: snapshot.size > ENROLLMENT_TOKENS_SHOWN });
    },
    listener.error,
  );
}
