// Callable `rotateAgentKey`: a new key for an agent; the old one stops working at once. Rotating a
// revoked agent gives it a working key again (the way back from a revocation). Its silence while
// revoked is never alerted (silence.ts `afterRevocationLifted`): an agent overdue by now goes offline
// quietly, one that is not keeps the deadline it would have had; `changedAt` tells the fleet summary
// (it counts revoked agents). A plain rotation leaves the deadline alone: the next report sets it.
import { agentRefInputSchema, paths, type RotateAgentKeyResult } from '@vigil/schema';
import { FieldValue, Timestamp, type DocumentSnapshot, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { firestore } from '../firebase/admin.js';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { requireManager } from '../auth/membership.js';
import { parseInput } from '../validation/parse-input.js';
import { afterRevocationLifted } from '../alerts/silence.js';
import { silenceFacts } from '../alerts/silence-facts.js';
import { readLiveBoundTokens } from '../enrollment/bound-token.js';
import { issueKey } from './issue-key.js';

export async function rotateAgentKey(request: CallableRequest<unknown>): Promise<RotateAgentKeyResult> {
  const caller = requireSignedIn(request);
  const input = parseInput(agentRefInputSchema, request.data);
  const db = firestore();

  return db.runTransaction(async (tx) => {
    await requireManager(db, input.workspaceId, caller.uid, tx);
    const agentRef = db.doc(paths.agent(input.workspaceId, input.agentId));
    const agent = await tx.get(agentRef);
    if (!agent.exists) throw new HttpsError('not-found', 'This agent does not exist.');
    const oldKey = await readCurrentKey(db, tx, agent);
    // An unused install command of createAgent's (bound-token.ts) would re-key the agent behind this key's back.
    const boundTokens = await readLiveBoundTokens(db, tx, input.workspaceId, input.agentId);
    // For the audit entry's retention (read before the writes, as transactions require).
    const workspace = await tx.get(db.doc(paths.workspace(input.workspaceId)));

    const issued = writeRotation(db, tx, input.workspaceId, agent, oldKey);
    for (const token of boundTokens)
      tx.update(token.ref, { revokedAt: FieldValue.serverTimestamp(), revokedBy: { uid: caller.uid, email: caller.email } });
    const name: unknown = agent.get('name');
    auditInTransaction(tx, input.workspaceId, {
      actor: userActor(caller),
      action: 'agent.key_rotated',
      target: { type: 'agent', id: input.agentId, ...(typeof name === 'string' ? { name } : {}) },
      before: { keyPrefix: (agent.get('keyPrefix') as unknown) ?? null, revoked: agent.get('revokedAt') != null },
      after: { keyPrefix: issued.keyPrefix, revoked: false },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
    return { agentId: input.agentId, key: issued.key, keyPrefix: issued.keyPrefix, installCommand: issued.installCommand };
  });
}

/** The agent's current key document, read inside `tx` before any write (a transaction reads first). */
export async function readCurrentKey(db: Firestore, tx: Transaction, agent: DocumentSnapshot): Promise<DocumentSnapshot | undefined> {
  const keyId = agent.get('keyId') as unknown;
  return typeof keyId === 'string' ? tx.get(db.doc(paths.agentKey(keyId))) : undefined;
}

/**
 * A rotation's writes, in `tx`: a new key, the old one (`oldKey`, from readCurrentKey) revoked, the
 * agent pointed at the new key with any revocation lifted. Also how enrollAgent re-keys a machine
 * it knows (with `agentFields`). Returns what the caller sees once.
 */
export function writeRotation(
  db: Firestore,
  tx: Transaction,
  workspaceId: string,
  agent: DocumentSnapshot,
  oldKey: DocumentSnapshot | undefined,
  /** More agent fields to set in the same write (one write per document and commit). */
  agentFields: Record<string, unknown> = {},
) {
  const issued = issueKey(db, tx, workspaceId, agent.id);
  if (oldKey?.exists) tx.update(oldKey.ref, { revokedAt: FieldValue.serverTimestamp() });
  // A key rotation the agent was carrying out (key-rotation.ts) ends here: its pending key, which
  // ingest accepts only while the agent names it, stops working with the old one.
  tx.update(agent.ref, {
    ...agentFields,
    keyId: issued.keyId,
    keyPrefix: issued.keyPrefix,
    revokedAt: null,
    pendingKeyId: null,
    keyRotation: null,
    ...liftedRevocation(agent),
  });
  return issued;
}

/** The agent fields a rotation that lifts a revocation changes besides the key; none for a plain rotation. */
function liftedRevocation(agent: DocumentSnapshot) {
  const facts = silenceFacts(agent);
  if (!facts.revoked) return {};
  const lifted = afterRevocationLifted(facts, Date.now());
  return {
    ...(lifted.goesOffline ? { status: 'offline' } : {}),
    offlineAt: lifted.offlineAtMs === null ? null : Timestamp.fromMillis(lifted.offlineAtMs),
    changedAt: FieldValue.serverTimestamp(),
  };
}
