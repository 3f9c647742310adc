// An agent document as silence.ts judges it: the one place its fields are read for that (the offline
// detector, the offlineAt backfill, rotateAgentKey lifting a revocation).
import { Timestamp, type DocumentSnapshot } from 'firebase-admin/firestore';
import type { DeadlineFacts } from './silence.js';

const millisOf = (value: unknown): number | null => (value instanceof Timestamp ? value.toMillis() : null);

export function silenceFacts(agent: DocumentSnapshot): DeadlineFacts {
  return {
    status: agent.get('status'),
    revoked: agent.get('revokedAt') != null,
    lastSeenAtMs: millisOf(agent.get('lastSeenAt')),
    intervalSeconds: agent.get('intervalSeconds'),
    announcedIntervalSeconds: agent.get('announcedIntervalSeconds'),
    offlineAtMs: millisOf(agent.get('offlineAt')),
  };
}
