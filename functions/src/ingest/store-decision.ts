// Whether ingest stores a report document (reports/{reportId}) or only writes the agent document,
// which it writes for every report anyway (docs/architecture.md, "Ingest"). A report is stored when:
//   first       the agent has no content hash yet (its first report since the scale model);
//   changed     its content (report-content.ts) differs from the newest live report's;
//   streak      it has a failing test and the same content has not yet been seen
//               failedTestThreshold times, so the report trigger still counts a failure streak up
//               to the threshold (1 report of it per report received, as before);
//   checkpoint  the agent's newest stored live report is LIMITS.reportCheckpointSeconds old or more,
//               so every agent that reports has a recent full report.
// A backfill report (history from the spool) is stored only when its content differs from the
// newest live report's: it never streaks or checkpoints, and never moves the agent's content hash.
// Pure: the caller supplies the clock.
import { DEFAULT_WORKSPACE_SETTINGS, LIMITS, type IngestAgent, type Report, type StoredReportReason } from '@vigil/schema';
import { reportContentHash } from './report-content.js';

/** What the decision needs of the agent document, as ingest read it. */
export interface StoreFacts {
  /** The newest live report's content hash; undefined before the agent's first report. */
  contentHash?: string | undefined;
  /** Reports received with that content since it last changed (0: the one that changed it). */
  unchangedReports?: number | undefined;
  /** When the newest stored live report was received, ms; null or undefined when none is known. */
  lastStoredAtMs?: number | null | undefined;
  failedTestThreshold: number;
}

export type StoreDecision = ({ store: false } | { store: true; reason: StoredReportReason }) & {
  /** The report's content hash (report-content.ts), which the agent document keeps for live reports. */
  contentHash: string;
};

function hasFailingTest(report: Pick<Report, 'solutions'>): boolean {
  return report.solutions.some((solution) => solution.tests.some((test) => !test.passed));
}

function reasonFor(
  report: Pick<Report, 'solutions' | 'backfill'>,
  contentHash: string,
  agent: StoreFacts,
  nowMs: number,
): StoredReportReason | undefined {
  if (agent.contentHash === undefined) return 'first';
  if (agent.contentHash !== contentHash) return 'changed';
  if (report.backfill) return undefined;
  if (hasFailingTest(report) && (agent.unchangedReports ?? 0) + 1 < agent.failedTestThreshold) return 'streak';
  const lastStoredAtMs = agent.lastStoredAtMs ?? null;
  if (lastStoredAtMs === null || nowMs - lastStoredAtMs >= LIMITS.reportCheckpointSeconds * 1000) return 'checkpoint';
  return undefined;
}

export function storeDecision({
  report,
  agent,
  nowMs,
}: {
  report: Pick<Report, 'solutions' | 'backfill'>;
  agent: StoreFacts;
  nowMs: number;
}): StoreDecision {
  const contentHash = reportContentHash(report);
  const reason = reasonFor(report, contentHash, agent, nowMs);
  return reason === undefined ? { store: false, contentHash } : { store: true, reason, contentHash };
}

/** The agent's unchangedReports after a live report: 0 when its content changed, else one more. */
export function nextUnchangedReports(agent: Pick<StoreFacts, 'contentHash' | 'unchangedReports'>, contentHash: string): number {
  return agent.contentHash === contentHash ? (agent.unchangedReports ?? 0) + 1 : 0;
}

function hasMillis(value: unknown): value is { toMillis(): number } {
  return typeof (value as { toMillis?: unknown } | null)?.toMillis === 'function';
}

/** The decision's facts from the agent document as ingest read it; a malformed value counts as unknown. */
export function storeFactsOf(agent: IngestAgent): StoreFacts {
  const { contentHash, unchangedReports, lastStoredAt } = agent;
  return {
    contentHash: typeof contentHash === 'string' ? contentHash : undefined,
    unchangedReports:
      typeof unchangedReports === 'number' && Number.isInteger(unchangedReports) && unchangedReports >= 0 ? unchangedReports : undefined,
    lastStoredAtMs: hasMillis(lastStoredAt) ? lastStoredAt.toMillis() : null,
    failedTestThreshold: agent.failedTestThreshold ?? DEFAULT_WORKSPACE_SETTINGS.failedTestThreshold,
  };
}
