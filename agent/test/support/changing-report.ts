// A report whose content differs from every other one's, as from a host whose state keeps changing:
// its tests' messages name it. The ingest stores a report only when its content changed (or for a
// few other reasons: functions/src/ingest/store-decision.ts), so a test that proves "every report
// produced is stored exactly once" must produce reports that each have to be stored.
import type { ReportInput } from '@vigil/schema';
import { freshReport } from '../../../tests/support/agents.js';

export function changingReport(overrides: Partial<ReportInput> = {}): ReportInput {
  const report = freshReport(overrides);
  return {
    ...report,
    solutions: report.solutions.map((solution) => ({
      ...solution,
      tests: solution.tests.map((test) => ({ ...test, message: `${test.message ?? ''} (${report.reportId})` })),
    })),
  };
}
