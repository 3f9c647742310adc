import { LIMITS } from './limits.js';
import type { ReportInput } from './report.js';

/** A valid report that each test bends into the shape it needs. */
export function validReport(): ReportInput {
  return {
    reportId: 'r-0123456789abcdef',
    agentVersion: '0.1.0',
    host: { hostname: 'web-1', os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0-18-amd64', arch: 'x64' },
    collectedAt: '2026-11-27T10:00:00.000Z',
    solutions: [
      {
        id: 'clamav',
        version: '1.0.7',
        detectedBy: ['package', 'binary'],
        configuration: { MaxFileSize: '25M', ScanArchive: true, 'jails.enabled': ['sshd', 'nginx'] },
        metrics: { signatures: 8_700_000, databaseAgeHours: 3 },
        tests: [{ id: 'eicar-detected', type: 'security', passed: true, message: 'EICAR detected', durationMs: 812 }],
        errors: [],
      },
    ],
  };
}

/** `prefix` padded to `length` with a letter, so ids and keys reach the schema's maximum lengths. */
function padded(prefix: string, length: number): string {
  return prefix.padEnd(length, 'x');
}

/**
 * The largest report the schema and ingest accept, shaped to make the stored state as large as it
 * can: every solution, 10 metrics each (as many as history keeps) with the longest keys, then
 * failing tests with the longest ids spread over the solutions until the JSON reaches
 * `LIMITS.reportBytes`. `messageLength` trades tests for longer messages.
 */
export function largestReport(options: { reportId: string; collectedAt: string; messageLength?: number }): ReportInput {
  const solutions = Array.from({ length: LIMITS.solutionsPerReport }, (_, index) => ({
    id: padded(`solution-${index}-`, LIMITS.idLength),
    version: null,
    configuration: {},
    metrics: Object.fromEntries(Array.from({ length: 10 }, (_, metric) => [padded(`metric${metric}-`, LIMITS.keyLength), 0])),
    tests: [] as NonNullable<ReportInput['solutions'][number]['tests']>,
  }));
  const report: ReportInput = { reportId: options.reportId, agentVersion: '0.1.0', host: {}, collectedAt: options.collectedAt, solutions };
  let bytes = JSON.stringify(report).length;
  const message = 'm'.repeat(Math.min(options.messageLength ?? 0, LIMITS.messageText));
  for (let index = 0; index < LIMITS.solutionsPerReport * LIMITS.testsPerSolution; index += 1) {
    const solution = solutions[index % solutions.length]!;
    const test = { id: padded(`test-${index}-`, LIMITS.idLength), type: 'integration' as const, passed: false, message, durationMs: 3_600_000 };
    const added = JSON.stringify(test).length + (solution.tests.length > 0 ? 1 : 0);
    if (bytes + added > LIMITS.reportBytes) break;
    solution.tests.push(test);
    bytes += added;
  }
  return report;
}
