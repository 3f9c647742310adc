// Trigger on workspaces/{ws}/members/{uid}: mirrors the membership into users/{uid}.workspaces so
// the dashboard lists a user's workspaces with one read and rules need no collection-group query.
import { paths } from '@vigil/schema';
import { FieldPath, FieldValue } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import type { FirestoreEvent } from 'firebase-functions/v2/firestore';
import { firestore } from '../firebase/admin.js';
import { membershipMirror } from './membership-mirror.js';

const NOT_FOUND = 5;

export async function onMemberWritten(event: FirestoreEvent<unknown, { workspaceId: string; uid: string }>): Promise<void> {
  const { workspaceId, uid } = event.params;
  const db = firestore();
  const member = await db.doc(paths.member(workspaceId, uid)).get();
  const update = membershipMirror({ exists: member.exists, role: member.get('role') });
  const userRef = db.doc(paths.user(uid));
  if (update.kind === 'set') {
    await userRef.set({ workspaces: { [workspaceId]: update.role } }, { merge: true });
  } else {
    // update(), not set(): a removal never creates users/{uid}; after deleteAccount there is none to
    // update (the member documents go first, so this trigger can run after the user is gone).
    await userRef.update(new FieldPath('workspaces', workspaceId), FieldValue.delete()).catch((error: { code?: unknown }) => {
      if (error.code !== NOT_FOUND) throw error;
    });
  }
  logger.info('membership mirrored', { workspaceId, uid, update: update.kind });
}
