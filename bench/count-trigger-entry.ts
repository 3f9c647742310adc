// Bundled by bench/ingest-run.mjs beside count-ops-entry.ts, when the trigger exists: the
// onReportCreated handler that every accepted report fires, so the benchmark can count its
// Firestore operations too. Same external SDKs, so the counters of count-ops-entry.ts see it.
export { onReportCreated } from '../functions/src/alerts/on-report-created.js';
