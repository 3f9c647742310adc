// Counts what Firestore bills this page for, so the benchmark (bench/dashboard.mjs) and anyone in
// the console can check the read budget: `window.__vigilReads`. Billing rules counted here:
// every document a get or query returns, every document a listener delivers (all at first, then
// each added, changed or removed one), at least one read per query even when it finds nothing, and
// one read per count aggregation (per started 1,000 index entries).
export interface ReadCounter {
  reads: number;
  documents: number;
  queries: number;
  aggregations: number;
  listenerUpdates: number;
}

declare global {
  interface Window {
    __vigilReads?: ReadCounter;
  }
}

function counter(): ReadCounter | undefined {
  if (typeof window === 'undefined') return undefined;
  window.__vigilReads ??= { reads: 0, documents: 0, queries: 0, aggregations: 0, listenerUpdates: 0 };
  return window.__vigilReads;
}

export function countDocumentRead(): void {
  const current = counter();
  if (!current) return;
  current.reads += 1;
  current.documents += 1;
}

/** A query's result (or a listener's first or later snapshot) carrying `documents` documents. */
export function countQueryRead(documents: number, { firstSnapshot = true } = {}): void {
  const current = counter();
  if (!current) return;
  if (firstSnapshot) current.queries += 1;
  else current.listenerUpdates += 1;
  current.documents += documents;
  // An empty query result still bills one read; a listener's later update bills what changed.
  current.reads += firstSnapshot ? Math.max(1, documents) : documents;
}

export function countAggregation(indexEntries: number): void {
  const current = counter();
  if (!current) return;
  current.aggregations += 1;
  current.reads += Math.max(1, Math.ceil(indexEntries / 1000));
}
