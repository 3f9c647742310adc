// Trigger on workspaces/{ws}: when a copied setting of an existing workspace changes (the
// reporting interval, the failed-test threshold, the retention, automatic key rotation's days), every agent of the workspace gets
// the new value (agents read their interval from the ingest reply; ingest and the trigger stamp
// expiries from the agent's retentionDays); a new workspace copies nothing (settingsToCopy). A raised interval also moves each online agent's silence deadline
// (offlineAt) out to what the larger interval allows, in the same write. A lowered retention marks
// the workspace `retentionCutoffPending`, so the retention sweep deletes what was stored with the
// longer expiry (alerts/prune-old-data.ts).
import { paths } from '@vigil/schema';
import { FieldValue, Timestamp, type DocumentSnapshot, type Firestore } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import type { Change, FirestoreEvent } from 'firebase-functions/v2/firestore';
import { firestore } from '../firebase/admin.js';
import { retentionLowered } from '../alerts/retention.js';
import { pushedDeadlineMs, settingsToCopy, thresholdChangeWrite, type AgentCopiedSettings } from './agent-settings.js';

const NOT_FOUND = 5;
const FAILED_PRECONDITION = 9;
const DEADLINE_FIELDS = ['status', 'revokedAt', 'lastSeenAt', 'offlineAt', 'announcedIntervalSeconds'] as const;

function millis(value: unknown): number | null {
  return value instanceof Timestamp ? value.toMillis() : null;
}

/** The write for one agent: the copied settings, and a later offlineAt when the raised interval moves it. */
function agentWrite(agent: DocumentSnapshot, change: AgentCopiedSettings): Record<string, unknown> {
  const copied = { ...change, ...thresholdChangeWrite(change) };
  if (change.intervalSeconds === undefined || !agent.exists) return copied;
  const pushed = pushedDeadlineMs(
    {
      status: agent.get('status'),
      revoked: agent.get('revokedAt') != null,
      lastSeenAtMs: millis(agent.get('lastSeenAt')),
      offlineAtMs: millis(agent.get('offlineAt')),
      announcedIntervalSeconds: agent.get('announcedIntervalSeconds'),
    },
    change.intervalSeconds,
  );
  return pushed === undefined ? copied : { ...copied, offlineAt: Timestamp.fromMillis(pushed) };
}

/**
 * An agent whose deadline moves is written only as it was read (its update time): ingest may have
 * stored a later deadline meanwhile, which an earlier one must not replace. If it changed, it is
 * read again and decided again in a transaction.
 */
async function rewriteInTransaction(db: Firestore, agent: DocumentSnapshot, change: AgentCopiedSettings): Promise<void> {
  await db.runTransaction(async (tx) => {
    const current = await tx.get(agent.ref);
    if (current.exists) tx.update(agent.ref, agentWrite(current, change));
  });
}

export async function onWorkspaceWritten(event: FirestoreEvent<Change<DocumentSnapshot> | undefined, { workspaceId: string }>): Promise<void> {
  const { workspaceId } = event.params;
  const db = firestore();
  // Read the workspace as it is now: a late or repeated event then writes the current values.
  const workspace = await db.doc(paths.workspace(workspaceId)).get();
  if (!workspace.exists) return;
  const before: unknown = event.data?.before.get('settings');
  const after: unknown = workspace.get('settings');
  const change = settingsToCopy({ created: !event.data?.before.exists, before, after });
  if (!change) return;
  const lowered = retentionLowered((before as { retentionDays?: unknown } | undefined)?.retentionDays, change.retentionDays);
  // Marked first: if copying to the agents fails halfway, the sweep still deletes what the shorter retention drops.
  // (This write fires this trigger again, which finds no settings change and stops.)
  if (lowered) await workspace.ref.update({ retentionCutoffPending: FieldValue.serverTimestamp() });

  const agentsQuery = db.collection(paths.agents(workspaceId));
  const agents = await (change.intervalSeconds === undefined ? agentsQuery.select() : agentsQuery.select(...DEADLINE_FIELDS)).get();
  const writer = db.bulkWriter();
  let failed = 0;
  let deadlinesMoved = 0;
  const retries: DocumentSnapshot[] = [];
  for (const agent of agents.docs) {
    const write = agentWrite(agent, change);
    if (write.offlineAt === undefined) {
      writer.update(agent.ref, write).catch((error: { code?: unknown }) => {
        // An agent deleted since the query has nothing to copy to.
        if (error.code !== NOT_FOUND) failed += 1;
      });
      continue;
    }
    deadlinesMoved += 1;
    writer.update(agent.ref, write, { lastUpdateTime: agent.updateTime }).catch((error: { code?: unknown }) => {
      if (error.code === FAILED_PRECONDITION) retries.push(agent);
      else if (error.code !== NOT_FOUND) failed += 1;
    });
  }
  await writer.close();
  for (const agent of retries) {
    await rewriteInTransaction(db, agent, change).catch(() => (failed += 1));
  }
  const facts = { workspaceId, agents: agents.size, deadlinesMoved, reread: retries.length, retentionLowered: lowered, ...change };
  if (failed > 0) {
    // Thrown, so the trigger's error reporting sees it; a retried event writes the current values again.
    logger.error('workspace settings not copied to every agent', { ...facts, failed });
    throw new Error(`onWorkspaceWritten: ${failed} of ${agents.size} agent writes failed`);
  }
  logger.info('workspace settings copied to agents', facts);
}
