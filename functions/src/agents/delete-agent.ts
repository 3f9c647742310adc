// Callable `deleteAgent`: removes the agent, its keys, its state, its report history and its events.
//
// Safe against a report in flight. In order:
// 1. One transaction (with the membership check) deletes the current key and the agent document.
//    From then on ingest refuses the key (its agent write is conditional on the agent document),
//    the offline detector skips it, and a report trigger that finds no state finds no agent and
//    writes nothing (on-report-created.ts).
// 2. The subtree goes (state/current, reports, acks). A report trigger that had read the state
//    before this either committed before it (its events exist by step 3) or is retried by its
//    transaction, finds no state and no agent, and writes nothing. After this step nothing can
//    create an event of this agent.
// 3. Only now are the agent's events (and its older, rotated-out keys) swept, so none created by a
//    trigger in flight is left behind to be mailed (sendEventEmail sends nothing for a deleted event).
// Idempotent: for an agent already gone (a second click, a retry after a crash between the steps)
// steps 2 and 3 still run, so leftovers are swept, and the answer is the same. A delete that fails
// (after the BulkWriter's own retries) fails the call with `aborted`: calling it again finishes.
//
// The fleet summary: no agent document is left to carry a `changedAt`, so step 1 marks the workspace
// (`fleetChangedAt`, functions only) and the summarizeFleets schedule recomputes it.
import { agentRefInputSchema, paths } from '@vigil/schema';
import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { logger } from 'firebase-functions';
import { firestore } from '../firebase/admin.js';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { requireManager } from '../auth/membership.js';
import { parseInput } from '../validation/parse-input.js';
import { deleteDocuments } from './delete-documents.js';

export async function deleteAgent(request: CallableRequest<unknown>): Promise<{ agentId: string; deleted: true }> {
  const caller = requireSignedIn(request);
  const input = parseInput(agentRefInputSchema, request.data);
  const db = firestore();
  const agentRef = db.doc(paths.agent(input.workspaceId, input.agentId));

  const existed = await db.runTransaction(async (tx) => {
    await requireManager(db, input.workspaceId, caller.uid, tx);
    const workspaceRef = db.doc(paths.workspace(input.workspaceId));
    const [agent, workspace] = await Promise.all([tx.get(agentRef), tx.get(workspaceRef)]);
    if (!agent.exists) return false;
    const keyId = agent.get('keyId') as unknown;
    if (typeof keyId === 'string') tx.delete(db.doc(paths.agentKey(keyId)));
    tx.delete(agentRef);
    if (workspace.exists) tx.update(workspaceRef, { fleetChangedAt: FieldValue.serverTimestamp() });
    // Only the call that deleted the agent records it; a repeat that finds it gone sweeps silently.
    const name: unknown = agent.get('name');
    auditInTransaction(tx, input.workspaceId, {
      actor: userActor(caller),
      action: 'agent.deleted',
      target: { type: 'agent', id: input.agentId, ...(typeof name === 'string' ? { name } : {}) },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
    return true;
  });

  await db.recursiveDelete(agentRef);

  const [oldKeys, events] = await Promise.all([
    db.collection(paths.agentKeys()).where('workspaceId', '==', input.workspaceId).where('agentId', '==', input.agentId).get(),
    db.collection(paths.events(input.workspaceId)).where('agentId', '==', input.agentId).get(),
  ]);
  const swept = await deleteDocuments(
    db,
    [...oldKeys.docs, ...events.docs].map((doc) => doc.ref),
  );
  const facts = { workspaceId: input.workspaceId, agentId: input.agentId, existed, events: events.size, ...swept };
  if (swept.failed > 0) {
    logger.error('agent deletion left documents behind', facts);
    throw new HttpsError('aborted', `The agent was deleted, but ${swept.failed} of its events or old keys were not. Delete it again to finish.`);
  }
  logger.info('agent deleted', facts);
  return { agentId: input.agentId, deleted: true };
}
