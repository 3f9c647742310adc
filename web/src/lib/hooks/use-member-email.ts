'use client';

import useSWR from 'swr';
import { withData } from '../firebase/lazy';

/** Who acknowledged something: one member read per person, shared by every mention. */
export function useMemberEmail(workspaceId: string, uid: string | null) {
  return useSWR(uid ? (['member-email', workspaceId, uid] as const) : null, ([, ws, id]) =>
    withData((data, db) => data.fetchMemberEmail(db, ws, id)),
  );
}
