// Keeps the agent document within LIMITS.agentDocumentBytes (as Firestore counts bytes,
// schema/src/firestore-size.ts): ingest writes it on every report and the agents page lists it, so
// no sequence of schema-valid reports may grow it towards Firestore's 1 MiB. Every field but the
// metrics is bounded by the schema; the budget reserves those fields at their largest
// (LARGEST_OTHER_FIELDS), so the bound holds whatever ingest did or did not read of the document.
// The metrics give way, the history first, oldest hour first; then, only if the newest metrics alone
// cannot fit (they can, at the schema's limits: agent-document-budget.test.ts), solutions' latest
// metrics from the last. Pure.
import { HISTORY_POINTS, LABEL_LIMITS, LIMITS, firestoreDocumentBytes, firestoreValueBytes } from '@vigil/schema';
import type { MetricsHour, SolutionMetrics } from './agent-metrics.js';

/** A character UTF-8 takes 3 bytes for and a string's length counts once: the largest text a length limit allows. */
const WIDE = '\u20ac';
const wide = (length: number) => WIDE.repeat(length);
const ascii = (length: number) => 'x'.repeat(length);
/** Any Timestamp counts 8 bytes; a Date stands for it. */
const TIME = new Date(0);
const ISO_TIME = '2026-11-27T10:00:00.000+00:00';

/**
 * Every agentSchema field except `metrics` and `metricsHistory`, each at the largest its schema (and
 * LIMITS) allow: what the rest of the document can take at most. The test parses it with agentSchema.
 */
export const LARGEST_OTHER_FIELDS = {
  name: wide(LIMITS.agentNameLength),
  description: wide(LIMITS.agentDescriptionLength),
  status: 'never-seen',
  createdAt: TIME,
  createdBy: ascii(LIMITS.documentIdLength),
  intervalSeconds: 1,
  keyId: 'a'.repeat(16),
  keyPrefix: ascii(32),
  revokedAt: TIME,
  lastSeenAt: TIME,
  lastReportId: ascii(LIMITS.idLength),
  agentVersion: wide(64),
  host: { hostname: wide(253), os: wide(LIMITS.shortText), kernel: wide(LIMITS.shortText), arch: wide(32) },
  summary: {
    solutions: Array.from({ length: LIMITS.solutionsPerReport }, () => ascii(LIMITS.idLength)),
    testsPassed: 0,
    testsFailed: 0,
  },
  lastCollectedAt: ISO_TIME,
  clockSkewSeconds: 0,
  receiptSequence: 0,
  announcedIntervalSeconds: 1,
  failedTestThreshold: 1,
  testsHistory: Array.from({ length: HISTORY_POINTS }, () => ({ hour: ISO_TIME, passed: 0, failed: 0 })),
  health: {
    version: wide(64),
    uptimeSeconds: 0,
    plugins: Array.from({ length: LIMITS.healthPlugins }, () => ({ id: ascii(LIMITS.idLength), status: 'timed-out', durationMs: 0 })),
    pluginErrors: 0,
    spool: { reports: 0, bytes: 0, dropped: 0 },
    crashes: 0,
    lastCrash: {
      at: ISO_TIME,
      kind: 'unhandledRejection',
      message: wide(LIMITS.messageText),
      stack: wide(LIMITS.crashStackText),
      version: wide(64),
    },
    hiddenHostDetails: ['hostname', 'os', 'kernel', 'arch'],
  },
  offlineAt: TIME,
  contentHash: ascii(64),
  unchangedReports: 0,
  lastStoredReportId: ascii(LIMITS.idLength),
  lastStoredAt: TIME,
  changedAt: TIME,
  retentionDays: 1,
  keyRotationDays: 7,
  ingestBudget: { tokens: 0, updatedAtMs: 0 },
  // A key rotation the agent carries out (agents/key-rotation.ts): a Firebase uid is at most 128
  // characters, an email address 254.
  keyRotation: { reason: 'automatic', requestedAt: TIME, requestedBy: { uid: ascii(128), email: ascii(254) }, fetchedAt: TIME },
  pendingKeyId: 'a'.repeat(16),
  // Enrollment (enrollment/): labels at their limits (printable ASCII values), the machine's hash
  // and the token that enrolled it.
  labels: Object.fromEntries(
    Array.from({ length: LABEL_LIMITS.maxLabels }, (_, index) => [
      String(index).padStart(LABEL_LIMITS.keyLength, 'k'),
      ascii(LABEL_LIMITS.valueLength),
    ]),
  ),
  machineIdHash: ascii(64),
  // Self-update (report.update): the policy and the last attempt with the longest reason.
  update: {
    auto: true,
    channel: wide(64),
    last: { outcome: 'rolled-back', from: wide(64), to: wide(64), at: ISO_TIME, reason: wide(LIMITS.messageText) },
  },
  enrolledBy: { tokenId: ascii(LIMITS.documentIdLength) },
};

const OTHER_FIELDS_BYTES = firestoreValueBytes(LARGEST_OTHER_FIELDS);

export interface AgentMetricsFields {
  metrics?: SolutionMetrics;
  metricsHistory?: MetricsHour[];
}

/**
 * The metrics fields of an update to the agent document at `path`, cut to fit the budget beside the
 * other fields at their largest. `metrics` and `metricsHistory` are what the document will hold
 * after the write (ingest writes both whenever it writes either).
 */
export function boundedMetrics(
  path: string,
  fields: Required<AgentMetricsFields>,
  budgetBytes: number = LIMITS.agentDocumentBytes,
): Required<AgentMetricsFields> {
  const fixedBytes = firestoreDocumentBytes(path, {}) + OTHER_FIELDS_BYTES;
  const fieldBytes = (name: string, value: unknown) => firestoreValueBytes({ [name]: value });
  let total = fixedBytes + fieldBytes('metrics', fields.metrics) + fieldBytes('metricsHistory', fields.metricsHistory);
  if (total <= budgetBytes) return fields;

  let first = 0;
  while (first < fields.metricsHistory.length && total > budgetBytes) {
    total -= firestoreValueBytes(fields.metricsHistory[first]);
    first += 1;
  }
  const metricsHistory = fields.metricsHistory.slice(first);
  let solutions = Object.entries(fields.metrics);
  while (solutions.length > 0 && total > budgetBytes) {
    const [id, values] = solutions.at(-1)!;
    total -= firestoreValueBytes({ [id]: values });
    solutions = solutions.slice(0, -1);
  }
  return { metrics: Object.fromEntries(solutions), metricsHistory };
}
