// Trigger on workspaces/{ws}/agents/{agentId}/reports/{reportId}: where a report becomes events.
// Read the agent's state (1 read), derive events (derive-events.ts), and write the new state with
// its recent history (history.ts) and the events in one commit, conditional on the state read. The
// failed-test threshold and the agent's name come stamped on the report by ingest, so neither the
// agent nor the workspace is read: steady state costs 1 read and 1 write here. Only without a state
// (the agent's first report, or the agent was deleted meanwhile, which deletes its state too) is
// the agent read, to tell the two apart. Order-safe: a report not newer than the state is ignored
// (no state change, no events), which also makes a redelivered trigger a no-op. Event ids are
// deterministic, so even a race cannot create an event twice. Bad data is recorded on the report,
// never thrown.
import { agentStateSchema, describeIssues, paths, reportSchema, type Report } from '@vigil/schema';
import { FieldValue, type Firestore, type QueryDocumentSnapshot } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import type { FirestoreEvent } from 'firebase-functions/v2/firestore';
import { firestore } from '../shared/admin.js';
import { deriveEvents, eventId, isNewerThanState } from './derive-events.js';
import { eventDocument } from './event-document.js';
import { appendHistory } from './history.js';

type Params = { workspaceId: string; agentId: string; reportId: string };
type Outcome = { applied: boolean; reason: string; events: string[] };

const ALREADY_EXISTS = 6;
const FAILED_PRECONDITION = 9;
const ATTEMPTS = 5;

/**
 * One read-derive-write: the state is written only if it is still the one read (its update time,
 * or absent), so two deliveries racing cannot both move it; the loser reads again. Cheaper than a
 * transaction (no begin, no locks): 1 read and 1 commit.
 */
async function applyOnce(db: Firestore, snapshot: QueryDocumentSnapshot, report: Report, params: Params): Promise<Outcome> {
  const { workspaceId, agentId, reportId } = params;
  const stateRef = db.doc(paths.agentState(workspaceId, agentId));
  const state = await stateRef.get();
  const agent = state.exists ? undefined : await db.doc(paths.agent(workspaceId, agentId)).get();
  if (agent && !agent.exists) return { applied: false, reason: 'agent deleted', events: [] };
  if (!isNewerThanState(report, state.data())) return { applied: false, reason: 'not newer than state', events: [] };

  const stored = state.exists ? agentStateSchema.safeParse(state.data()) : undefined;
  if (stored && !stored.success) logger.warn('agent state unreadable; starting a new baseline', { workspaceId, agentId });
  const previous = stored?.success ? stored.data : undefined;
  const threshold = Number(snapshot.get('failedTestThreshold') ?? agent?.get('failedTestThreshold')) || 1;
  const derived = deriveEvents(previous, report, threshold);

  const batch = db.batch();
  const nextState = {
    reportId,
    collectedAt: report.collectedAt,
    updatedAt: FieldValue.serverTimestamp(),
    solutions: derived.solutions,
    history: appendHistory(previous?.history ?? [], report),
  };
  // update() replaces each named field whole, which is all the state has.
  if (state.exists) batch.update(stateRef, nextState, { lastUpdateTime: state.updateTime });
  else batch.create(stateRef, nextState);
  const source = {
    agentId,
    agentName: String(snapshot.get('agentName') ?? agent?.get('name') ?? agentId),
    hostname: report.host.hostname ?? null,
    reportId,
  };
  for (const derivedEvent of derived.events) {
    batch.create(
      db.doc(paths.event(workspaceId, eventId(agentId, reportId, derivedEvent.kind))),
      eventDocument(source, derivedEvent, FieldValue.serverTimestamp()),
    );
  }
  await batch.commit();
  return { applied: true, reason: 'applied', events: derived.events.map((derivedEvent) => derivedEvent.kind) };
}

export async function onReportCreated(event: FirestoreEvent<QueryDocumentSnapshot | undefined, Params>): Promise<void> {
  const snapshot = event.data;
  if (!snapshot) return;
  const { workspaceId, agentId, reportId } = event.params;
  const parsed = reportSchema.safeParse(snapshot.data());
  if (!parsed.success) {
    const error = describeIssues(parsed.error);
    await snapshot.ref.set({ processing: { state: 'invalid', error } }, { merge: true });
    logger.warn('report not processed: invalid', { workspaceId, agentId, reportId, error });
    return;
  }
  const report = parsed.data;
  const db = firestore();
  let outcome: Outcome | undefined;
  for (let attempt = 1; !outcome; attempt += 1) {
    try {
      outcome = await applyOnce(db, snapshot, report, event.params);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // Another delivery of a report of this agent wrote the state first: read it again.
      if ((code === FAILED_PRECONDITION || code === ALREADY_EXISTS) && attempt < ATTEMPTS) continue;
      throw error;
    }
  }
  logger.info('report processed', { workspaceId, agentId, reportId, ...outcome });
}
