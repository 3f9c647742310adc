// Callable `rotateAgentKey` ("Rotate key" in the dashboard): for a key that was lost or may have
// leaked, and the way back from a revocation. The agent's key stops working at once, and no new key
// is made here: the reply is an install command carrying an enrollment token bound to the agent
// (enrollment/bound-token.ts: one use, 24 h; install.sh `--token … --force-enroll`, or `vigil-agent
// enroll` behind a relay), whose enrollment on the host issues the new key (enrollAgent re-keys the
// bound agent), so no command a person copies carries a long-lived secret. Until then the agent has
// no key (`keyId: null`) and its reports are refused. Not to be confused with `requestKeyRotation`
// (key-rotation-request.ts): the agent rotates its own key at its next report, nobody runs anything,
// and the current key works until the new one is used. Rotating a revoked agent lifts the revocation
// now: its silence while revoked is never alerted (silence.ts `afterRevocationLifted`): an agent
// overdue by now goes offline quietly, one that is not keeps the deadline it would have had, so a
// host that never re-enrolls is called offline; `changedAt` tells the fleet summary (it counts
// revoked agents). A plain rotation leaves the deadline alone: the next report sets it. The agent's
// earlier unused bound tokens are revoked with its key, so only the newest command enrolls.
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
import { newBoundToken, readLiveBoundTokens, writeBoundToken } from '../enrollment/bound-token.js';
import { issueKey } from './issue-key.js';

export async function rotateAgentKey(request: CallableRequest<unknown>): Promise<RotateAgentKeyResult> {
  const caller = requireSignedIn(request);
  const input = parseInput(agentRefInputSchema, request.data);
  // Made before the transaction: a misconfigured deploy (DASHBOARD_URL) fails here, writing nothing.
  const bound = newBoundToken(Date.now(), 'rekey');
  const db = firestore();

  await db.runTransaction(async (tx) => {
    await requireManager(db, input.workspaceId, caller.uid, tx);
    const agentRef = db.doc(paths.agent(input.workspaceId, input.agentId));
    const agent = await tx.get(agentRef);
    if (!agent.exists) throw new HttpsError('not-found', 'This agent does not exist.');
    const oldKey = await readCurrentKey(db, tx, agent);
    // An unused install command of an earlier createAgent or rotation would re-key the agent too.
    const boundTokens = await readLiveBoundTokens(db, tx, input.workspaceId, input.agentId);
    // For the audit entry's retention (read before the writes, as transactions require).
    const workspace = await tx.get(db.doc(paths.workspace(input.workspaceId)));

    writeKeyWithdrawal(tx, agent, oldKey);
    const revokedBy = { uid: caller.uid, email: caller.email };
    for (const token of boundTokens) tx.update(token.ref, { revokedAt: FieldValue.serverTimestamp(), revokedBy });
    const name: unknown = agent.get('name');
    const agentName = typeof name === 'string' ? name : input.agentId;
    writeBoundToken(db, tx, bound, { workspaceId: input.workspaceId, agentId: input.agentId, name: agentName, createdBy: revokedBy }, 'rekey');
    auditInTransaction(tx, input.workspaceId, {
      actor: userActor(caller),
      action: 'agent.key_rotated',
      target: { type: 'agent', id: input.agentId, ...(typeof name === 'string' ? { name } : {}) },
      before: { keyPrefix: (agent.get('keyPrefix') as unknown) ?? null, revoked: agent.get('revokedAt') != null },
      // No key yet: the host's enrollment with this token issues it (agent.enrolled names its prefix).
      after: { keyPrefix: null, revoked: false, tokenId: bound.generated.tokenId, expiresAt: bound.expiresAt.toDate().toISOString() },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
  });
  return {
    agentId: input.agentId,
    tokenId: bound.generated.tokenId,
    token: bound.generated.token,
    expiresAt: bound.expiresAt.toDate().toISOString(),
    installCommand: bound.installCommand,
  };
}

/** The agent's current key document, read inside `tx` before any write (a transaction reads first). */
export async function readCurrentKey(db: Firestore, tx: Transaction, agent: DocumentSnapshot): Promise<DocumentSnapshot | undefined> {
  const keyId = agent.get('keyId') as unknown;
  return typeof keyId === 'string' ? tx.get(db.doc(paths.agentKey(keyId))) : undefined;
}

/**
 * A re-key's writes, in `tx`: a new key, the old one (`oldKey`, from readCurrentKey) revoked, the
 * agent pointed at the new key with any revocation lifted. How enrollAgent re-keys an agent it
 * knows: the machine's, or a bound token's (after createAgent or rotateAgentKey), with
 * `agentFields`. Returns what the caller sees once.
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
  revokeKey(tx, oldKey);
  tx.update(agent.ref, { ...agentFields, ...keyChange(agent, { keyId: issued.keyId, keyPrefix: issued.keyPrefix }) });
  return issued;
}

/**
 * rotateAgentKey's writes, in `tx`: the old key (`oldKey`, from readCurrentKey) revoked and no new
 * one: the agent has no key (`keyId: null`, as createAgent makes it) until its host enrolls with the
 * bound token, whose enrollAgent gives it one (writeRotation). Any revocation is lifted.
 */
function writeKeyWithdrawal(tx: Transaction, agent: DocumentSnapshot, oldKey: DocumentSnapshot | undefined): void {
  revokeKey(tx, oldKey);
  tx.update(agent.ref, keyChange(agent, { keyId: null, keyPrefix: null }));
}

/** Revokes a key document; one revoked already (a revoked agent's) keeps the time it was revoked. */
function revokeKey(tx: Transaction, key: DocumentSnapshot | undefined): void {
  if (key?.exists && key.get('revokedAt') == null) tx.update(key.ref, { revokedAt: FieldValue.serverTimestamp() });
}

/**
 * The agent fields of a key change: the key it names now, no revocation, and no key rotation the
 * agent was carrying out (key-rotation.ts): its pending key, which ingest accepts only while the
 * agent names it, stops working with the old one.
 */
function keyChange(agent: DocumentSnapshot, key: { keyId: string | null; keyPrefix: string | null }) {
  return { ...key, revokedAt: null, pendingKeyId: null, keyRotation: null, ...liftedRevocation(agent) };
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
