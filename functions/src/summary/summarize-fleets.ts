// Scheduled every minute: keeps each workspace's fleet summary (workspaces/{ws}/summary/fleet) true,
// recomputing only the workspaces where something it counts changed since the last run.
//
// 1. Find them: agents with changedAt after the cursor (one collection-group query, ids and
//    changedAt only; ingest, the offline detector, createAgent and revokeAgent set changedAt when
//    status, revocation, summary or name change) and workspaces with fleetChangedAt after it
//    (deleteAgent's mark: a deleted agent is found by no query). None: the run ends there, having
//    read the cursor and those two queries, and written nothing.
// 2. Take the run lease (summary-cursor.ts), so two runs never write one summary.
// 3. Per workspace, earliest change first, a few at a time, within a time budget: the aggregation
//    reads (read-fleet.ts), the stored summary, and a write only when the figures changed
//    (fleet-summary.ts): at most one write per workspace per run, so one a minute per summary.
//    A workspace whose recompute fails is left over and retried; after SUMMARY_ATTEMPTS failed runs
//    in a row it is passed over (logged), so it cannot hold back every other workspace's changes.
// 4. Move the cursor to the time step 1 looked (or, cut short, to before the first workspace left),
//    and give the lease back.
import { fleetSummarySchema, paths } from '@vigil/schema';
import { Timestamp, type Firestore, type Query } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { randomUUID } from 'node:crypto';
import { firestore } from '../firebase/admin.js';
import { hourOf } from '../ingest/tests-history.js';
import { failureOutcome, noteChange, nextCursor, recomputeOrder, workspaceOfAgentPath, type Changes } from './fleet-changes.js';
import { attentionList, fleetCounts, summaryChanged, withHourPoint, type FleetFigures } from './fleet-summary.js';
import { readFleet } from './read-fleet.js';
import { claimLease, readCursor, releaseLease } from './summary-cursor.js';

/** The schedule's timeout (SCHEDULES): the lease outlives it, so a run cut off by it never holds the lease forever. */
export const SUMMARIZE_TIMEOUT_SECONDS = 300;
const LEASE_MS = (SUMMARIZE_TIMEOUT_SECONDS + 60) * 1000;
/** No workspace is started after this long, leaving time for the ones under way and the cursor. */
const BUDGET_MS = 240_000;
/** Workspaces recomputed at once: each is ~17 small queries in one read-only transaction. */
const PARALLEL = 8;
/** Changed agents per discovery page (ids and changedAt only). */
const PAGE = 1000;
/** Runs in a row a workspace's recompute may fail before the cursor passes it over (fleet-changes.ts, failureOutcome). */
export const SUMMARY_ATTEMPTS = 3;
/** Failure counts kept between runs, at most (system/fleetSummaries stays small). */
const TRACKED_FAILURES = 500;
/** Failures in one run after which it starts no more workspaces: something is wrong with all of them. */
const FAILURES_TO_STOP = 10;

export interface SummarizeResult {
  /** Agent documents the discovery query returned (each one read). */
  changedAgents: number;
  /** Workspaces recomputed, and of those whose summary was written (its figures changed). */
  workspaces: number;
  written: number;
  /** Workspaces found but left for the next run (time budget, a failure, or another run held the lease). */
  leftOver: number;
  /** Workspaces whose recompute failed this run (each logged), and of those the ones passed over for good. */
  failed: number;
  passedOver: number;
}

/** Pages through a query ordered by `field`, calling `each` per document; the first page's read time. */
async function eachPage(
  query: Query,
  field: string,
  each: (path: string, at: Timestamp | null) => void,
): Promise<{ readTime: Timestamp; size: number }> {
  let readTime: Timestamp | undefined;
  let size = 0;
  let page = await query.orderBy(field).select(field).limit(PAGE).get();
  for (;;) {
    readTime ??= page.readTime;
    size += page.size;
    for (const doc of page.docs) {
      const at: unknown = doc.get(field);
      each(doc.ref.path, at instanceof Timestamp ? at : null);
    }
    if (page.size < PAGE) return { readTime, size };
    page = await query
      .orderBy(field)
      .select(field)
      .startAfter(page.docs[page.size - 1]!)
      .limit(PAGE)
      .get();
  }
}

