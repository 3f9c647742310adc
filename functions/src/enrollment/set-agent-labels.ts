// Callable `setAgentLabels`: an owner or admin replaces an agent's labels (an empty map removes them
// all), audited with before and after. The same labels as nothing changes nothing and records
// nothing. Labels are not something the fleet summary counts, so `changedAt` stays.
import { paths, setAgentLabelsInputSchema, type SetAgentLabelsResult } from '@vigil/schema';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { isDeepStrictEqual } from 'node:util';
import { firestore } from '../firebase/admin.js';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { requireManager } from '../auth/membership.js';
import { parseInput } from '../validation/parse-input.js';
import { storedLabels } from './enrollment-policy.js';

export async function setAgentLabels(request: CallableRequest<unknown>): Promise<SetAgentLabelsResult> {
  const caller = requireSignedIn(request);
  const input = parseInput(setAgentLabelsInputSchema, request.data);
  const db = firestore();

  await db.runTransaction(async (tx) => {
    await requireManager(db, input.workspaceId, caller.uid, tx);
    const agentRef = db.doc(paths.agent(input.workspaceId, input.agentId));
    const agent = await tx.get(agentRef);
    if (!agent.exists) throw new HttpsError('not-found', 'This agent does not exist.');
    const before = storedLabels(agent.get('labels'));
    if (isDeepStrictEqual(before, input.labels)) return;
    // For the audit entry's retention (read before the writes, as transactions require).
    const workspace = await tx.get(db.doc(paths.workspace(input.workspaceId)));
    // update() with a map replaces the whole field: keys left out are removed.
    tx.update(agentRef, { labels: input.labels });
    const name: unknown = agent.get('name');
    auditInTransaction(tx, input.workspaceId, {
      actor: userActor(caller),
      action: 'agent.labels_changed',
      target: { type: 'agent', id: input.agentId, ...(typeof name === 'string' ? { name } : {}) },
      before: { labels: before },
      after: { labels: input.labels },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
  });
  return { agentId: input.agentId, labels: input.labels };
}
