// Bundled by bench/ingest-run.mjs beside count-ops-entry.ts, when the trigger exists: the
// onReportCreated handler that every stored report fires (a report ingest did not store fires
// nothing: store-decision.ts), so the benchmark can count its Firestore operations too. Same external SDKs, so the counters of count-ops-entry.ts see it.
export { onReportCreated } from '../functions/src/alerts/on-report-created.js';
