// Scheduled hourly: the retention sweep. Firestore's TTL policies (firestore.indexes.json, on
// `expireAt`) delete expired reports, events, emailHours, digests and audit entries on their own, typically within
// a day; this sweep deletes what has expired and TTL has not taken yet (and everything under the
// emulator, which has no TTL), and does what TTL cannot. In order, within one time budget:
//   1. expired: per collection, the collection group where `expireAt <= now`, by expireAt;
//   2. lowered retention: each workspace marked `retentionCutoffPending` (onWorkspaceWritten) has
//      its reports (collection group by workspaceId, receivedAt), events, emailHours and digests
//      older than its current retention deleted, until every document written before the lowering
//      is past the cut-off; then the mark is cleared;
//   3. the one-off backfill of documents from before expireAt (retention-backfill.ts).
// Each query matches only what is still to delete, so it is its own cursor across runs: a run cut
// short by the budget (or a crash) leaves the rest for the next run, an hour later. No document is
// kept for being an agent's newest report: state/current (never deleted) holds the latest, and
// ingest's checkpoints store a recent report for every agent that reports.
import { paths } from '@vigil/schema';
import { FieldValue, Timestamp, type Firestore, type Query } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { firestore } from '../firebase/admin.js';
import { backfillExpiry } from './retention-backfill.js';
import {
  EXPIRING_COLLECTIONS,
  loweredRetentionSettled,
  retentionCutoff,
  retentionDays,
  RETENTION_COLLECTIONS,
  SWEEP_BUDGET_MS,
  SWEEP_PAGE_SIZE,
  type RetentionCollection,
} from './retention.js';
import { deleteAllMatching, retentionWriter, sweepBudget, type DeletedCounts, type RetentionWriter, type SweepBudget } from './retention-writer.js';

export interface PruneOptions {
  pageSize?: number;
  /** Wall-clock time after which no new page starts (SWEEP_BUDGET_MS). */
  budgetMs?: number;
  /** Pages after which the run stops, as if its time were up: lets a test cut a run short. */
  maxPages?: number;
}

export interface PruneResult extends DeletedCounts {
  /** Deletes and updates that failed (logged); the next run finds those documents again. */
  failed: number;
  /** Workspaces with a lowered retention visited, and those whose mark was cleared. */
  loweredWorkspaces: number;
  loweredCleared: number;
  /** Documents the one-off backfill visited (deleted or given expireAt). */
  backfilled: number;
  /** False when the budget ran out: the next run carries on. */
  complete: boolean;
}

interface Pass {
  writer: RetentionWriter;
  budget: SweepBudget;
  pageSize: number;
}

async function deleteExpired(db: Firestore, nowMs: number, pass: Pass): Promise<boolean> {
  const now = Timestamp.fromMillis(nowMs);
  for (const collection of EXPIRING_COLLECTIONS) {
    const expired = db.collectionGroup(collection).where('expireAt', '<=', now).orderBy('expireAt');
    if (!(await deleteAllMatching(expired, 'expireAt', collection, pass))) return false;
  }
  return true;
}

/** The queries of a workspace's documents written before `cutoff`: what a lowered retention deletes. */
function olderThan(
  db: Firestore,
  workspaceId: string,
  cutoff: Timestamp,
): Array<{ query: Query; writtenAt: string; collection: RetentionCollection }> {
  const collections = {
    // Reports live under each agent: the collection group, by the workspaceId ingest stamps (and the backfill adds).
    reports: db.collectionGroup('reports').where('workspaceId', '==', workspaceId),
    events: db.collection(paths.events(workspaceId)),
    emailHours: db.collection(paths.emailHours(workspaceId)),
    digests: db.collection(paths.digests(workspaceId)),
  };
  return RETENTION_COLLECTIONS.map(({ collection, writtenAt }) => ({
    collection,
    writtenAt,
    query: collections[collection].where(writtenAt, '<', cutoff).orderBy(writtenAt),
  }));
}

async function applyLoweredRetention(db: Firestore, nowMs: number, pass: Pass): Promise<{ visited: number; cleared: number; complete: boolean }> {
  const marked = await db
    .collection(paths.workspaces())
    .where('retentionCutoffPending', '>', Timestamp.fromMillis(0))
    .select('settings.retentionDays', 'retentionCutoffPending')
    .get();
  let cleared = 0;
  for (const workspace of marked.docs) {
    const days = retentionDays(workspace.get('settings.retentionDays'));
    const pendingSince = workspace.get('retentionCutoffPending') as Timestamp;
    const cutoff = Timestamp.fromDate(retentionCutoff(nowMs, days));
    for (const { query, writtenAt, collection } of olderThan(db, workspace.id, cutoff)) {
      if (!(await deleteAllMatching(query, writtenAt, collection, pass))) return { visited: marked.size, cleared, complete: false };
    }
    if (!loweredRetentionSettled(nowMs, days, pendingSince.toMillis())) continue;
    // Cleared only once this workspace's deletes have landed, and only if nobody lowered it again meanwhile.
    await pass.writer.flush();
    const done = await db.runTransaction(async (tx) => {
      const current = await tx.get(workspace.ref);
      const mark: unknown = current.get('retentionCutoffPending');
      if (!(mark instanceof Timestamp) || !mark.isEqual(pendingSince)) return false;
      tx.update(workspace.ref, { retentionCutoffPending: FieldValue.delete() });
      return true;
    });
    if (done) cleared += 1;
  }
  return { visited: marked.size, cleared, complete: true };
}

export async function pruneOldData(nowMs = Date.now(), options: PruneOptions = {}): Promise<PruneResult> {
  const db = firestore();
  const pass: Pass = {
    writer: retentionWriter(db),
    budget: sweepBudget({ budgetMs: options.budgetMs ?? SWEEP_BUDGET_MS, maxPages: options.maxPages ?? Number.POSITIVE_INFINITY }),
    pageSize: options.pageSize ?? SWEEP_PAGE_SIZE,
  };
  let lowered = { visited: 0, cleared: 0, complete: false };
  let backfill = { visited: 0, done: false };
  let writes: Awaited<ReturnType<RetentionWriter['close']>>;
  try {
    // Each pass waits for the previous one's deletes to land: its queries could find those documents
    // again, and a second delete of one is billed (and counted) again.
    if (await deleteExpired(db, nowMs, pass)) {
      await pass.writer.flush();
      lowered = await applyLoweredRetention(db, nowMs, pass);
      await pass.writer.flush();
      if (lowered.complete) backfill = await backfillExpiry(db, nowMs, pass);
    }
  } finally {
    // Whatever happened, wait for what was queued, so its outcome is counted and logged.
    writes = await pass.writer.close();
  }
  const result: PruneResult = {
    ...writes.deleted,
    failed: writes.failed,
    loweredWorkspaces: lowered.visited,
    loweredCleared: lowered.cleared,
    backfilled: backfill.visited,
    complete: lowered.complete && backfill.done,
  };
  if (writes.failed > 0) logger.error('retention writes failed', { failed: writes.failed, firstError: writes.firstError });
  logger.info('retention applied', { ...result });
  return result;
}
