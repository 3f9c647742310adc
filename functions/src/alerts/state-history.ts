// The agent's recent history (`history` in state/current): one point per stored report, newest last,
// capped, so the agent and solution pages draw charts and a timeline from the one document they read
// anyway, and the report trigger writes one document, not two. Pure.
// Metrics per solution per point: METRICS_KEPT_PER_SOLUTION, as the agent document keeps them
// (ingest/agent-metrics.ts). The whole state is bounded by bytes in state-budget.ts.
import { HISTORY_POINTS, METRICS_KEPT_PER_SOLUTION, type HistoryPoint, type Report } from '@vigil/schema';

export function historyPoint(report: Report): HistoryPoint {
  let passed = 0;
  let failed = 0;
  const solutions: HistoryPoint['solutions'] = {};
  for (const solution of report.solutions) {
    const tests: Record<string, boolean> = {};
    for (const test of solution.tests) {
      tests[test.id] = test.passed;
      if (test.passed) passed += 1;
      else failed += 1;
    }
    const metrics = Object.fromEntries(Object.entries(solution.metrics).slice(0, METRICS_KEPT_PER_SOLUTION));
    solutions[solution.id] = { tests, metrics };
  }
  return { reportId: report.reportId, collectedAt: report.collectedAt, passed, failed, solutions };
}

export function appendHistory(points: HistoryPoint[], report: Report, max = HISTORY_POINTS): HistoryPoint[] {
  const kept = points.filter((point) => point.reportId !== report.reportId);
  return [...kept, historyPoint(report)].sort((a, b) => Date.parse(a.collectedAt) - Date.parse(b.collectedAt)).slice(-max);
}
