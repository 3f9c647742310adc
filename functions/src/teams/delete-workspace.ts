// Callable `deleteWorkspace`: an owner deletes a workspace, confirming by typing its name exactly.
//   1. Check the caller is an owner and the name matches (nothing is touched otherwise).
//   2. Delete the workspace's enrollment secrets (enrollmentSecrets/*, outside the workspace), so no
//      token of it enrolls another host. Revoke every agent (revokedAt, no silence deadline), then delete every agent key: a warm
//      ingest instance holds the key in its cache and never reads it again, but its conditional
//      write on the agent fails once the agent changed, and the agent it then reads is revoked, so
//      the next report of each host is refused whichever instance gets it.
//   3. One transaction re-checks 1 and deletes the workspace document and every member document:
//      every member loses access at once (the rules read the member document) and no more mail is
//      sent (recipients are read from the members); onMemberWritten drops it from each mirror.
//   4. recursiveDelete removes everything below: agents, reports, state, events, invitations, the
//      audit log (which goes with the workspace, so the deletion is recorded in the functions' log).
import { deleteWorkspaceInputSchema, paths, roleSchema } from '@vigil/schema';
import { FieldValue, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { deleteDocuments } from '../agents/delete-documents.js';
import { requestIp } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { firestore } from '../firebase/admin.js';
import { parseInput } from '../validation/parse-input.js';

const NOT_FOUND = 5;

/** More members than a transaction can delete with the workspace (500 writes). */
const MAX_MEMBERS = 450;

async function checkOwnerAndName(db: Firestore, workspaceId: string, uid: string, confirmName: string, tx?: Transaction) {
  const memberRef = db.doc(paths.member(workspaceId, uid));
  const workspaceRef = db.doc(paths.workspace(workspaceId));
  const [member, workspace] = tx
    ? await Promise.all([tx.get(memberRef), tx.get(workspaceRef)])
    : await Promise.all([memberRef.get(), workspaceRef.get()]);
  const role = roleSchema.safeParse(member.get('role'));
  if (!member.exists || !role.success || role.data !== 'owner')
    throw new HttpsError('permission-denied', 'Only an owner of this workspace can delete it.');
  if (!workspace.exists) throw new HttpsError('not-found', 'This workspace does not exist.');
  const name: unknown = workspace.get('name');
  if (typeof name !== 'string' || confirmName !== name) {
    throw new HttpsError('failed-precondition', 'To delete this workspace, type its name exactly as it is shown.');
  }
  return name;
}

export async function deleteWorkspace(request: CallableRequest<unknown>): Promise<{ workspaceId: string; deleted: true }> {
  const caller = requireSignedIn(request);
  const input = parseInput(deleteWorkspaceInputSchema, request.data);
  const db = firestore();

  await checkOwnerAndName(db, input.workspaceId, caller.uid, input.confirmName);

  // No enrollment from here on: a token of the workspace could otherwise create an agent and its
  // key while the rest is deleted (an enrollAgent transaction that read a secret deleted here fails
  // its commit and, retried, finds none).
  const secrets = await db.collection(paths.enrollmentSecrets()).where('workspaceId', '==', input.workspaceId).get();
  const closed = await deleteDocuments(
    db,
    secrets.docs.map((secret) => secret.ref),
  );
  if (closed.failed > 0) {
    throw new HttpsError('aborted', `${closed.failed} enrollment tokens could not be revoked; nothing was deleted. Try again.`);
  }

  const agents = await db.collection(paths.agents(input.workspaceId)).select().get();
  const writer = db.bulkWriter();
  let notRevoked = 0;
  for (const agent of agents.docs) {
    writer.update(agent.ref, { revokedAt: FieldValue.serverTimestamp(), offlineAt: null }).catch((error: { code?: unknown }) => {
      // An agent deleted meanwhile needs no revoking.
      if (error.code !== NOT_FOUND) notRevoked += 1;
    });
  }
  await writer.close();
  if (notRevoked > 0) {
    throw new HttpsError('aborted', `${notRevoked} agents could not be revoked; nothing was deleted. Try again.`);
  }

  const keys = await db.collection(paths.agentKeys()).where('workspaceId', '==', input.workspaceId).get();
  const revoked = await deleteDocuments(
    db,
    keys.docs.map((key) => key.ref),
  );
  if (revoked.failed > 0) {
    throw new HttpsError('aborted', `${revoked.failed} agent keys could not be revoked; nothing else was deleted. Try again.`);
  }

  const name = await db.runTransaction(async (tx) => {
    const checked = await checkOwnerAndName(db, input.workspaceId, caller.uid, input.confirmName, tx);
    const members = await tx.get(db.collection(paths.members(input.workspaceId)).limit(MAX_MEMBERS + 1));
    if (members.size > MAX_MEMBERS)
      throw new HttpsError('failed-precondition', `Remove members until ${MAX_MEMBERS} are left, then delete the workspace.`);
    for (const member of members.docs) tx.delete(member.ref);
    tx.delete(db.doc(paths.workspace(input.workspaceId)));
    return checked;
  });

  await db.recursiveDelete(db.doc(paths.workspace(input.workspaceId)));
  // The workspace's own audit log is gone with it: this line is the record (no name: it is user text).
  logger.info('workspace deleted', {
    workspaceId: input.workspaceId,
    byUid: caller.uid,
    ip: requestIp(request.rawRequest),
    agentKeys: revoked.deleted,
    enrollmentTokens: closed.deleted,
    nameLength: name.length,
  });
  return { workspaceId: input.workspaceId, deleted: true };
}
