// Which workspaces a summarizeFleets run recomputes, in which order, and how far its cursor may move.
// Pure (times are Timestamp-like: anything with toMillis and the fields Firestore's Timestamp has).
//
// A run finds changes after its cursor (agents' changedAt, workspaces' fleetChangedAt) and
// recomputes each workspace once, earliest change first. Done: the cursor moves to the time the run
// looked (its queries' read time), so a change made while it ran is found by the next run. Cut
// short by its time budget: the cursor moves to just before the earliest change of a workspace it
// did not recompute, so the next run finds that one again (and perhaps some it did: recomputing is
// harmless), and no change is lost either way.
import { Timestamp } from 'firebase-admin/firestore';

/** workspaces/{ws}/agents/{agentId} → ws; undefined for a same-named collection anywhere else. */
export function workspaceOfAgentPath(path: string): string | undefined {
  const parts = path.split('/');
  return parts.length === 4 && parts[0] === 'workspaces' && parts[2] === 'agents' ? parts[1] : undefined;
}

/** Each changed workspace with its earliest change found (null: recomputed without one, as on the first run). */
export type Changes = Map<string, Timestamp | null>;

/** Earlier first; null (no change time) before any time. */
function compareTimes(a: Timestamp | null, b: Timestamp | null): number {
  if (a === null || b === null) return (a === null ? 0 : 1) - (b === null ? 0 : 1);
  return a.seconds - b.seconds || a.nanoseconds - b.nanoseconds;
}

/** Records a change of `workspaceId` found at `at`, keeping its earliest. */
export function noteChange(changes: Changes, workspaceId: string, at: Timestamp | null): void {
  if (!changes.has(workspaceId) || compareTimes(at, changes.get(workspaceId) ?? null) < 0) changes.set(workspaceId, at);
}

/** The workspaces to recompute, earliest change first (then by id, so the order is total). */
export function recomputeOrder(changes: Changes): string[] {
  return [...changes.entries()].sort(([a, at], [b, bt]) => compareTimes(at, bt) || a.localeCompare(b)).map(([workspaceId]) => workspaceId);
}

/** One microsecond (Firestore's resolution) before `at`: a `> cursor` query finds `at` again. */
export function justBefore(at: Timestamp): Timestamp {
  return at.nanoseconds >= 1000 ? new Timestamp(at.seconds, at.nanoseconds - 1000) : new Timestamp(at.seconds - 1, at.nanoseconds + 999_999_000);
}

/**
 * The cursor after a run: the read time when every workspace was recomputed; else just before the
 * earliest change left over, or the old cursor when a left-over one had no change time (the first
 * run's). Never behind the old cursor.
 */
export function nextCursor(old: Timestamp | null, readTime: Timestamp, changes: Changes, recomputed: ReadonlySet<string>): Timestamp | null {
  const left = [...changes.entries()].filter(([workspaceId]) => !recomputed.has(workspaceId)).map(([, at]) => at);
  let next: Timestamp | null = readTime;
  if (left.length > 0) {
    const earliest = left.sort(compareTimes)[0]!;
    next = earliest === null ? old : justBefore(earliest);
  }
  if (old === null) return next;
  if (next === null) return old;
  return compareTimes(next, old) > 0 ? next : old;
}

/** What a run's failures leave for the next: the counts to keep, and the workspaces to pass over. */
export interface FailureOutcome {
  /** Consecutive failed runs per workspace still retried (written back with the cursor). */
  failures: Record<string, number>;
  /** Workspaces that failed `attempts` runs in a row: the cursor moves past them (an error is logged). */
  passedOver: string[];
}

/**
 * A workspace whose recompute fails is left over, like one the time budget left, so the next run
 * retries it (a failure may be passing: contention, a deadline). One that fails `attempts` runs in
 * a row is passed over: counted as done for the cursor, so it cannot hold back the changes of
 * every other workspace, and recomputed again at its next change. A workspace recomputed forgets
 * its failures; one not attempted this run keeps its count. At most `tracked` counts are kept
 * (the rest are retried without a count, as before, which a systemic failure calls for anyway).
 */
export function failureOutcome(
  previous: Readonly<Record<string, number>>,
  failed: ReadonlySet<string>,
  recomputed: ReadonlySet<string>,
  attempts: number,
  tracked: number,
): FailureOutcome {
  // Workspace ids are data: a Map, then own properties only (Object.fromEntries), never `obj[id] =`.
  const failures = new Map<string, number>();
  const passedOver: string[] = [];
  for (const [workspaceId, count] of Object.entries(previous)) {
    if (!recomputed.has(workspaceId) && !failed.has(workspaceId)) failures.set(workspaceId, count);
  }
  for (const workspaceId of [...failed].sort()) {
    const count = (Object.hasOwn(previous, workspaceId) ? previous[workspaceId]! : 0) + 1;
    if (count >= attempts) passedOver.push(workspaceId);
    else if (failures.size < tracked) failures.set(workspaceId, count);
  }
  return { failures: Object.fromEntries(failures), passedOver };
}
