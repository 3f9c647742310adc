// Scheduled every 5 minutes: an online agent silent for longer than silence.ts allows (3 of the
// intervals it was last told, plus a grace) becomes `offline`, with an agent_offline event (which the
// email trigger sends). Revoked agents are skipped: their silence is what revoking asked for. Each
// agent is settled in its own transaction that re-reads it, so a report, a revocation or a deletion
// arriving meanwhile wins. The event id names the silence (agent and last-seen time,
// events/make-event.ts), so a retried run cannot raise it twice.
import { paths } from '@vigil/schema';
import { FieldValue, Timestamp, type DocumentSnapshot } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { firestore } from '../firebase/admin.js';
import { agentOfflineEvent } from '../events/make-event.js';
import { isSilent, judgedIntervalSeconds, missedIntervals, silentAfterMs, type SilenceFacts } from './silence.js';

function silenceFacts(agent: DocumentSnapshot): SilenceFacts & { status: unknown; revoked: boolean } {
  const lastSeenAt = agent.get('lastSeenAt') as unknown;
  return {
    status: agent.get('status'),
    revoked: agent.get('revokedAt') != null,
    lastSeenAtMs: lastSeenAt instanceof Timestamp ? lastSeenAt.toMillis() : null,
    intervalSeconds: agent.get('intervalSeconds'),
    announcedIntervalSeconds: agent.get('announcedIntervalSeconds'),
  };
}

export async function detectSilentAgents(nowMs = Date.now()): Promise<{ checked: number; markedOffline: number }> {
  const db = firestore();
  const online = await db.collectionGroup('agents').where('status', '==', 'online').get();
  let markedOffline = 0;
  for (const candidate of online.docs) {
    if (!isSilent(silenceFacts(candidate), nowMs)) continue;
    const workspaceId = candidate.ref.parent.parent?.id;
    if (!workspaceId) continue;
    const changed = await db.runTransaction(async (tx) => {
      const agent = await tx.get(candidate.ref);
      if (!agent.exists) return false;
      const facts = silenceFacts(agent);
      if (!isSilent(facts, nowMs) || facts.lastSeenAtMs === null) return false;
      const seen = facts.lastSeenAtMs;
      tx.update(candidate.ref, { status: 'offline' });
      const made = agentOfflineEvent(
        {
          agentId: candidate.id,
          agentName: String(agent.get('name') ?? candidate.id),
          hostname: (agent.get('host.hostname') as string | undefined) ?? null,
          lastSeenMs: seen,
          // When it became overdue, not when this run noticed (up to one schedule period later).
          overdueAtMs: silentAfterMs({ ...facts, lastSeenAtMs: seen }),
          missedIntervals: Math.floor(missedIntervals(seen, judgedIntervalSeconds(facts), nowMs)),
        },
        FieldValue.serverTimestamp(),
      );
      tx.create(db.doc(paths.event(workspaceId, made.id)), made.document);
      return true;
    });
    if (changed) markedOffline += 1;
  }
  logger.info('silent agents checked', { checked: online.size, markedOffline });
  return { checked: online.size, markedOffline };
}
