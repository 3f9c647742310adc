// Callable `createWorkspace`: a signed-in user creates another workspace and becomes its owner (the
// personal one comes from bootstrapWorkspace). One transaction writes the workspace (default
// settings), the owner's member document and the audit entry; a user creates at most
// WORKSPACES_PER_USER, counted by an aggregation over the workspaces they created.
import { createWorkspaceInputSchema, paths, WORKSPACES_PER_USER, type CreateWorkspaceResult } from '@vigil/schema';
import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { firestore } from '../firebase/admin.js';
import { parseInput } from '../validation/parse-input.js';
import { newPersonalWorkspace } from '../workspaces/personal-workspace.js';

export async function createWorkspace(request: CallableRequest<unknown>): Promise<CreateWorkspaceResult> {
  const caller = requireSignedIn(request);
  const input = parseInput(createWorkspaceInputSchema, request.data);
  const db = firestore();

  return db.runTransaction(async (tx) => {
    const created = await tx.get(db.collection(paths.workspaces()).where('createdBy', '==', caller.uid).count());
    if (created.data().count >= WORKSPACES_PER_USER) {
      throw new HttpsError('resource-exhausted', `You have created ${WORKSPACES_PER_USER} workspaces, the most one person may. Delete one first.`, {
        limit: WORKSPACES_PER_USER,
      });
    }
    const ref = db.collection(paths.workspaces()).doc();
    // The same shape as a personal workspace (defaults unit-tested there), with the name asked for.
    const { workspace, owner } = newPersonalWorkspace({ uid: caller.uid, email: caller.email, now: FieldValue.serverTimestamp() });
    tx.create(ref, { ...workspace, name: input.name });
    tx.create(db.doc(paths.member(ref.id, caller.uid)), owner);
    auditInTransaction(tx, ref.id, {
      actor: userActor(caller),
      action: 'workspace.created',
      target: { type: 'workspace', id: ref.id, name: input.name },
      after: { name: input.name },
      ip: requestIp(request.rawRequest),
      retentionDays: undefined,
    });
    return { workspaceId: ref.id, role: 'owner' };
  });
}
