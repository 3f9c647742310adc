// Scheduled every 5 minutes: an online agent silent for more than 3 of its intervals becomes
// `offline`, with an agent_offline event (which the email trigger sends). Each agent is settled in
// its own transaction that re-reads it, so a report arriving meanwhile wins. The event id names the
// silence (agent and last-seen time), so a retried run cannot raise it twice.
import { paths } from '@vigil/schema';
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { firestore } from '../shared/admin.js';
import { eventDocument } from './event-document.js';
import { isSilent, missedIntervals } from './silence.js';

function lastSeenMs(value: unknown): number | null {
  return value instanceof Timestamp ? value.toMillis() : null;
}

export async function detectSilentAgents(nowMs = Date.now()): Promise<{ checked: number; markedOffline: number }> {
  const db = firestore();
  const online = await db.collectionGroup('agents').where('status', '==', 'online').get();
  let markedOffline = 0;
  for (const candidate of online.docs) {
    const candidateSeen = lastSeenMs(candidate.get('lastSeenAt'));
    if (!isSilent({ status: 'online', lastSeenAtMs: candidateSeen, intervalSeconds: candidate.get('intervalSeconds') }, nowMs)) continue;
    const workspaceId = candidate.ref.parent.parent?.id;
    if (!workspaceId) continue;
    const changed = await db.runTransaction(async (tx) => {
      const agent = await tx.get(candidate.ref);
      const seen = lastSeenMs(agent.get('lastSeenAt'));
      const interval = agent.get('intervalSeconds');
      if (!agent.exists || !isSilent({ status: agent.get('status'), lastSeenAtMs: seen, intervalSeconds: interval }, nowMs)) return false;
      tx.update(candidate.ref, { status: 'offline' });
      const eventRef = db.doc(paths.event(workspaceId, `${candidate.id}_offline_${seen}`));
      tx.create(
        eventRef,
        eventDocument(
          {
            agentId: candidate.id,
            agentName: String(agent.get('name') ?? candidate.id),
            hostname: (agent.get('host.hostname') as string | undefined) ?? null,
            reportId: null,
            occurredAt: new Date(seen!).toISOString(),
          },
          {
            kind: 'agent_offline',
            solutionIds: [],
            details: {
              lastSeenAt: new Date(seen!).toISOString(),
              missedIntervals: Math.floor(missedIntervals(seen!, Number(interval) || 300, nowMs)),
            },
          },
          FieldValue.serverTimestamp(),
        ),
      );
      return true;
    });
    if (changed) markedOffline += 1;
  }
  logger.info('silent agents checked', { checked: online.size, markedOffline });
  return { checked: online.size, markedOffline };
}
