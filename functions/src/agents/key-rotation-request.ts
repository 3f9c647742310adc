// Callable `requestKeyRotation {workspaceId, agentId}` (owners and admins): asks the agent to rotate
// its own key (key-rotation.ts). Nothing changes hands here: the agent hears `rotateKey: true` in
// its next ingest reply and fetches the new key itself, so no key reaches the dashboard. A rotation
// already pending is asked again (its fetch, if any, stays as it is). A revoked agent cannot report,
// so it is refused: rotateAgentKey (the old key dead at once, a re-enrollment command) brings it back.
// An agent with no key (never enrolled, or rotated and not yet re-enrolled) is refused too.
import { agentRefInputSchema, paths, type RequestKeyRotationResult } from '@vigil/schema';
import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { firestore } from '../firebase/admin.js';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { requireManager } from '../auth/membership.js';
import { parseInput } from '../validation/parse-input.js';
import { pendingRotation } from './key-rotation.js';

export async function requestKeyRotation(request: CallableRequest<unknown>): Promise<RequestKeyRotationResult> {
  const caller = requireSignedIn(request);
  const input = parseInput(agentRefInputSchema, request.data);
  const db = firestore();

  return db.runTransaction(async (tx) => {
    await requireManager(db, input.workspaceId, caller.uid, tx);
    const agent = await tx.get(db.doc(paths.agent(input.workspaceId, input.agentId)));
    if (!agent.exists) throw new HttpsError('not-found', 'This agent does not exist.');
    if (agent.get('revokedAt') != null) {
      throw new HttpsError('failed-precondition', 'This agent is revoked and cannot report; rotate its key from the dashboard to give it a new one.');
    }
    // No key (created but never enrolled, or after rotateAgentKey): nothing to rotate, and the agent
    // cannot report to hear the request; its install command gives it a key.
    if (typeof agent.get('keyId') !== 'string') {
      throw new HttpsError('failed-precondition', 'This agent has no key yet: it gets one when its host runs its install command.');
    }
    // For the audit entry's retention (read before the writes, as transactions require).
    const workspace = await tx.get(db.doc(paths.workspace(input.workspaceId)));
    const pending = pendingRotation(agent.get('keyRotation'));
    if (!pending) {
      tx.update(agent.ref, {
        keyRotation: {
          reason: 'dashboard',
          requestedAt: FieldValue.serverTimestamp(),
          requestedBy: { uid: caller.uid, email: caller.email },
          fetchedAt: null,
        },
      });
    }
    const name: unknown = agent.get('name');
    auditInTransaction(tx, input.workspaceId, {
      actor: userActor(caller),
      action: 'agent.key_rotated',
      target: { type: 'agent', id: input.agentId, ...(typeof name === 'string' ? { name } : {}) },
      before: { keyPrefix: (agent.get('keyPrefix') as unknown) ?? null },
      after: { rotation: 'requested', reason: 'dashboard' },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
    return { agentId: input.agentId, requested: true };
  });
}
