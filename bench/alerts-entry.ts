// Bundled by bench/alerts-run.mjs (esbuild, to bench/.build/alerts-bench.mjs) and loaded in-process
// under the emulators: the real retention handler from functions/src (called directly, timed), the
// same lazy Admin SDK getters it uses (so the seeding, the raw baseline and the handler share one
// Firestore client; Auth verifies the alert phase's owner), the report fixture and the ingest rate
// limit the alert phase must respect.
// The SDKs stay external, as in count-ops-entry.ts.
export { pruneOldData } from '../functions/src/alerts/prune-old-data.js';
export { retentionCutoff, retentionDays, DEFAULT_RETENTION_DAYS } from '../functions/src/alerts/retention.js';
export { auth, firestore } from '../functions/src/firebase/admin.js';
export { BURST_CAPACITY, REFILLS_PER_INTERVAL } from '../functions/src/ingest/rate-limit.js';
export { paths } from '../schema/src/paths.js';
export { validReport } from '../schema/src/test-fixtures.js';
export { Timestamp } from 'firebase-admin/firestore';
// The class behind every query firebase-admin runs (one @google-cloud/firestore, external to the
// bundle): retention-run.mjs times the handler's queries by wrapping Query.prototype.get.
export { Query } from '@google-cloud/firestore';
