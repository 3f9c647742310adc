// Callable `createAgent`: an owner or admin adds a host from the dashboard. No key is made here and
// none is returned: the agent is created "never seen" without a key, with an enrollment token bound
// to it (enrollment/bound-token.ts: one use, 24 h), and the install command carries that token.
// The host's enrollment (enrollAgent) issues the agent's key, which exists only in the enrollment's
// reply and, on the host, in its key file. A workspace holds at most its agent limit (agent-cap.ts),
// counted by an aggregation query in the same transaction (new-agent.ts, shared with enrollAgent):
// it costs one read per 1,000 agents and reads no agent document.
import { createAgentInputSchema, paths, type CreateAgentResult } from '@vigil/schema';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { firestore } from '../firebase/admin.js';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { requireManager } from '../auth/membership.js';
import { parseInput } from '../validation/parse-input.js';
import { newBoundToken, writeBoundToken } from '../enrollment/bound-token.js';
import { newAgentFields, requireAgentRoom } from './new-agent.js';

export async function createAgent(request: CallableRequest<unknown>): Promise<CreateAgentResult> {
  const caller = requireSignedIn(request);
  const input = parseInput(createAgentInputSchema, request.data);
  const bound = newBoundToken(Date.now());
  const db = firestore();

  const agentId = await db.runTransaction(async (tx) => {
    await requireManager(db, input.workspaceId, caller.uid, tx);
    const workspace = await tx.get(db.doc(paths.workspace(input.workspaceId)));
    if (!workspace.exists) throw new HttpsError('not-found', 'This workspace does not exist.');
    await requireAgentRoom(db, tx, input.workspaceId, workspace);
    const agentRef = db.collection(paths.agents(input.workspaceId)).doc();
    // No key until the host enrolls with the bound token.
    tx.create(
      agentRef,
      newAgentFields(workspace, { name: input.name, description: input.description, createdBy: caller.uid, keyId: null, keyPrefix: null }),
    );
    writeBoundToken(db, tx, bound, {
      workspaceId: input.workspaceId,
      agentId: agentRef.id,
      name: input.name,
      createdBy: { uid: caller.uid, email: caller.email },
    });
    auditInTransaction(tx, input.workspaceId, {
      actor: userActor(caller),
      action: 'agent.created',
      target: { type: 'agent', id: agentRef.id, name: input.name },
      after: { name: input.name, tokenId: bound.generated.tokenId, expiresAt: bound.expiresAt.toDate().toISOString() },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
    return agentRef.id;
  });
  return {
    agentId,
    tokenId: bound.generated.tokenId,
    token: bound.generated.token,
    expiresAt: bound.expiresAt.toDate().toISOString(),
    installCommand: bound.installCommand,
  };
}
