import { describe, expect, it } from 'vitest';
import { describeIssues, summarizeIssues } from './errors.js';
import { validReport } from './test-fixtures.js';
import { LIMITS } from './limits.js';
import { ingestReplySchema, reportSchema, reportSizeBytes } from './report.js';

function issuesOf(input: unknown) {
  const result = reportSchema.safeParse(input);
  expect(result.success).toBe(false);
  return result.success ? [] : summarizeIssues(result.error);
}

describe('reportSchema', () => {
  it('accepts a complete report and fills defaults', () => {
    const report = validReport();
    delete report.solutions[0]!.errors;
    delete report.solutions[0]!.detectedBy;
    const parsed = reportSchema.parse(report);
    expect(parsed.solutions[0]!.errors).toEqual([]);
    expect(parsed.solutions[0]!.detectedBy).toEqual([]);
  });

  it('accepts a report with no solutions (a host with nothing installed is worth knowing)', () => {
    expect(reportSchema.parse({ ...validReport(), solutions: [] }).solutions).toEqual([]);
  });

  it('ignores unknown fields so newer agents can talk to older ingests', () => {
    const parsed = reportSchema.parse({ ...validReport(), futureField: 1 });
    expect(parsed).not.toHaveProperty('futureField');
  });

  it('names the exact path of a bad test type', () => {
    const report = validReport();
    (report.solutions[0]!.tests[0] as { type: string }).type = 'vibes';
    expect(issuesOf(report)).toEqual([{ path: 'solutions.0.tests.0.type', message: expect.stringContaining('Invalid option') }]);
  });

  it('rejects report ids that are unsafe as document ids', () => {
    for (const reportId of ['short', 'a/b/c/d/e/f/g', '..........', 'x'.repeat(65), 'has space in it']) {
      expect(issuesOf({ ...validReport(), reportId })[0]?.path, reportId).toBe('reportId');
    }
  });

  it('rejects a missing or malformed collectedAt', () => {
    expect(issuesOf({ ...validReport(), collectedAt: 'yesterday' })[0]?.path).toBe('collectedAt');
    const { collectedAt: _omit, ...withoutTime } = validReport();
    expect(issuesOf(withoutTime)[0]?.path).toBe('collectedAt');
  });

  it('enforces the count limits', () => {
    const report = validReport();
    const solution = report.solutions[0]!;
    report.solutions = Array.from({ length: LIMITS.solutionsPerReport + 1 }, (_, i) => ({ ...solution, id: `s${i}` }));
    expect(issuesOf(report)[0]).toMatchObject({ path: 'solutions', message: expect.stringContaining('50') });

    const tooManyTests = validReport();
    tooManyTests.solutions[0]!.tests = Array.from({ length: LIMITS.testsPerSolution + 1 }, (_, i) => ({
      id: `t${i}`,
      type: 'presence' as const,
      passed: true,
      message: '',
      durationMs: 1,
    }));
    expect(issuesOf(tooManyTests)[0]?.path).toBe('solutions.0.tests');

    const tooManyMetrics = validReport();
    tooManyMetrics.solutions[0]!.metrics = Object.fromEntries(Array.from({ length: LIMITS.metricsEntries + 1 }, (_, i) => [`m${i}`, i]));
    expect(issuesOf(tooManyMetrics)[0]?.path).toBe('solutions.0.metrics');
  });

  it('enforces string lengths', () => {
    const report = validReport();
    report.solutions[0]!.tests[0]!.message = 'x'.repeat(LIMITS.messageText + 1);
    expect(issuesOf(report)[0]?.path).toBe('solutions.0.tests.0.message');
  });

  it('rejects configuration keys Firestore would misread and non-finite metrics', () => {
    const report = validReport();
    report.solutions[0]!.configuration = { __name__: 'x' };
    expect(issuesOf(report)[0]?.path).toMatch(/^solutions\.0\.configuration/);

    const nan = validReport();
    nan.solutions[0]!.metrics = { broken: Number.POSITIVE_INFINITY };
    expect(issuesOf(nan)[0]?.path).toBe('solutions.0.metrics.broken');
  });

  it('rejects duplicate solutions and duplicate tests with their paths', () => {
    const report = validReport();
    report.solutions.push({ ...report.solutions[0]! });
    expect(issuesOf(report)).toContainEqual({ path: 'solutions.1.id', message: 'duplicate solution "clamav"' });

    const tests = validReport();
    tests.solutions[0]!.tests.push({ ...tests.solutions[0]!.tests[0]! });
    expect(issuesOf(tests)).toContainEqual({ path: 'solutions.0.tests.1.id', message: 'duplicate test "eicar-detected"' });
  });

  it('counts a report as Firestore stores it, so one of number lists cannot outgrow a document', () => {
    // Each 0 is 2 bytes of JSON and 8 bytes stored: under 256 KiB sent, nearly 1 MiB stored.
    const report = validReport();
    const zeros = Array.from({ length: LIMITS.listItems }, () => 0);
    const configuration = Object.fromEntries(Array.from({ length: LIMITS.configurationEntries }, (_, i) => [`k${i}`, zeros]));
    report.solutions = Array.from({ length: 6 }, (_, i) => ({ ...report.solutions[0]!, id: `s${i}`, configuration }));
    expect(Buffer.byteLength(JSON.stringify(report))).toBeLessThan(LIMITS.reportBytes);
    expect(reportSizeBytes(report)).toBeGreaterThan(3.5 * LIMITS.reportBytes);
    const issues = issuesOf(report);
    expect(issues[0]?.path).toBe('');
    expect(issues[0]?.message).toMatch(/bytes as stored; the limit is 262144/);
  });

  it('measures the size of a report as the larger of its JSON and its stored form', () => {
    const report = validReport();
    expect(reportSizeBytes(report)).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(report)));
    expect(reportSchema.safeParse(report).success).toBe(true);
  });

  it('rejects things that are not reports at all', () => {
    for (const input of [null, 42, 'report', [], {}]) expect(reportSchema.safeParse(input).success).toBe(false);
  });

  it('describes issues in one readable line', () => {
    const result = reportSchema.safeParse({ ...validReport(), reportId: 'x', collectedAt: 'no' });
    expect(result.success).toBe(false);
    if (!result.success) expect(describeIssues(result.error)).toMatch(/^reportId: .+; collectedAt: .+/);
  });
});

describe('ingestReplySchema', () => {
  it('accepts a reply and rejects a non-positive interval', () => {
    const reply = { accepted: true, duplicate: false, reportId: 'r-0123456789abcdef', intervalSeconds: 300 };
    expect(ingestReplySchema.parse(reply)).toEqual(reply);
    expect(ingestReplySchema.safeParse({ ...reply, intervalSeconds: 0 }).success).toBe(false);
  });
});
