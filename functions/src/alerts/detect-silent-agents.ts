// Scheduled every 5 minutes: an online agent silent for longer than silence.ts allows (3 of the
// intervals it was last told, plus a grace) becomes `offline`, with an agent_offline event (which the
// email trigger sends).
//
// It reads only the agents that are overdue: ingest stores each agent's silence deadline
// (`offlineAt`, silence.ts `silenceDeadlineMs`) on every report, and this queries the collection
// group `agents` where `offlineAt <= now`, by offlineAt, a page at a time, never the online fleet.
// Each candidate is settled in its own transaction that re-reads it, and silence.ts stays the judge
// (dueDeadlineOutcome): a report that arrived meanwhile moved its deadline (skipped); a revoked or
// never-seen one is not watched, so its deadline is cleared and the query never finds it again (its
// silence is what revoking asked for); one whose judged interval grew gets the later deadline; a
// silent one goes offline with its deadline cleared, `changedAt` (the fleet summary's cue) and its
// event. The event id names the silence (agent and last-seen time, events/make-event.ts), so a
// retried run cannot raise it twice.
//
// A run stops after RUN_BUDGET_MS and the next one goes on: every settled agent leaves the query, so
// the query is its own cursor. Agent documents older than `offlineAt` get theirs from the one-off
// backfill first (silence-backfill.ts).
import { labelPairs, paths } from '@vigil/schema';
import { FieldValue, Timestamp, type DocumentReference, type Firestore, type QueryDocumentSnapshot } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { firestore } from '../firebase/admin.js';
import { agentOfflineEvent } from '../events/make-event.js';
import { expiresAt } from './retention.js';
import { backfillSilenceDeadlines } from './silence-backfill.js';
import { silenceFacts } from './silence-facts.js';
import { dueDeadlineOutcome, judgedIntervalSeconds, missedIntervals, type DueDeadlineOutcome } from './silence.js';

/** Overdue agents read per query page. */
export const DEADLINE_PAGE_SIZE = 300;
/** Transactions in flight at once: a fleet-wide outage settles in minutes, not hours. */
const SETTLE_CONCURRENCY = 10;
/** Within the schedule's default 60 s timeout; what is left is settled by the next run. */
const RUN_BUDGET_MS = 45_000;
/** The backfill's share of a run while it is not done. */
const BACKFILL_BUDGET_MS = 15_000;

type Settled = DueDeadlineOutcome['action'];

async function settle(db: Firestore, ref: DocumentReference, nowMs: number): Promise<Settled> {
  const workspaceId = ref.parent.parent?.id;
  if (!workspaceId) return 'not-due';
  return db.runTransaction(async (tx) => {
    const agent = await tx.get(ref);
    if (!agent.exists) return 'not-due';
    const facts = silenceFacts(agent);
    const outcome = dueDeadlineOutcome(facts, nowMs);
    if (outcome.action === 'clear') tx.update(ref, { offlineAt: null });
    if (outcome.action === 'reschedule') tx.update(ref, { offlineAt: Timestamp.fromMillis(outcome.offlineAtMs) });
    if (outcome.action === 'offline' && facts.lastSeenAtMs !== null) {
      const seen = facts.lastSeenAtMs;
      tx.update(ref, { status: 'offline', offlineAt: null, changedAt: FieldValue.serverTimestamp() });
      const made = agentOfflineEvent(
        {
          agentId: ref.id,
          agentName: String(agent.get('name') ?? ref.id),
          hostname: (agent.get('host.hostname') as string | undefined) ?? null,
          // The labels it has now, read in this transaction: what it was labelled when it fell silent.
          labelPairs: labelPairs(agent.get('labels')),
          expireAt: expiresAt(nowMs, agent.get('retentionDays')),
          lastSeenMs: seen,
          // When it became overdue, not when this run noticed (up to one schedule period later).
          overdueAtMs: outcome.overdueAtMs,
          missedIntervals: Math.floor(missedIntervals(seen, judgedIntervalSeconds(facts), nowMs)),
        },
        FieldValue.serverTimestamp(),
      );
      tx.create(db.doc(paths.event(workspaceId, made.id)), made.document);
    }
    return outcome.action;
  });
}

export async function detectSilentAgents(nowMs = Date.now()): Promise<{ checked: number; markedOffline: number }> {
  const db = firestore();
  const startedAt = Date.now();
  const backfill = await backfillSilenceDeadlines(db, startedAt + BACKFILL_BUDGET_MS);

  const due = db.collectionGroup('agents').where('offlineAt', '<=', Timestamp.fromMillis(nowMs)).orderBy('offlineAt').limit(DEADLINE_PAGE_SIZE);
  const counts: Record<Settled | 'failed', number> = { offline: 0, clear: 0, reschedule: 0, 'not-due': 0, failed: 0 };
  let checked = 0;
  let after: QueryDocumentSnapshot | undefined;
  let finished = false;
  while (Date.now() < startedAt + RUN_BUDGET_MS) {
    const page = await (after ? due.startAfter(after) : due).get();
    checked += page.size;
    for (let start = 0; start < page.docs.length; start += SETTLE_CONCURRENCY) {
      const chunk = page.docs.slice(start, start + SETTLE_CONCURRENCY);
      const settled = await Promise.allSettled(chunk.map((candidate) => settle(db, candidate.ref, nowMs)));
      settled.forEach((result, index) => {
        if (result.status === 'fulfilled') counts[result.value] += 1;
        else {
          // Left due: the next run tries it again.
          counts.failed += 1;
          logger.warn('silent agent not settled', { agent: chunk[index]!.ref.path, error: String(result.reason) });
        }
      });
    }
    after = page.docs.at(-1);
    if (page.size < DEADLINE_PAGE_SIZE) {
      finished = true;
      break;
    }
  }
  logger.info('silent agents checked', { checked, ...counts, finished, backfill });
  return { checked, markedOffline: counts.offline };
}
