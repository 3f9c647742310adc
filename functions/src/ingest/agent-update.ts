// What an accepted report changes on the agent document. Pure, so order-safety is unit-tested:
// a late, older report (a spool draining) refreshes lastSeenAt but never overwrites newer facts.
import { agentCrashSchema, type AgentCrash, type AgentHealth, type HostFacts, type Report } from '@vigil/schema';
import { updateTestsHistory, type HourBucket } from './tests-history.js';

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

export interface AgentFactsUpdate {
  host: HostFacts;
  agentVersion: string;
  lastReportId: string;
  lastCollectedAt: string;
  summary: AgentSummary;
  testsHistory: HourBucket[];
}

/** The newer-facts part of the update, or undefined when the stored facts are from a later report. */
export function factsFromReport(
  report: Report,
  storedLastCollectedAt: unknown,
  storedTestsHistory: unknown = [],
): AgentFactsUpdate | undefined {
  if (typeof storedLastCollectedAt === 'string' && Date.parse(storedLastCollectedAt) > Date.parse(report.collectedAt)) {
    return undefined;
  }
  const summary = summarizeReport(report);
  return {
    host: report.host,
    agentVersion: report.agentVersion,
    lastReportId: report.reportId,
    lastCollectedAt: report.collectedAt,
    summary,
    testsHistory: updateTestsHistory(storedTestsHistory, report.collectedAt, summary.testsPassed, summary.testsFailed),
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
 * The agent document's `health`: the agentHealth of the newest report, with `lastCrash` the newest
 * crash any report carried (a crash stays shown after the report that brought it). A newer report
 * without agentHealth (send_agent_health: false, or an older agent) clears it. A late, older report
 * changes nothing, except to add a crash newer than the one stored. Empty object: leave it alone.
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
