// The one-off pass over documents written before expireAt existed (no TTL field, and reports
// without workspaceId). Each such document is visited once, in the order it was written
// (collection group, by RETENTION_COLLECTIONS' writtenAt field): deleted if its workspace's
// retention has already passed, otherwise given its expireAt (and a report its workspaceId), so
// from then on TTL, the sweep and a lowered retention treat it like any other. Its progress lives in
// `system/retentionBackfill` (functions only): the instant it started (documents written since carry
// expireAt), a cursor per collection, saved after each page once the page's writes have landed, and
// when it finished; a run cut short resumes from the cursors. After it is done, one read per run.
// It starts with the agents: one created before retentionDays was copied to agents stamps the
// default expiry on what it writes, so each gets its workspace's retentionDays, and a workspace
// whose retention is shorter than the default is marked retentionCutoffPending, so what such agents
// stored meanwhile is deleted by age (prune-old-data.ts).
import { paths } from '@vigil/schema';
import { FieldPath, Timestamp, type Firestore } from 'firebase-admin/firestore';
import { z } from 'zod';
import { backfillDecision, DEFAULT_RETENTION_DAYS, retentionDays, RETENTION_COLLECTIONS } from './retention.js';
import { workspaceOfPath, type RetentionWriter, type SweepBudget } from './retention-writer.js';

const cursorSchema = z.object({ at: z.instanceof(Timestamp), path: z.string().min(1) });
const progressSchema = z.union([z.literal('done'), cursorSchema]);
const backfillStateSchema = z.object({
  /** Documents written before this carry no expireAt; the pass visits only them. */
  before: z.instanceof(Timestamp),
  /** The agents' retentionDays: done, or the last workspace (by id) whose agents have it. */
  agents: z.union([z.literal('done'), z.object({ workspaceId: z.string().min(1) })]).optional(),
  progress: z.record(z.string(), progressSchema),
  doneAt: z.instanceof(Timestamp).optional(),
});
type BackfillState = z.infer<typeof backfillStateSchema>;

export interface BackfillResult {
  /** Documents found without expireAt. */
  visited: number;
  /** Whether the whole pass is done (now or in an earlier run). */
  done: boolean;
}

async function readState(db: Firestore, nowMs: number): Promise<BackfillState> {
  const snapshot = await db.doc(paths.retentionBackfill()).get();
  const parsed = backfillStateSchema.safeParse(snapshot.data());
  // Absent (the first run) or unusable: start over from the beginning, which revisits nothing harmful
  // (a document that has expireAt is skipped).
  return parsed.success ? parsed.data : { before: Timestamp.fromMillis(nowMs), progress: {} };
}

/** Retention days per workspace, read once per run (only the setting). */
function workspaceDays(db: Firestore): (workspaceId: string) => Promise<number> {
  const cache = new Map<string, Promise<number>>();
  return (workspaceId) => {
    let days = cache.get(workspaceId);
    if (!days) {
      days = db
        .getAll(db.doc(paths.workspace(workspaceId)), { fieldMask: ['settings.retentionDays'] })
        .then(([snapshot]) => retentionDays(snapshot?.get('settings.retentionDays')));
      cache.set(workspaceId, days);
    }
    return days;
  };
}

interface Pass {
  writer: RetentionWriter;
  budget: SweepBudget;
  pageSize: number;
}

/** Copies each workspace's retentionDays to its agents that lack it (a page of workspaces at a time); false when the budget ran out. */
async function copyRetentionToAgents(db: Firestore, state: BackfillState, nowMs: number, { writer, budget, pageSize }: Pass): Promise<boolean> {
  const stateRef = db.doc(paths.retentionBackfill());
  while (state.agents !== 'done') {
    if (budget.exhausted()) return false;
    let query = db.collection(paths.workspaces()).orderBy(FieldPath.documentId()).select('settings.retentionDays');
    if (state.agents) query = query.startAfter(state.agents.workspaceId);
    const page = await query.limit(pageSize).get();
    for (const workspace of page.docs) {
      const days = retentionDays(workspace.get('settings.retentionDays'));
      const agents = await db.collection(paths.agents(workspace.id)).select('retentionDays').get();
      const stale = agents.docs.filter((agent) => agent.get('retentionDays') !== days);
      for (const agent of stale) writer.update(agent.ref, { retentionDays: days });
      if (stale.length > 0 && days < DEFAULT_RETENTION_DAYS) writer.update(workspace.ref, { retentionCutoffPending: Timestamp.fromMillis(nowMs) });
    }
    const last = page.docs[page.docs.length - 1];
    state.agents = page.size < pageSize || !last ? 'done' : { workspaceId: last.id };
    await writer.flush();
    await stateRef.set(state);
  }
  return true;
}

export async function backfillExpiry(
  db: Firestore,
  nowMs: number,
  { writer, budget, pageSize }: { writer: RetentionWriter; budget: SweepBudget; pageSize: number },
): Promise<BackfillResult> {
  const state = await readState(db, nowMs);
  if (state.doneAt) return { visited: 0, done: true };
  if (!(await copyRetentionToAgents(db, state, nowMs, { writer, budget, pageSize }))) return { visited: 0, done: false };
  const stateRef = db.doc(paths.retentionBackfill());
  const daysOf = workspaceDays(db);
  let visited = 0;
  for (const { collection, writtenAt } of RETENTION_COLLECTIONS) {
    let progress = state.progress[collection];
    while (progress !== 'done') {
      if (budget.exhausted()) return { visited, done: false };
      let query = db
        .collectionGroup(collection)
        .where(writtenAt, '<', state.before)
        .orderBy(writtenAt)
        .orderBy(FieldPath.documentId())
        .select(writtenAt, 'expireAt');
      if (progress) query = query.startAfter(progress.at, db.doc(progress.path));
      const page = await query.limit(pageSize).get();
      for (const doc of page.docs) {
        const workspaceId = workspaceOfPath(doc.ref.path);
        const written: unknown = doc.get(writtenAt);
        if (!workspaceId || doc.get('expireAt') !== undefined || !(written instanceof Timestamp)) continue;
        visited += 1;
        const decision = backfillDecision(written.toMillis(), await daysOf(workspaceId), nowMs);
        if (decision.delete) writer.delete(doc.ref, collection);
        else writer.update(doc.ref, { expireAt: Timestamp.fromDate(decision.expireAt), ...(collection === 'reports' ? { workspaceId } : {}) });
      }
      const last = page.docs[page.docs.length - 1];
      progress = page.size < pageSize || !last ? 'done' : { at: last.get(writtenAt) as Timestamp, path: last.ref.path };
      // The cursor moves only past writes that have landed: a run that dies here redoes at most this page.
      await writer.flush();
      state.progress[collection] = progress;
      await stateRef.set(state);
    }
  }
  await stateRef.set({ ...state, doneAt: Timestamp.fromMillis(nowMs) });
  return { visited, done: true };
}
