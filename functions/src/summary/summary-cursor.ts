// The summarizeFleets schedule's own document, system/fleetSummaries (paths.fleetSummaryCursor;
// firestore.rules let no client near it): `cursor`, the time up to which changes have been
// summarized, and a lease, so runs never overlap (Cloud Scheduler starts one every minute however
// long the last takes, and `npm run schedule` can start one any time). Two runs at once could each
// write a summary, the older reads last, after the newer moved the cursor past the change: the
// lease rules that out. A run that finds nothing takes no lease and writes nothing here.
import { paths } from '@vigil/schema';
import { FieldValue, Timestamp, type DocumentSnapshot, type Firestore } from 'firebase-admin/firestore';

export interface CursorState {
  /** Null before the first run that finished: every workspace is then recomputed once. */
  cursor: Timestamp | null;
  leaseId: string | null;
  leaseUntilMs: number;
  /** Consecutive failed runs of the workspaces whose recompute failed (fleet-changes.ts, failureOutcome). */
  failures: Record<string, number>;
}

function isTimestamp(value: unknown): value is Timestamp {
  return value instanceof Timestamp;
}

/** The failure counts, own keys with whole positive counts only (anything else is forgotten). */
function failuresOf(value: unknown): Record<string, number> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, number] => Number.isInteger(entry[1]) && entry[1] > 0));
}

function stateOf(snapshot: DocumentSnapshot): CursorState {
  const cursor: unknown = snapshot.get('cursor');
  const leaseId: unknown = snapshot.get('leaseId');
  const leaseUntil: unknown = snapshot.get('leaseUntil');
  return {
    cursor: isTimestamp(cursor) ? cursor : null,
    leaseId: typeof leaseId === 'string' ? leaseId : null,
    leaseUntilMs: isTimestamp(leaseUntil) ? leaseUntil.toMillis() : 0,
    failures: failuresOf(snapshot.get('failures')),
  };
}

export async function readCursor(db: Firestore): Promise<CursorState> {
  return stateOf(await db.doc(paths.fleetSummaryCursor()).get());
}

/** Takes the lease until `untilMs` unless another run holds one that has not expired; true when taken. */
export function claimLease(db: Firestore, leaseId: string, nowMs: number, untilMs: number): Promise<boolean> {
  const ref = db.doc(paths.fleetSummaryCursor());
  return db.runTransaction(async (tx) => {
    const state = stateOf(await tx.get(ref));
    if (state.leaseId !== null && state.leaseId !== leaseId && state.leaseUntilMs > nowMs) return false;
    tx.set(ref, { leaseId, leaseUntil: Timestamp.fromMillis(untilMs) }, { merge: true });
    return true;
  });
}

/**
 * Gives the lease back and, when `cursor` is given, moves the cursor there (only forward), with
 * the failure counts the run leaves (replacing the old ones; undefined leaves them). Nothing
 * happens if the lease is no longer this run's (it expired and another run took it).
 */
export function releaseLease(db: Firestore, leaseId: string, cursor: Timestamp | null, failures?: Record<string, number>): Promise<boolean> {
  const ref = db.doc(paths.fleetSummaryCursor());
  return db.runTransaction(async (tx) => {
    const state = stateOf(await tx.get(ref));
    if (state.leaseId !== leaseId) return false;
    // Timestamp.valueOf() is text that sorts as the time does (to the nanosecond).
    const forward = cursor !== null && (state.cursor === null || cursor.valueOf() > state.cursor.valueOf());
    const fields = {
      leaseId: FieldValue.delete(),
      leaseUntil: FieldValue.delete(),
      ...(forward ? { cursor } : {}),
      ...(failures === undefined ? {} : { failures }),
    };
    // mergeFields replaces each named field whole: the failures map is the run's, not merged key by
    // key into the old one (a workspace recomputed or passed over loses its count).
    tx.set(ref, fields, { mergeFields: Object.keys(fields) });
    return true;
  });
}
