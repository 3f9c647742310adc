// The sweep's writes (pruneOldData), through one BulkWriter: every delete and update is counted when
// it lands or fails, so a failure is logged and returned, never lost in a `void`ed promise. And the
// run's budget (wall-clock time and, for tests, a page count), checked before each query page, so a
// run that is cut short stops cleanly and the next run carries on where this one stopped.
import type { DocumentReference, Firestore, Query, QueryDocumentSnapshot, UpdateData } from 'firebase-admin/firestore';
import type { RetentionCollection } from './retention.js';

export type DeletedCounts = Record<RetentionCollection, number>;

export interface RetentionWriter {
  delete(ref: DocumentReference, collection: RetentionCollection): void;
  update(ref: DocumentReference, data: UpdateData<Record<string, unknown>>): void;
  /** Waits until everything queued so far has landed or failed. */
  flush(): Promise<void>;
  /** Flushes and closes the writer; the counts of what landed and what failed. */
  close(): Promise<{ deleted: DeletedCounts; updated: number; failed: number; firstError?: string }>;
}

export function retentionWriter(db: Firestore): RetentionWriter {
  const writer = db.bulkWriter();
  const deleted: DeletedCounts = { reports: 0, events: 0, emailHours: 0, digests: 0, audit: 0 };
  let updated = 0;
  let failed = 0;
  let firstError: string | undefined;
  const fail = (error: unknown) => {
    failed += 1;
    // The code and message name the fault; a document path is data, and stays out of the log.
    firstError ??= error instanceof Error ? `${(error as { code?: unknown }).code ?? ''} ${error.message}`.trim() : String(error);
  };
  return {
    delete(ref, collection) {
      writer.delete(ref).then(() => {
        deleted[collection] += 1;
      }, fail);
    },
    update(ref, data) {
      writer.update(ref, data).then(() => {
        updated += 1;
      }, fail);
    },
    flush: () => writer.flush(),
    async close() {
      await writer.close();
      return { deleted, updated, failed, ...(firstError === undefined ? {} : { firstError }) };
    },
  };
}

export interface SweepBudget {
  /** True once the run must start no more pages (time up, or the page limit reached); otherwise counts a page. */
  exhausted(): boolean;
}

export function sweepBudget({ budgetMs, maxPages }: { budgetMs: number; maxPages: number }): SweepBudget {
  const deadline = Date.now() + budgetMs;
  let pages = 0;
  return {
    exhausted() {
      if (pages >= maxPages || Date.now() >= deadline) return true;
      pages += 1;
      return false;
    },
  };
}

/** The workspace a document lives under (`workspaces/{ws}/...`), or undefined for anything else. */
export function workspaceOfPath(path: string): string | undefined {
  const [root, workspaceId] = path.split('/');
  return root === 'workspaces' && workspaceId ? workspaceId : undefined;
}

/**
 * Deletes every document under a workspace that `query` (ordered by `orderField`) finds, a page at
 * a time, without waiting for the deletes: pages fetch only the order field and the next starts
 * after the last document seen. Returns whether it reached the end (false: the budget ran out; the
 * query, which matches only what is still to delete, is where the next run starts).
 */
export async function deleteAllMatching(
  query: Query,
  orderField: string,
  collection: RetentionCollection,
  { writer, budget, pageSize }: { writer: RetentionWriter; budget: SweepBudget; pageSize: number },
): Promise<boolean> {
  let last: QueryDocumentSnapshot | undefined;
  for (;;) {
    if (budget.exhausted()) return false;
    const page = await (last ? query.startAfter(last) : query).limit(pageSize).select(orderField).get();
    for (const doc of page.docs) if (workspaceOfPath(doc.ref.path)) writer.delete(doc.ref, collection);
    if (page.size < pageSize) return true;
    last = page.docs[page.docs.length - 1];
  }
}
