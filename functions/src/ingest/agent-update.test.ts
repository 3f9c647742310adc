import { reportSchema, type ReportInput } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { validReport } from '../../../schema/src/test-fixtures.js';
import { factsFromReport, summarizeReport } from './agent-update.js';

function withFail2ban(): ReportInput {
  const input = validReport();
  input.solutions.push({
    id: 'fail2ban',
    version: '1.0.2',
    configuration: {},
    metrics: {},
    tests: [
      { id: 'ping', type: 'operational', passed: true, message: 'pong', durationMs: 20 },
      { id: 'jails-enabled', type: 'security', passed: false, message: 'no jail enabled', durationMs: 5 },
    ],
  });
  return input;
}

describe('summarizeReport', () => {
  it('counts passing and failing tests across solutions and lists solutions sorted', () => {
    expect(summarizeReport(reportSchema.parse(withFail2ban()))).toEqual({
      solutions: ['clamav', 'fail2ban'],
      testsPassed: 2,
      testsFailed: 1,
    });
  });
});

describe('factsFromReport', () => {
  const report = reportSchema.parse({ ...validReport(), collectedAt: '2026-11-27T10:00:00Z' });

  it('takes the facts of a report newer than what is stored, or of the first report', () => {
    expect(factsFromReport(report, '2026-11-27T09:55:00Z')).toMatchObject({
      lastReportId: report.reportId,
      lastCollectedAt: '2026-11-27T10:00:00Z',
      agentVersion: '0.1.0',
      host: { hostname: 'web-1' },
    });
    expect(factsFromReport(report, null)?.lastReportId).toBe(report.reportId);
  });

  it('ignores a late report older than the stored facts', () => {
    expect(factsFromReport(report, '2026-11-27T10:05:00Z')).toBeUndefined();
  });

  it('compares instants, not strings, across time zones', () => {
    // 10:30+01:00 is 09:30Z: older than the stored 10:00Z report although it sorts later as text.
    const late = reportSchema.parse({ ...validReport(), collectedAt: '2026-11-27T10:30:00+01:00' });
    expect(factsFromReport(late, '2026-11-27T10:00:00Z')).toBeUndefined();
  });
});
