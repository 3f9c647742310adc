// Callable `fetchAgentKey`: the agent, told `rotateKey: true` by ingest, fetches its new key. No
// Firebase sign-in: the agent's current key travels in X-Vigil-Key as for ingestReport, the body is
// `{data: {}}`, CORS off. In one transaction: the key document exists, passes agentKeySchema, is not
// revoked and the secret's hash matches (constant time), and its agent exists, is not revoked and
// has it as its current key, else `unauthenticated` with ingest's one message; a rotation is
// pending, else `failed-precondition`; no key was issued in the last KEY_ROTATION.minFetchSeconds,
// else `resource-exhausted` (key-rotation.ts `fetchRefusal`). Then a new key (issue-key.ts) becomes
// the agent's `pendingKeyId`, replacing (and revoking) any earlier pending key: the agent may have
// crashed before storing that one, and a fresh key is safer than handing the same secret out twice
// (it is never stored in the clear). The old key keeps working until ingest's first report made
// with the new one promotes it. Audited as agent.key_rotated (actor system, the reason). The key is
// in the reply body only, never in a log line.
import { AGENT_KEY_HEADER, agentKeySchema, paths, parseApiKey, type FetchAgentKeyResult } from '@vigil/schema';
import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { firestore } from '../firebase/admin.js';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp } from '../audit/audit-entry.js';
import { secretMatches } from './api-keys.js';
import { issueKey } from './issue-key.js';
import { fetchRefusal, pendingRotation } from './key-rotation.js';

/** Node lower-cases header names; the header's one home is `@vigil/schema/constants`. */
const KEY_HEADER = AGENT_KEY_HEADER.toLowerCase();

function refuseKey(): never {
  // Ingest's one answer for missing, malformed, unknown and revoked keys.
  throw new HttpsError('unauthenticated', 'The agent key is missing, unknown or revoked.');
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export async function fetchAgentKey(request: CallableRequest<unknown>): Promise<FetchAgentKeyResult> {
  const presented = parseApiKey(headerValue(request.rawRequest.headers[KEY_HEADER]));
  if (!presented) refuseKey();
  const db = firestore();

  return db.runTransaction(async (tx) => {
    const keyDoc = await tx.get(db.doc(paths.agentKey(presented.keyId)));
    const key = agentKeySchema.safeParse(keyDoc.data());
    if (!key.success || key.data.revokedAt !== null || !secretMatches(presented.secret, key.data.hash)) refuseKey();
    const { workspaceId, agentId } = key.data;
    const agent = await tx.get(db.doc(paths.agent(workspaceId, agentId)));
    if (!agent.exists || agent.get('revokedAt') != null) refuseKey();
    const keys = {
      keyId: agent.get('keyId') as string | null,
      pendingKeyId: agent.get('pendingKeyId') as unknown,
      keyRotation: agent.get('keyRotation') as unknown,
    };
    // Any key of another agent's, or a key this agent no longer holds, is a dead key to the caller.
    if (keys.keyId !== presented.keyId && keys.pendingKeyId !== presented.keyId) refuseKey();
    const refusal = fetchRefusal(keys, presented.keyId, Date.now());
    if (refusal) {
      throw new HttpsError(
        refusal.code,
        refusal.message,
        refusal.retryAfterSeconds === undefined ? undefined : { retryAfterSeconds: refusal.retryAfterSeconds },
      );
    }
    // Reads first (a transaction reads before it writes): the earlier pending key, revoked below.
    const earlier = typeof keys.pendingKeyId === 'string' ? await tx.get(db.doc(paths.agentKey(keys.pendingKeyId))) : undefined;
    const workspace = await tx.get(db.doc(paths.workspace(workspaceId)));

    const issued = issueKey(db, tx, workspaceId, agentId);
    if (earlier?.exists) tx.update(earlier.ref, { revokedAt: FieldValue.serverTimestamp() });
    tx.update(agent.ref, { pendingKeyId: issued.keyId, 'keyRotation.fetchedAt': FieldValue.serverTimestamp() });
    const name: unknown = agent.get('name');
    auditInTransaction(tx, workspaceId, {
      actor: { type: 'system' },
      action: 'agent.key_rotated',
      target: { type: 'agent', id: agentId, ...(typeof name === 'string' ? { name } : {}) },
      before: { keyPrefix: (agent.get('keyPrefix') as unknown) ?? null },
      after: { rotation: 'issued', reason: pendingRotation(keys.keyRotation)?.reason ?? null, pendingKeyPrefix: issued.keyPrefix },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
    return { key: issued.key, keyPrefix: issued.keyPrefix };
  });
}