/** Step 1: the workspaces with a change after `cursor` (every workspace when there is no cursor yet). */
async function findChanges(db: Firestore, cursor: Timestamp | null): Promise<{ changes: Changes; readTime: Timestamp; changedAgents: number }> {
  const changes: Changes = new Map();
  if (cursor === null) {
    const all = await db.collection(paths.workspaces()).select().get();
    for (const workspace of all.docs) noteChange(changes, workspace.id, null);
    return { changes, readTime: all.readTime, changedAgents: 0 };
  }
  const [agents, workspaces] = await Promise.all([
    eachPage(db.collectionGroup('agents').where('changedAt', '>', cursor), 'changedAt', (path, at) => {
      const workspaceId = workspaceOfAgentPath(path);
      if (workspaceId !== undefined) noteChange(changes, workspaceId, at);
    }),
    eachPage(db.collection(paths.workspaces()).where('fleetChangedAt', '>', cursor), 'fleetChangedAt', (path, at) => {
      noteChange(changes, path.split('/')[1]!, at);
    }),
  ]);
  const readTime = agents.readTime.valueOf() < workspaces.readTime.valueOf() ? agents.readTime : workspaces.readTime;
  return { changes, readTime, changedAgents: agents.size };
}

/** The stored summary's figures, or undefined when there is none or it does not parse (it is then rewritten whole). */
function storedFigures(data: unknown): FleetFigures | undefined {
  const parsed = fleetSummarySchema.safeParse(data);
  if (!parsed.success) return undefined;
  const { counts, hours, attention } = parsed.data;
  return { counts, hours, attention };
}

/** Step 3 for one workspace: true when its summary was written. */
export async function summarizeWorkspace(db: Firestore, workspaceId: string, nowMs: number): Promise<boolean> {
  const ref = db.doc(paths.fleetSummary(workspaceId));
  const [reads, snapshot, workspace] = await Promise.all([readFleet(db, workspaceId), ref.get(), db.doc(paths.workspace(workspaceId)).get()]);
  // A workspace deleted meanwhile (deleteWorkspace) gets no summary written back under it.
  if (!workspace.exists) return false;
  const stored = storedFigures(snapshot.data());
  const counts = fleetCounts(reads.aggregates);
  const next: FleetFigures = {
    counts,
    hours: withHourPoint(stored?.hours ?? [], {
      hour: hourOf(new Date(nowMs).toISOString()),
      passed: counts.testsPassed,
      failed: counts.testsFailed,
    }),
    attention: attentionList(reads.failing, reads.offline),
  };
  if (!summaryChanged(stored, next)) return false;
  await ref.set({ computedAt: Timestamp.fromMillis(nowMs), ...next });
  return true;
}

/**
 * The schedule. `nowMs` is the time the summaries are computed at (their computedAt and hour); the
 * lease and the time budget run on the real clock.
 */
export async function summarizeFleets(nowMs = Date.now(), options: { budgetMs?: number } = {}): Promise<SummarizeResult> {
  const db = firestore();
  const startedAt = Date.now();
  const budgetMs = options.budgetMs ?? BUDGET_MS;
  const state = await readCursor(db);
  const { changes, readTime, changedAgents } = await findChanges(db, state.cursor);
  const result: SummarizeResult = { changedAgents, workspaces: 0, written: 0, leftOver: changes.size, failed: 0, passedOver: 0 };
  if (changes.size === 0) return result;

  const leaseId = randomUUID();
  if (!(await claimLease(db, leaseId, Date.now(), Date.now() + LEASE_MS))) {
    logger.info('fleet summaries: another run holds the lease', { workspaces: changes.size });
    return result;
  }
  const recomputed = new Set<string>();
  const failed = new Set<string>();
  let cursor: Timestamp | null = null;
  let failures: Record<string, number> | undefined;
  let passedOver: string[] = [];
  try {
    const queue = recomputeOrder(changes);
    const worker = async () => {
      for (let workspaceId = queue.shift(); workspaceId !== undefined; workspaceId = queue.shift()) {
        if (Date.now() - startedAt > budgetMs || failed.size >= FAILURES_TO_STOP) return;
        try {
          if (await summarizeWorkspace(db, workspaceId, nowMs)) result.written += 1;
          recomputed.add(workspaceId);
        } catch (error) {
          // One workspace's failure is its own: it is left over (retried next run), the others go on.
          failed.add(workspaceId);
          logger.error('fleet summary failed', { workspaceId, error: error instanceof Error ? error.message : String(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    ({ failures, passedOver } = failureOutcome(state.failures, failed, recomputed, SUMMARY_ATTEMPTS, TRACKED_FAILURES));
    for (const workspaceId of passedOver) {
      logger.error('fleet summary passed over: it failed every time', { workspaceId, runs: SUMMARY_ATTEMPTS });
    }
    cursor = nextCursor(state.cursor, readTime, changes, new Set([...recomputed, ...passedOver]));
  } finally {
    // On an unexpected error the cursor stays (null: not moved), so the next run finds all of these again.
    await releaseLease(db, leaseId, cursor, failures);
  }
  result.workspaces = recomputed.size;
  result.failed = failed.size;
  result.passedOver = passedOver.length;
  result.leftOver = changes.size - recomputed.size - passedOver.length;
  if (result.leftOver > 0) logger.warn('fleet summaries: some left for the next run (time budget or failures)', { ...result });
  else logger.info('fleet summaries computed', { ...result });
  return result;
}
