import { reportSchema, type ReportInput } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { validReport } from '../../../schema/src/test-fixtures.js';
import { agentChangesFromReport, factsFromReport, summarizeReport, summaryChanged } from './agent-update.js';

const AGENT_PATH = 'workspaces/AbCdEfGhIjKlMnOpQrSt/agents/ZyXwVuTsRqPoNmLkJiHg';

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

  it('takes the facts of the report', () => {
    expect(factsFromReport(report)).toMatchObject({
      lastReportId: report.reportId,
      lastCollectedAt: '2026-11-27T10:00:00Z',
      agentVersion: '0.1.0',
      host: { hostname: 'web-1' },
      testsHistory: [{ hour: '2026-11-27T10:00:00.000Z', passed: 1, failed: 0 }],
      update: null,
    });
  });

  it("takes the agent's update status, the reason of its last attempt included", () => {
    const update = {
      auto: true,
      channel: 'stable',
      last: {
        outcome: 'rolled-back' as const,
        from: '0.1.0',
        to: '0.2.0',
        at: '2026-11-27T09:00:00.000Z',
        reason: 'no report accepted in 3 intervals',
      },
    };
    expect(factsFromReport(reportSchema.parse({ ...validReport(), update })).update).toEqual(update);
  });
});

describe('agentChangesFromReport', () => {
  const crash = (at: string) => ({ at, kind: 'uncaughtException' as const, message: 'boom', stack: 'Error: boom', version: '0.1.0' });
  const storedHealth = { version: '0.1.0', uptimeSeconds: 600, plugins: [], pluginErrors: 0, lastCrash: crash('2026-11-27T09:00:00.000Z') };
  const stored = {
    health: storedHealth,
    testsHistory: [{ hour: '2026-11-27T12:00:00.000Z', passed: 9, failed: 9 }],
    metrics: { clamav: { signatures: 9 } },
    metricsHistory: [{ hour: '2026-11-27T12:00:00.000Z', solutions: { clamav: { signatures: 9 } } }],
  };
  const report = (overrides: Partial<ReportInput> = {}) =>
    reportSchema.parse({ ...validReport(), agentHealth: { version: '0.1.1', uptimeSeconds: 5, plugins: [], pluginErrors: 0 }, ...overrides });

  it('lets a live report replace facts, health and skew, even when its clock went backwards (receipt order)', () => {
    const changes = agentChangesFromReport(report({ collectedAt: '2026-11-27T11:00:00Z', host: { hostname: 'renamed' } }), stored, -3600, AGENT_PATH);
    expect(changes).toMatchObject({
      host: { hostname: 'renamed' },
      lastCollectedAt: '2026-11-27T11:00:00Z',
      clockSkewSeconds: -3600,
      health: { version: '0.1.1', uptimeSeconds: 5, lastCrash: crash('2026-11-27T09:00:00.000Z') },
      metrics: { clamav: { signatures: 8_700_000, databaseAgeHours: 3 } },
      metricsHistory: [
        { hour: '2026-11-27T11:00:00.000Z', solutions: { clamav: { signatures: 8_700_000, databaseAgeHours: 3 } } },
        { hour: '2026-11-27T12:00:00.000Z', solutions: { clamav: { signatures: 9 } } },
      ],
    });
  });

  it('lets a backfill report move no facts, health, skew or update status', () => {
    const changes = agentChangesFromReport(
      report({ backfill: true, collectedAt: '2026-11-27T12:30:00Z', update: { auto: false, channel: 'stable' } }),
      stored,
      0,
      AGENT_PATH,
    );
    expect(changes).toEqual({});
  });

  it('lets a live report without an update status clear the stored one (an agent older than self-update)', () => {
    expect(agentChangesFromReport(report(), stored, 0, AGENT_PATH).update).toBeNull();
    expect(agentChangesFromReport(report({ update: { auto: false, channel: '1.4.0' } }), stored, 0, AGENT_PATH).update).toEqual({
      auto: false,
      channel: '1.4.0',
    });
  });

  it('lets a backfill report fill an hour the tests and metrics histories have no point for, in order', () => {
    const changes = agentChangesFromReport(report({ backfill: true, collectedAt: '2026-11-27T10:30:00Z' }), stored, 0, AGENT_PATH);
    expect(changes).toEqual({
      testsHistory: [
        { hour: '2026-11-27T10:00:00.000Z', passed: 1, failed: 0 },
        { hour: '2026-11-27T12:00:00.000Z', passed: 9, failed: 9 },
      ],
      metricsHistory: [
        { hour: '2026-11-27T10:00:00.000Z', solutions: { clamav: { signatures: 8_700_000, databaseAgeHours: 3 } } },
        { hour: '2026-11-27T12:00:00.000Z', solutions: { clamav: { signatures: 9 } } },
      ],
    });
  });

  it('lets a backfill report add a crash newer than the stored one, and only that', () => {
    const later = crash('2026-11-27T09:30:00.000Z');
    const withCrash = report({
      backfill: true,
      collectedAt: '2026-11-27T12:10:00Z',
      agentHealth: { version: '0.1.0', uptimeSeconds: 1, plugins: [], pluginErrors: 0, crashes: 1, lastCrash: later },
    });
    expect(agentChangesFromReport(withCrash, stored, 0, AGENT_PATH)).toEqual({ health: { ...storedHealth, lastCrash: later } });
  });
});

describe('summaryChanged', () => {
  const summary = { solutions: ['clamav', 'fail2ban'], testsPassed: 2, testsFailed: 1 };

  it('is false for the same summary and for a report that brings none (backfill)', () => {
    expect(summaryChanged({ ...summary, solutions: [...summary.solutions] }, summary)).toBe(false);
    expect(summaryChanged(summary, undefined)).toBe(false);
  });

  it('is true when a count or the solutions differ, or the stored one is missing or malformed', () => {
    expect(summaryChanged(summary, { ...summary, testsFailed: 0 })).toBe(true);
    expect(summaryChanged(summary, { ...summary, testsPassed: 3 })).toBe(true);
    expect(summaryChanged(summary, { ...summary, solutions: ['clamav'] })).toBe(true);
    expect(summaryChanged(summary, { ...summary, solutions: ['clamav', 'nginx'] })).toBe(true);
    expect(summaryChanged(undefined, summary)).toBe(true);
    expect(summaryChanged({ solutions: 'clamav' }, summary)).toBe(true);
  });
});
