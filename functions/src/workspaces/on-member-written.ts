// Trigger on workspaces/{ws}/members/{uid}: mirrors the membership into users/{uid}.workspaces so
// the dashboard lists a user's workspaces with one read and rules need no collection-group query.
import { paths } from '@vigil/schema';
import { FieldValue } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import type { FirestoreEvent } from 'firebase-functions/v2/firestore';
import { firestore } from '../firebase/admin.js';
import { membershipMirror } from './membership-mirror.js';

export async function onMemberWritten(event: FirestoreEvent<unknown, { workspaceId: string; uid: string }>): Promise<void> {
  const { workspaceId, uid } = event.params;
  const db = firestore();
  const member = await db.doc(paths.member(workspaceId, uid)).get();
  const update = membershipMirror({ exists: member.exists, role: member.get('role') });
  const userRef = db.doc(paths.user(uid));
  if (update.kind === 'set') {
    await userRef.set({ workspaces: { [workspaceId]: update.role } }, { merge: true });
  } else {
    await userRef.set({ workspaces: { [workspaceId]: FieldValue.delete() } }, { merge: true });
  }
  logger.info('membership mirrored', { workspaceId, uid, update: update.kind });
}
