// Trigger on workspaces/{ws}/agents/{agentId}/reports/{reportId}: where a report becomes events.
// Ingest stores a report only when its content changed, or to carry a failure streak to the
// threshold, or as a daily checkpoint (ingest/store-decision.ts), so this runs for those reports
// only, and the state's history is the history of stored reports: changes, streak steps and
// checkpoints (metric charts read the agent document's metricsHistory instead).
// In one transaction: read the agent's state (1 read), derive events (derive-events.ts), and write
// the new state with its recent history (state-history.ts) and the events (made by events/make-event.ts).
// The failed-test threshold, the agent's name and labels come stamped on the report by ingest
// (storedReportSchema, which the trigger parses the report with), so neither the
// agent nor the workspace is read: steady state costs 1 read and 1 write here. Only without a state
// (the agent's first report, or the agent was deleted meanwhile, which deletes its state too) is
// the agent read, to tell the two apart. Order-safe: reports apply in ingest's receipt order
// (isNewerThanState), never by the agent's clock; a live report received before the state's is
// ignored (no state change, no events), which also makes a redelivered trigger a no-op; a backfill
// report only adds its point to the history (addBackfillToHistory). Event ids are
// deterministic, so even a race cannot create an event twice. Bad data is recorded on the report,
// never thrown: `processing.state` is `invalid` (fails storedReportSchema: the
// report, or the stamps ingest puts on it) or `failed` (a deterministic
// failure, trigger-failure.ts: it would fail the same way on every retry); transient failures are
// thrown, and the platform retries them (index.ts deploys this trigger with retry). The state is
// kept within its byte budget (state-budget.ts).
import { agentStateSchema, describeIssues, paths, storedReportSchema, type Report, type ReportProcessing } from '@vigil/schema';
import { FieldValue, type DocumentReference, type DocumentSnapshot, type QueryDocumentSnapshot, type Transaction } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import type { FirestoreEvent } from 'firebase-functions/v2/firestore';
import { firestore } from '../firebase/admin.js';
import { configuredErrorReporter } from '../error-reporting/sentry.js';
import { derivedEvent } from '../events/make-event.js';
import { deriveEvents, isNewerThanState } from './derive-events.js';
import { expiresAt } from './retention.js';
import { appendHistory } from './state-history.js';
import { boundedState } from './state-budget.js';
import { classifyTriggerError, failureReason } from './trigger-failure.js';

type Params = { workspaceId: string; agentId: string; reportId: string };
type Outcome = { applied: boolean; reason: string; events: string[] };

const NOT_FOUND = 5;

/** Records why a report was not processed. update(), not set(): a report deleted meanwhile (retention, deleteAgent) must stay deleted. */
async function markReport(snapshot: QueryDocumentSnapshot, processing: ReportProcessing): Promise<void> {
  await snapshot.ref.update({ processing }).catch((reason: unknown) => {
    if ((reason as { code?: unknown }).code !== NOT_FOUND) throw reason;
  });
}

export async function onReportCreated(event: FirestoreEvent<QueryDocumentSnapshot | undefined, Params>): Promise<void> {
  try {
    await processReport(event);
  } catch (thrown) {
    if (!event.data || classifyTriggerError(thrown) === 'transient') throw thrown;
    // Nothing of this report was written (one transaction); later reports are processed as usual.
    const error = failureReason(thrown);
    await markReport(event.data, { state: 'failed', error });
    logger.error('report not processed: failed', { ...event.params, error });
    const reporter = configuredErrorReporter();
    if (reporter.enabled) await reporter.report(thrown, 'onReportCreated');
  }
}

async function processReport(event: FirestoreEvent<QueryDocumentSnapshot | undefined, Params>): Promise<void> {
  const snapshot = event.data;
  if (!snapshot) return;
  const { workspaceId, agentId, reportId } = event.params;
  // The report with ingest's stamps (storedReportSchema, the shape ingest writes it in).
  const parsed = storedReportSchema.safeParse(snapshot.data());
  if (!parsed.success) {
    const error = describeIssues(parsed.error);
    await markReport(snapshot, { state: 'invalid', error });
    logger.warn('report not processed: invalid', { workspaceId, agentId, reportId, error });
    return;
  }
  const report = parsed.data;
  const db = firestore();
  const stateRef = db.doc(paths.agentState(workspaceId, agentId));
  const agentRef = db.doc(paths.agent(workspaceId, agentId));

  // A transaction, so two deliveries racing cannot both move the state, and a first report cannot
  // write a state under an agent deleted meanwhile; the SDK retries with backoff on contention.
  const outcome = await db.runTransaction(async (tx) => {
    const state = await tx.get(stateRef);
    const agent = state.exists ? undefined : await tx.get(agentRef);
    if (agent && !agent.exists) return { applied: false, reason: 'agent deleted', events: [] as string[] };
    if (report.backfill) return addBackfillToHistory(tx, stateRef, state, report);
    // Receipt order, stamped by ingest (receipt.ts): never the agent's clock.
    if (!isNewerThanState(report, state.data())) return { applied: false, reason: 'not newer than state', events: [] };

    const stored = state.exists ? agentStateSchema.safeParse(state.data()) : undefined;
    if (stored && !stored.success) logger.warn('agent state unreadable; starting a new baseline', { workspaceId, agentId });
    const previous = stored?.success ? stored.data : undefined;
    const derived = deriveEvents(previous, report, report.failedTestThreshold);

    tx.set(
      stateRef,
      boundedState(stateRef.path, {
        reportId,
        collectedAt: report.collectedAt,
        receiptSequence: report.receiptSequence ?? null,
        updatedAt: FieldValue.serverTimestamp(),
        solutions: derived.solutions,
        history: appendHistory(previous?.history ?? [], report),
      }),
    );
    const source = {
      agentId,
      agentName: report.agentName,
      hostname: report.host.hostname ?? null,
      // Stamped by ingest from the agent document it wrote with this report: the labels the agent
      // had then (none on reports stored before the stamp existed).
      labelPairs: report.labelPairs ?? [],
      reportId,
      collectedAt: report.collectedAt,
      // The TTL field: created now, kept as long as the report's workspace keeps events.
      expireAt: expiresAt(Date.now(), report.retentionDays),
    };
    for (const found of derived.events) {
      const made = derivedEvent(source, found, FieldValue.serverTimestamp());
      tx.create(db.doc(paths.event(workspaceId, made.id)), made.document);
    }
    return { applied: true, reason: 'applied', events: derived.events.map((found) => found.kind) };
  });
  logger.info('report processed', { workspaceId, agentId, reportId, ...outcome });
}

/**
 * A backfill report (sent from the spool after a newer one, docs/architecture.md "Alerts") is
 * history: it never moves the state or raises events, so nothing stale is alerted. Its point joins
 * the recent history in collection order when it falls within the points kept (one write, no more
 * than a live report costs); without a state there is no history to join.
 */
function addBackfillToHistory(tx: Transaction, stateRef: DocumentReference, state: DocumentSnapshot, report: Report): Outcome {
  const stored = state.exists ? agentStateSchema.safeParse(state.data()) : undefined;
  if (!stored?.success) return { applied: false, reason: 'backfill: no state to add history to', events: [] };
  const history = appendHistory(stored.data.history ?? [], report);
  if (!history.some((point) => point.reportId === report.reportId))
    return { applied: false, reason: 'backfill: older than the history kept', events: [] };
  const bounded = boundedState(stateRef.path, { ...state.data(), history });
  tx.update(stateRef, { history: bounded.history });
  return { applied: false, reason: 'backfill: added to history', events: [] };
}
