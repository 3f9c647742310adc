// What an accepted report changes on the agent document. Pure, so order-safety is unit-tested:
// a late, older report (a spool draining) refreshes lastSeenAt but never overwrites newer facts.
import type { HostFacts, Report } from '@vigil/schema';
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
