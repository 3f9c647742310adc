// Callable `createAgent`: an owner or admin enrolls a host. The key is returned this once; only
// the SHA-256 of its secret is stored (agentKeys/{keyId}). A workspace holds at most its agent limit
// (agent-cap.ts), counted by an aggregation query in the same transaction: it costs one read per
// 1,000 agents and reads no agent document.
import { createAgentInputSchema, DEFAULT_WORKSPACE_SETTINGS, paths, type CreateAgentResult } from '@vigil/schema';
import { FieldValue } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { maxAgentsPerWorkspace } from '../params.js';
import { firestore } from '../firebase/admin.js';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { requireManager } from '../auth/membership.js';
import { parseInput } from '../validation/parse-input.js';
import { agentCapRefusal, agentLimit } from './agent-cap.js';
import { issueKey } from './issue-key.js';

export async function createAgent(request: CallableRequest<unknown>): Promise<CreateAgentResult> {
  const caller = requireSignedIn(request);
  const input = parseInput(createAgentInputSchema, request.data);
  const db = firestore();

  return db.runTransaction(async (tx) => {
    await requireManager(db, input.workspaceId, caller.uid, tx);
    const workspace = await tx.get(db.doc(paths.workspace(input.workspaceId)));
    if (!workspace.exists) throw new HttpsError('not-found', 'This workspace does not exist.');
    const { limit, ignoredOverride } = agentLimit(maxAgentsPerWorkspace.value(), workspace.get('maxAgents'));
    if (ignoredOverride !== undefined) {
      logger.warn('workspace maxAgents is not a whole number of 0 or more; MAX_AGENTS_PER_WORKSPACE applies', {
        workspaceId: input.workspaceId,
        maxAgents: String(ignoredOverride),
      });
    }
    const agents = await tx.get(db.collection(paths.agents(input.workspaceId)).count());
    const refusal = agentCapRefusal(agents.data().count, limit);
    if (refusal) throw refusal;
    const interval = workspace.get('settings.reportingIntervalSeconds');
    const threshold = workspace.get('settings.failedTestThreshold');
    const retention = workspace.get('settings.retentionDays');
    const agentRef = db.collection(paths.agents(input.workspaceId)).doc();
    const issued = issueKey(db, tx, input.workspaceId, agentRef.id);
    tx.create(agentRef, {
      name: input.name,
      description: input.description,
      status: 'never-seen',
      createdAt: FieldValue.serverTimestamp(),
      createdBy: caller.uid,
      intervalSeconds: typeof interval === 'number' ? interval : DEFAULT_WORKSPACE_SETTINGS.reportingIntervalSeconds,
      failedTestThreshold: typeof threshold === 'number' ? threshold : DEFAULT_WORKSPACE_SETTINGS.failedTestThreshold,
      retentionDays: typeof retention === 'number' ? retention : DEFAULT_WORKSPACE_SETTINGS.retentionDays,
      keyId: issued.keyId,
      keyPrefix: issued.keyPrefix,
      revokedAt: null,
      lastSeenAt: null,
      // Never seen: no silence deadline until its first report (ingest sets it).
      offlineAt: null,
      lastReportId: null,
      lastCollectedAt: null,
      agentVersion: null,
      host: null,
      summary: { solutions: [], testsPassed: 0, testsFailed: 0 },
      // A new agent is something the fleet summary counts.
      changedAt: FieldValue.serverTimestamp(),
    });
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
