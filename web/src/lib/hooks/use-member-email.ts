'use client';

import useSWR from 'swr';
import { withData } from '../firebase/lazy';
import { swrKeys } from './swr-keys';

/** Who acknowledged something: one member read per person, shared by every mention. */
export function useMemberEmail(workspaceId: string, uid: string | null) {
  return useSWR(uid ? swrKeys.memberEmail(workspaceId, uid) : null, ([, ws, id]) => withData((data, db) => data.fetchMemberEmail(db, ws, id)));
}
