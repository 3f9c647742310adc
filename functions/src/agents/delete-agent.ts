// Callable `deleteAgent`: removes the agent, its key, its state, its report history and its events.
// The key goes first, in a transaction with the membership check, so no report lands mid-delete.
import { agentRefInputSchema, paths } from '@vigil/schema';
import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { logger } from 'firebase-functions';
import { firestore } from '../shared/admin.js';
import { requireSignedIn } from '../shared/callable-auth.js';
import { requireManager } from '../shared/membership.js';
import { parseInput } from '../shared/validate.js';

export async function deleteAgent(request: CallableRequest<unknown>): Promise<{ agentId: string; deleted: true }> {
  const caller = requireSignedIn(request);
  const input = parseInput(agentRefInputSchema, request.data);
  const db = firestore();
  const agentRef = db.doc(paths.agent(input.workspaceId, input.agentId));

  await db.runTransaction(async (tx) => {
    await requireManager(db, input.workspaceId, caller.uid, tx);
    const agent = await tx.get(agentRef);
    if (!agent.exists) throw new HttpsError('not-found', 'This agent does not exist.');
    const keyId = agent.get('keyId') as unknown;
    if (typeof keyId === 'string') tx.delete(db.doc(paths.agentKey(keyId)));
    // Changing the agent document invalidates every ingest instance's cached view of it (their
    // writes are conditional on it), so no report lands while the subtree is being deleted.
    tx.update(agentRef, { revokedAt: FieldValue.serverTimestamp() });
    // Older, rotated-out keys of this agent are found by query below.
  });

  const oldKeys = await db
    .collection(paths.agentKeys())
    .where('workspaceId', '==', input.workspaceId)
    .where('agentId', '==', input.agentId)
    .get();
  const events = await db.collection(paths.events(input.workspaceId)).where('agentId', '==', input.agentId).get();
  const writer = db.bulkWriter();
  oldKeys.docs.forEach((doc) => writer.delete(doc.ref));
  events.docs.forEach((doc) => writer.delete(doc.ref));
  await writer.close();
  await db.recursiveDelete(agentRef);
  logger.info('agent deleted', { workspaceId: input.workspaceId, agentId: input.agentId, events: events.size });
  return { agentId: input.agentId, deleted: true };
}
