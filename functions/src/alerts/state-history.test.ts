import { reportSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { validReport } from '../../../schema/src/test-fixtures.js';
import { appendHistory, historyPoint } from './state-history.js';

function report(reportId: string, collectedAt: string) {
  return reportSchema.parse({ ...validReport(), reportId, collectedAt });
}

describe('agent history', () => {
  it('records tests and metrics per solution with pass and fail counts', () => {
    expect(historyPoint(report('report-0001', '2026-11-27T10:00:00Z'))).toEqual({
      reportId: 'report-0001',
      collectedAt: '2026-11-27T10:00:00Z',
      passed: 1,
      failed: 0,
      solutions: { clamav: { tests: { 'eicar-detected': true }, metrics: { signatures: 8_700_000, databaseAgeHours: 3 } } },
    });
  });

  it('keeps points in time order, replaces a repeated report and drops the oldest beyond the cap', () => {
    let points = appendHistory([], report('report-0002', '2026-11-27T10:05:00Z'), 3);
    points = appendHistory(points, report('report-0001', '2026-11-27T10:00:00Z'), 3);
    points = appendHistory(points, report('report-0002', '2026-11-27T10:05:00Z'), 3);
    expect(points.map((point) => point.reportId)).toEqual(['report-0001', 'report-0002']);
    points = appendHistory(points, report('report-0003', '2026-11-27T10:10:00Z'), 3);
    points = appendHistory(points, report('report-0004', '2026-11-27T10:15:00Z'), 3);
    expect(points.map((point) => point.reportId)).toEqual(['report-0002', 'report-0003', 'report-0004']);
  });
});
