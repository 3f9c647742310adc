// Triggers (onDocumentWrittenWithAuthContext) that audit what clients write directly under the rules.
// Who wrote it: the uid the rules pin into the document when there is one (acknowledgedBy, a
// member's own document); otherwise the event's auth context, believed only when it names a member
// of the workspace; a service account or the system is `system`; anything else is recorded as
// `unknown` rather than guessed. The entry's id is the event's id, so a redelivery adds nothing.
import { paths, type AuditActor } from '@vigil/schema';
import type { Change as SnapshotChange, DocumentSnapshot, FirestoreAuthEvent } from 'firebase-functions/v2/firestore';
import { firestore } from '../firebase/admin.js';
import { auditOnce } from './audit-writer.js';
import { acknowledgementChanges, notificationChanges, testMarkChanges, workspaceChanges, type Change } from './client-write-changes.js';

type WriteEvent<P> = FirestoreAuthEvent<SnapshotChange<DocumentSnapshot> | undefined, P>;

function dataOf(snapshot: DocumentSnapshot | undefined): Record<string, unknown> | undefined {
  return snapshot?.exists ? snapshot.data() : undefined;
}

async function memberEmail(workspaceId: string, uid: string): Promise<{ exists: boolean; email: string | null }> {
  const member = await firestore().doc(paths.member(workspaceId, uid)).get();
  const email: unknown = member.get('email');
  return { exists: member.exists, email: typeof email === 'string' ? email : null };
}

/** The actor of one change (see the top of this file). */
export async function actorOf(workspaceId: string, change: Change, authType: string | undefined, authId: string | undefined): Promise<AuditActor> {
  if (change.pinnedActor) {
    const member = await memberEmail(workspaceId, change.pinnedActor);
    return { type: 'user', uid: change.pinnedActor, email: member.email };
  }
  if (authType === 'system' || authType === 'service_account') return { type: 'system' };
  if (typeof authId === 'string' && authId.length > 0 && authId.length <= 128 && !authId.includes('/') && authType !== 'unauthenticated') {
    const member = await memberEmail(workspaceId, authId);
    if (member.exists) return { type: 'user', uid: authId, email: member.email };
  }
  return { type: 'unknown' };
}

async function record(workspaceId: string, eventId: string, changes: Change[], authType: string | undefined, authId: string | undefined) {
  if (changes.length === 0) return;
  const workspace = await firestore().doc(paths.workspace(workspaceId)).get();
  const retentionDays: unknown = workspace.get('settings.auditRetentionDays');
  await Promise.all(
    changes.map(async (change, index) => {
      const { pinnedActor: _pinned, ...entry } = change;
      const actor = await actorOf(workspaceId, change, authType, authId);
      // One event can carry two changes (a rename and new settings): one entry each.
      await auditOnce(workspaceId, changes.length === 1 ? eventId : `${eventId}-${index}`, { ...entry, actor, retentionDays });
    }),
  );
}

export async function auditWorkspaceWrite(event: WriteEvent<{ workspaceId: string }>): Promise<void> {
  const { workspaceId } = event.params;
  await record(
    workspaceId,
    event.id,
    workspaceChanges(workspaceId, dataOf(event.data?.before), dataOf(event.data?.after)),
    event.authType,
    event.authId,
  );
}

export async function auditMemberWrite(event: WriteEvent<{ workspaceId: string; uid: string }>): Promise<void> {
  const { workspaceId, uid } = event.params;
  await record(workspaceId, event.id, notificationChanges(uid, dataOf(event.data?.before), dataOf(event.data?.after)), event.authType, event.authId);
}

export async function auditEventWrite(event: WriteEvent<{ workspaceId: string; eventId: string }>): Promise<void> {
  const { workspaceId, eventId } = event.params;
  await record(
    workspaceId,
    event.id,
    acknowledgementChanges(eventId, dataOf(event.data?.before), dataOf(event.data?.after)),
    event.authType,
    event.authId,
  );
}

export async function auditTestMarkWrite(event: WriteEvent<{ workspaceId: string; agentId: string; ackId: string }>): Promise<void> {
  const { workspaceId, agentId, ackId } = event.params;
  await record(
    workspaceId,
    event.id,
    testMarkChanges(agentId, ackId, dataOf(event.data?.before), dataOf(event.data?.after)),
    event.authType,
    event.authId,
  );
}
