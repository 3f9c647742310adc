// What an accepted report changes on the agent document. Pure, so order-safety is unit-tested.
// Order is receipt order (receipt.ts): ingest's agent update is conditional on the agent document it
// read, so every live report it stores is the newest received, and its facts replace the stored
// ones whatever its clock says. A backfill report (sent from the spool after a newer one) never
// moves facts, health or skew: it only fills an hour missing from the tests history and can add a
// crash newer than the stored one (and never moves `update`, the agent's update status). lastSeenAt
// and status are ingest's, for every report.
// The metrics (agent-metrics.ts) are written the same way, within the document's byte budget
// (agent-document-budget.ts).
import { agentCrashSchema, type AgentCrash, type AgentHealth, type AgentUpdateStatus, type HostFacts, type Report } from '@vigil/schema';
import { boundedMetrics } from './agent-document-budget.js';
import { fillMetricsHistoryGap, latestMetrics, updateMetricsHistory, type SolutionMetrics } from './agent-metrics.js';
import { fillTestsHistoryGap, updateTestsHistory, type HourBucket } from './tests-history.js';

export interface AgentSummary {
  solutions: string[];
  testsPassed: number;
  testsFailed: number;
}

export function summarizeReport(report: Report): AgentSummary {
  let testsPassed = 0;
  let testsFailed = 0;
  for (const solution of report.solutions) {
    for (const test of solution.tests) {
      if (test.passed) testsPassed += 1;
      else testsFailed += 1;
    }
  }
  return { solutions: report.solutions.map((solution) => solution.id).sort(), testsPassed, testsFailed };
}

/**
 * Whether a live report's summary differs from the stored one (a malformed stored one differs):
 * the agent's changedAt moves only then, or when its status changes (ingest-report.ts). A backfill
 * report brings no summary and changes nothing.
 */
export function summaryChanged(stored: unknown, next: AgentSummary | undefined): boolean {
  if (next === undefined) return false;
  const old = stored as Partial<AgentSummary> | null | undefined;
  if (!Array.isArray(old?.solutions) || old.testsPassed !== next.testsPassed || old.testsFailed !== next.testsFailed) return true;
  return old.solutions.length !== next.solutions.length || old.solutions.some((id, index) => id !== next.solutions[index]);
}

export interface AgentFactsUpdate {
  host: HostFacts;
  agentVersion: string;
  lastReportId: string;
  lastCollectedAt: string;
  summary: AgentSummary;
  testsHistory: HourBucket[];
  /** The agent's update policy and last attempt (report.update); null from an agent older than self-update. */
  update: AgentUpdateStatus | null;
}

/** The facts of a live report: it is the newest received, so they replace the stored ones. */
export function factsFromReport(report: Report, storedTestsHistory: unknown = []): AgentFactsUpdate {
  const summary = summarizeReport(report);
  return {
    host: report.host,
    agentVersion: report.agentVersion,
    lastReportId: report.reportId,
    lastCollectedAt: report.collectedAt,
    summary,
    testsHistory: updateTestsHistory(storedTestsHistory, report.collectedAt, summary.testsPassed, summary.testsFailed),
    update: report.update ?? null,
  };
}

function crashOf(value: unknown): AgentCrash | undefined {
  const parsed = agentCrashSchema.safeParse((value as { lastCrash?: unknown } | null | undefined)?.lastCrash);
  return parsed.success ? parsed.data : undefined;
}

function newerCrash(a: AgentCrash | undefined, b: AgentCrash | undefined): AgentCrash | undefined {
  if (!a || !b) return a ?? b;
  return Date.parse(b.at) > Date.parse(a.at) ? b : a;
}

/**
 * The agent document's `health`: the agentHealth of the newest live report, with `lastCrash` the
 * newest crash any report carried (a crash stays shown after the report that brought it). A live
 * report without agentHealth (send_agent_health: false, or an older agent) clears it. A backfill
 * report (`reportIsNewest` false) changes nothing, except to add a crash newer than the one stored.
 * Empty object: leave it alone.
 */
export function healthFromReport(
  report: Report,
  storedHealth: unknown,
  reportIsNewest: boolean,
): { health: AgentHealth | null } | Record<string, never> {
  const reportCrash = report.agentHealth?.lastCrash;
  const storedCrash = crashOf(storedHealth);
  const lastCrash = newerCrash(storedCrash, reportCrash);
  if (reportIsNewest) {
    if (!report.agentHealth) return { health: null };
    return { health: { ...report.agentHealth, ...(lastCrash ? { lastCrash } : {}) } };
  }
  if (reportCrash && lastCrash === reportCrash && lastCrash !== storedCrash && storedHealth && typeof storedHealth === 'object') {
    return { health: { ...(storedHealth as AgentHealth), lastCrash } };
  }
  return {};
}

/** What the agent document stores of its previous reports, as read. */
export interface StoredAgentFacts {
  testsHistory?: unknown;
  health?: unknown;
  metrics?: unknown;
  metricsHistory?: unknown;
}

function isMetricsRecord(value: unknown): value is SolutionMetrics {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every change a report makes to the agent document at `documentPath` besides lastSeenAt, status,
 * the ingest budget and the store bookkeeping (ingest-report.ts). `report.collectedAt` is the stored
 * (clamped) one; `clockSkewSeconds` is measured at receipt.
 */
export function agentChangesFromReport(
  report: Report,
  stored: StoredAgentFacts,
  clockSkewSeconds: number,
  documentPath: string,
): Record<string, unknown> & { summary?: AgentSummary } {
  if (!report.backfill) {
    const metrics = latestMetrics(report);
    return {
      ...factsFromReport(report, stored.testsHistory),
      ...healthFromReport(report, stored.health, true),
      clockSkewSeconds,
      ...boundedMetrics(documentPath, { metrics, metricsHistory: updateMetricsHistory(stored.metricsHistory, report.collectedAt, metrics) }),
    };
  }
  const { testsPassed, testsFailed } = summarizeReport(report);
  const testsHistory = fillTestsHistoryGap(stored.testsHistory, report.collectedAt, testsPassed, testsFailed);
  const filled = fillMetricsHistoryGap(stored.metricsHistory, report.collectedAt, latestMetrics(report));
  // The stored latest metrics stay as they are; the filled history fits beside them or gives way.
  const metricsHistory =
    filled && boundedMetrics(documentPath, { metrics: isMetricsRecord(stored.metrics) ? stored.metrics : {}, metricsHistory: filled }).metricsHistory;
  return {
    ...(testsHistory ? { testsHistory } : {}),
    ...(metricsHistory ? { metricsHistory } : {}),
    ...healthFromReport(report, stored.health, false),
  };
}
