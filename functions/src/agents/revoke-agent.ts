// Callable `revokeAgent`: the agent's key stops working on its next report, and the enrollment
// token of its install command, if still unused, enrolls nothing (bound-token.ts). The agent and its
// history stay, so the host's past remains visible; rotateAgentKey brings it back. Its silence
// deadline goes (offlineAt null): a revoked agent is never called offline, and the offline detector
// never reads it. `changedAt` tells the fleet summary (it counts revoked agents).
import { agentRefInputSchema, paths } from '@vigil/schema';
import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { firestore } from '../firebase/admin.js';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { requireManager } from '../auth/membership.js';
import { parseInput } from '../validation/parse-input.js';
import { readLiveBoundTokens } from '../enrollment/bound-token.js';

export async function revokeAgent(request: CallableRequest<unknown>): Promise<{ agentId: string; revoked: true }> {
  const caller = requireSignedIn(request);
  const input = parseInput(agentRefInputSchema, request.data);
  const db = firestore();

  await db.runTransaction(async (tx) => {
    await requireManager(db, input.workspaceId, caller.uid, tx);
    const agentRef = db.doc(paths.agent(input.workspaceId, input.agentId));
    const agent = await tx.get(agentRef);
    if (!agent.exists) throw new HttpsError('not-found', 'This agent does not exist.');
    const keyId = agent.get('keyId') as unknown;
    const keyRef = typeof keyId === 'string' ? db.doc(paths.agentKey(keyId)) : undefined;
    const key = keyRef ? await tx.get(keyRef) : undefined;
    // Its install command's token, if not used yet, dies with it (enrollment/bound-token.ts).
    const boundTokens = await readLiveBoundTokens(db, tx, input.workspaceId, input.agentId);
    // For the audit entry's retention (read before the writes, as transactions require).
    const workspace = await tx.get(db.doc(paths.workspace(input.workspaceId)));
    const now = FieldValue.serverTimestamp();
    if (keyRef && key?.exists) tx.update(keyRef, { revokedAt: now });
    for (const token of boundTokens) tx.update(token.ref, { revokedAt: now, revokedBy: { uid: caller.uid, email: caller.email } });
    tx.update(agentRef, { revokedAt: now, offlineAt: null, changedAt: now });
    const name: unknown = agent.get('name');
    auditInTransaction(tx, input.workspaceId, {
      actor: userActor(caller),
      action: 'agent.revoked',
      target: { type: 'agent', id: input.agentId, ...(typeof name === 'string' ? { name } : {}) },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
  });
  return { agentId: input.agentId, revoked: true };
}
