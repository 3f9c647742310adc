// The reads every membership callable makes inside its transaction: a member's role, the owners (for
// the at-least-one-owner rule) and the workspace. Refusals from team-policy.ts become HttpsErrors here.
import { paths, roleSchema, type Role } from '@vigil/schema';
import type { DocumentSnapshot, Firestore, Transaction } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import type { Refusal } from './team-policy.js';

export interface MemberRead {
  role: Role | undefined;
  email: string | null;
  snapshot: DocumentSnapshot;
}

export async function readMember(db: Firestore, tx: Transaction, workspaceId: string, uid: string): Promise<MemberRead> {
  const snapshot = await tx.get(db.doc(paths.member(workspaceId, uid)));
  const role = roleSchema.safeParse(snapshot.get('role'));
  const email: unknown = snapshot.get('email');
  return { role: snapshot.exists && role.success ? role.data : undefined, email: typeof email === 'string' ? email : null, snapshot };
}

/**
 * How many owners the workspace has. The owner documents are read (not counted by an aggregation), so
 * the transaction holds them: two owners demoting each other at once conflict, one retries, sees one
 * owner left and is refused. A workspace has few owners.
 */
export async function countOwners(db: Firestore, tx: Transaction, workspaceId: string): Promise<number> {
  const owners = await tx.get(db.collection(paths.members(workspaceId)).where('role', '==', 'owner'));
  return owners.size;
}

export async function readWorkspace(db: Firestore, tx: Transaction, workspaceId: string): Promise<DocumentSnapshot> {
  const workspace = await tx.get(db.doc(paths.workspace(workspaceId)));
  if (!workspace.exists) throw new HttpsError('not-found', 'This workspace does not exist.');
  return workspace;
}

export function throwIfRefused(refusal: Refusal | null): void {
  if (refusal) throw new HttpsError(refusal.code, refusal.message);
}

/** The workspace's name for emails and audit targets ('' when missing). */
export function workspaceName(workspace: DocumentSnapshot): string {
  const name: unknown = workspace.get('name');
  return typeof name === 'string' ? name : '';
}
