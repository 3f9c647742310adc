import { MANAGING_ROLES, paths, roleSchema, type Role } from '@vigil/schema';
import type { Firestore, Transaction } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';

/** True for roles that may manage agents and settings. */
export function canManage(role: Role | undefined): boolean {
  return role !== undefined && MANAGING_ROLES.includes(role);
}

/**
 * The caller's role in a workspace, refusing with permission-denied unless it is owner or admin.
 * A non-member gets the same answer as a viewer, so workspace ids cannot be probed.
 */
export async function requireManager(db: Firestore, workspaceId: string, uid: string, tx?: Transaction): Promise<Role> {
  const ref = db.doc(paths.member(workspaceId, uid));
  const member = tx ? await tx.get(ref) : await ref.get();
  const role = roleSchema.safeParse(member.get('role'));
  if (!member.exists || !role.success || !canManage(role.data)) {
    throw new HttpsError('permission-denied', 'Only owners and admins of this workspace can manage its agents.');
  }
  return role.data;
}
