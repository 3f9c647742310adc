// Callable `createAgent`: an owner or admin enrolls a host. The key is returned this once; only
// the SHA-256 of its secret is stored (agentKeys/{keyId}). A workspace holds at most its agent limit
// (agent-cap.ts), counted by an aggregation query in the same transaction (new-agent.ts, shared with
// enrollAgent): it costs one read per 1,000 agents and reads no agent document.
import { createAgentInputSchema, paths, type CreateAgentResult } from '@vigil/schema';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { firestore } from '../firebase/admin.js';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { requireManager } from '../auth/membership.js';
import { parseInput } from '../validation/parse-input.js';
import { issueKey } from './issue-key.js';
import { newAgentFields, requireAgentRoom } from './new-agent.js';

export async function createAgent(request: CallableRequest<unknown>): Promise<CreateAgentResult> {
  const caller = requireSignedIn(request);
  const input = parseInput(createAgentInputSchema, request.data);
  const db = firestore();

  return db.runTransaction(async (tx) => {
    await requireManager(db, input.workspaceId, caller.uid, tx);
    const workspace = await tx.get(db.doc(paths.workspace(input.workspaceId)));
    if (!workspace.exists) throw new HttpsError('not-found', 'This workspace does not exist.');
    await requireAgentRoom(db, tx, input.workspaceId, workspace);
    const agentRef = db.collection(paths.agents(input.workspaceId)).doc();
    const issued = issueKey(db, tx, input.workspaceId, agentRef.id);
    tx.create(
      agentRef,
      newAgentFields(workspace, {
        name: input.name,
        description: input.description,
        createdBy: caller.uid,
        keyId: issued.keyId,
        keyPrefix: issued.keyPrefix,
      }),
    );
    auditInTransaction(tx, input.workspaceId, {
      actor: userActor(caller),
      action: 'agent.created',
      target: { type: 'agent', id: agentRef.id, name: input.name },
      after: { name: input.name, keyPrefix: issued.keyPrefix },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
    return { agentId: agentRef.id, key: issued.key, keyPrefix: issued.keyPrefix, installCommand: issued.installCommand };
  });
}
