// Callable `bootstrapWorkspace`: the dashboard calls it after every sign-in. The first call gives the
// user a workspace of their own as its owner; later calls return it. One transaction on users/{uid}
// makes two racing first sign-ins (two tabs) create one workspace, not two.
import { paths, roleSchema, type BootstrapWorkspaceResult } from '@vigil/schema';
import { FieldValue } from 'firebase-admin/firestore';
import type { CallableRequest } from 'firebase-functions/v2/https';
import { firestore } from '../firebase/admin.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { markActive } from '../teams/mark-active.js';
import { newPersonalWorkspace } from './personal-workspace.js';

export async function bootstrapWorkspace(request: CallableRequest<unknown>): Promise<BootstrapWorkspaceResult> {
  const caller = requireSignedIn(request);
  const db = firestore();
  const userRef = db.doc(paths.user(caller.uid));

  const result = await db.runTransaction(async (tx): Promise<BootstrapWorkspaceResult> => {
    const user = await tx.get(userRef);
    const existingId = user.get('personalWorkspaceId') as unknown;
    if (typeof existingId === 'string' && existingId) {
      const member = await tx.get(db.doc(paths.member(existingId, caller.uid)));
      const role = roleSchema.safeParse(member.get('role'));
      if (member.exists && role.success) return { workspaceId: existingId, role: role.data, created: false };
    }

    const workspaceRef = db.collection(paths.workspaces()).doc();
    const { workspace, owner } = newPersonalWorkspace({
      uid: caller.uid,
      email: caller.email,
      now: FieldValue.serverTimestamp(),
    });
    tx.create(workspaceRef, workspace);
    tx.create(db.doc(paths.member(workspaceRef.id, caller.uid)), owner);
    tx.set(userRef, { email: caller.email, personalWorkspaceId: workspaceRef.id }, { merge: true });
    return { workspaceId: workspaceRef.id, role: 'owner', created: true };
  });
  // After the transaction: a sign-in is the members page's "last active" (teams/mark-active.ts).
  await markActive(db, caller.uid);
  return result;
}
