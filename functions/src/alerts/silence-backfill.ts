// One-off, run by the offline detector until it is done: agent documents written before `offlineAt`
// existed have no silence deadline, so the detector's `offlineAt <= now` query would never find an
// agent that fell silent before the upgrade (one that reports again gets its deadline from ingest).
// This pages through the online agents once (collection group, by document path), gives each that
// has no `offlineAt` field the deadline silence.ts computes from what it holds (deadlineOf: null for a
// revoked one), and then records itself done in system/silenceBackfill (functions only), so every
// later run costs that one read. It reads the online fleet once in all, a few pages per run, and
// resumes from the path it stopped at.
//
// Each page's writes go in one transaction that re-reads the agents without the field, so a report
// arriving meanwhile (ingest sets the deadline) wins and is not overwritten.
import { paths } from '@vigil/schema';
import { FieldPath, FieldValue, Timestamp, type DocumentSnapshot, type Firestore } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { deadlineOf } from './silence.js';
import { silenceFacts } from './silence-facts.js';

/** Agents read per page; a page's deadlines are written in one transaction (at most 500 writes). */
export const BACKFILL_PAGE_SIZE = 300;

export interface BackfillRun {
  /** Online agents read this run. */
  read: number;
  /** Deadlines written this run. */
  set: number;
  done: boolean;
}

const lacksDeadline = (agent: DocumentSnapshot) => agent.exists && agent.get('offlineAt') === undefined;

function deadlineField(agent: DocumentSnapshot): Timestamp | null {
  const { offlineAtMs: _ignored, ...facts } = silenceFacts(agent);
  const deadline = deadlineOf(facts);
  return deadline === null ? null : Timestamp.fromMillis(deadline);
}

/** Backfills pages until done or until `stopAtMs` (Date.now()); the next run resumes where this one stopped. */
export async function backfillSilenceDeadlines(db: Firestore, stopAtMs: number, pageSize = BACKFILL_PAGE_SIZE): Promise<BackfillRun> {
  const marker = db.doc(paths.silenceBackfill());
  const progress = await marker.get();
  if (progress.get('doneAt') != null) return { read: 0, set: 0, done: true };
  let cursor = progress.get('cursor') as unknown;
  const run: BackfillRun = { read: 0, set: 0, done: false };

  while (Date.now() < stopAtMs) {
    let query = db.collectionGroup('agents').where('status', '==', 'online').orderBy(FieldPath.documentId()).limit(pageSize);
    if (typeof cursor === 'string') query = query.startAfter(cursor);
    const page = await query.get();
    run.read += page.size;
    const missing = page.docs.filter(lacksDeadline).map((agent) => agent.ref);
    if (missing.length > 0) {
      run.set += await db.runTransaction(async (tx) => {
        const current = (await tx.getAll(...missing)).filter(lacksDeadline);
        current.forEach((agent) => tx.update(agent.ref, { offlineAt: deadlineField(agent) }));
        return current.length;
      });
    }
    const last = page.docs.at(-1);
    if (page.size < pageSize || !last) {
      await marker.set({ doneAt: FieldValue.serverTimestamp(), cursor: null });
      run.done = true;
      break;
    }
    cursor = last.ref.path;
    await marker.set({ cursor, doneAt: null });
  }
  if (run.read > 0) logger.info('silence deadlines backfilled', { ...run });
  return run;
}
