// Callable `deleteAccount`: a user deletes their own account, once they own nothing alone. A workspace
// where they are the last owner must first be handed over (another member made owner) or deleted
// (deleteWorkspace); until then the call is refused and nothing changes. Then each membership goes
// (audited as member.left in that workspace, in one transaction each, re-checking the owners), then
// users/{uid}, then the Firebase Auth account. The workspaces come from the users/{uid} mirror and are
// each checked against the member document, the proof of membership.
import { documentIdProblem, paths, roleSchema } from '@vigil/schema';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { auth, firestore } from '../firebase/admin.js';
import { leaveRefusal } from './team-policy.js';
import { countOwners, readMember } from './team-reads.js';

export async function deleteAccount(request: CallableRequest<unknown>): Promise<{ uid: string; deleted: true }> {
  const caller = requireSignedIn(request);
  const db = firestore();
  const user = await db.doc(paths.user(caller.uid)).get();
  const mirror: unknown = user.get('workspaces');
  const listed = mirror && typeof mirror === 'object' ? Object.keys(mirror).filter((id) => documentIdProblem(id) === undefined) : [];
  const personal: unknown = user.get('personalWorkspaceId');
  const workspaceIds = [...new Set([...listed, ...(typeof personal === 'string' && documentIdProblem(personal) === undefined ? [personal] : [])])];

  // First every check, so a refusal changes nothing.
  const memberships: string[] = [];
  let soleOwner = 0;
  for (const workspaceId of workspaceIds) {
    const member = await db.doc(paths.member(workspaceId, caller.uid)).get();
    const role = roleSchema.safeParse(member.get('role'));
    if (!member.exists || !role.success) continue;
    memberships.push(workspaceId);
    if (role.data === 'owner') {
      const owners = await db.collection(paths.members(workspaceId)).where('role', '==', 'owner').count().get();
      if (owners.data().count <= 1) soleOwner += 1;
    }
  }
  if (soleOwner > 0) {
    throw new HttpsError(
      'failed-precondition',
      `You are the last owner of ${soleOwner} workspace${soleOwner === 1 ? '' : 's'}: make another member owner, or delete ${soleOwner === 1 ? 'it' : 'them'}, first.`,
      { workspaces: soleOwner },
    );
  }

  for (const workspaceId of memberships) {
    await db.runTransaction(async (tx) => {
      const me = await readMember(db, tx, workspaceId, caller.uid);
      if (me.role === undefined) return;
      const owners = await countOwners(db, tx, workspaceId);
      const refusal = leaveRefusal(me.role, owners);
      if (refusal) throw new HttpsError(refusal.code, refusal.message);
      const workspace = await tx.get(db.doc(paths.workspace(workspaceId)));
      tx.delete(me.snapshot.ref);
      auditInTransaction(tx, workspaceId, {
        actor: userActor(caller),
        action: 'member.left',
        target: { type: 'member', id: caller.uid, name: caller.email ?? caller.uid },
        before: { role: me.role },
        after: { accountDeleted: true },
        ip: requestIp(request.rawRequest),
        retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
      });
    });
  }
  await db.doc(paths.user(caller.uid)).delete();
  await auth().deleteUser(caller.uid);
  return { uid: caller.uid, deleted: true };
}
