import type { HistoryPoint } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { filterAgents, NO_FILTERS, solutionsInUse } from './agent-filters';
import { diffValues } from './config-diff';
import { agentFromDoc, type AgentView } from '../model/agent';
import { agentsNeedingAttention, fleetTestsHistory, overviewCounts } from './overview-figures';
import { draftFrom, validateSettings } from './workspace-settings-draft';
import { ackApplies, metricSeries, testSeries } from './test-series';

function agent(id: string, fields: Record<string, unknown> = {}): AgentView {
  return agentFromDoc(id, { name: id, status: 'online', summary: { solutions: [], testsPassed: 0, testsFailed: 0 }, ...fields });
}

describe('overview', () => {
  const agents = [
    agent('a', { summary: { solutions: ['clamav', 'ufw'], testsPassed: 5, testsFailed: 1 } }),
    agent('b', { status: 'offline', summary: { solutions: ['ufw'], testsPassed: 3, testsFailed: 0 } }),
    agent('c', { status: 'never-seen' }),
  ];

  it('counts agents by status, solutions and tests', () => {
    expect(overviewCounts(agents)).toMatchObject({
      agents: 3,
      online: 1,
      offline: 1,
      neverSeen: 1,
      solutionsInstalled: 3,
      solutionKinds: 2,
      testsPassed: 8,
      testsTotal: 9,
      agentsFailing: 1,
    });
    expect(agentsNeedingAttention(agents, 5).map((a) => a.id)).toEqual(['a']);
  });

  it('counts a revoked agent as revoked, not online: it stays silent on purpose and is never marked offline', () => {
    const revoked = agent('r', { status: 'online', revokedAt: { toDate: () => new Date() } });
    expect(overviewCounts([...agents, revoked])).toMatchObject({ agents: 4, online: 1, offline: 1, neverSeen: 1, revoked: 1 });
  });

  it('sums hourly buckets across agents and leaves out hours nobody reported in', () => {
    const now = new Date('2026-01-02T12:30:00Z');
    const history = fleetTestsHistory(
      [
        agent('a', {
          testsHistory: [
            { hour: '2026-01-02T10:00:00.000Z', passed: 4, failed: 1 },
            { hour: '2026-01-02T12:00:00.000Z', passed: 5, failed: 0 },
          ],
        }),
        agent('b', {
          testsHistory: [
            { hour: '2026-01-02T12:00:00.000Z', passed: 2, failed: 2 },
            { hour: '2025-12-01T12:00:00.000Z', passed: 9, failed: 9 },
          ],
        }),
      ],
      now,
    );
    expect(history).toEqual([
      { hour: '2026-01-02T10:00:00.000Z', passed: 4, failed: 1 },
      { hour: '2026-01-02T12:00:00.000Z', passed: 7, failed: 2 },
    ]);
  });
});

describe('agent filters', () => {
  const agents = [
    agent('web-1', { host: { hostname: 'web.example' }, summary: { solutions: ['clamav'], testsPassed: 1, testsFailed: 2 } }),
    agent('db-1', { status: 'offline', summary: { solutions: ['ufw'], testsPassed: 1, testsFailed: 0 } }),
    agent('old', { revokedAt: { toDate: () => new Date() } }),
  ];
  const ids = (filters: Partial<typeof NO_FILTERS>) => filterAgents(agents, { ...NO_FILTERS, ...filters }).map((a) => a.id);

  it('searches names and host facts, and filters by status, solution and failing', () => {
    expect(ids({})).toEqual(['web-1', 'db-1', 'old']);
    expect(ids({ search: 'WEB.example' })).toEqual(['web-1']);
    expect(ids({ status: 'offline' })).toEqual(['db-1']);
    expect(ids({ status: 'revoked' })).toEqual(['old']);
    expect(ids({ status: 'online' })).toEqual(['web-1']);
    expect(ids({ solution: 'ufw' })).toEqual(['db-1']);
    expect(ids({ failingOnly: true })).toEqual(['web-1']);
    expect(solutionsInUse(agents)).toEqual(['clamav', 'ufw']);
  });
});

describe('settings form', () => {
  const valid = draftFrom('Home', { retentionDays: 30, reportingIntervalSeconds: 300, failedTestThreshold: 1 });

  it('accepts whole numbers within the bounds of the schema and the rules', () => {
    expect(validateSettings(valid).value).toEqual({
      name: 'Home',
      settings: { retentionDays: 30, reportingIntervalSeconds: 300, failedTestThreshold: 1 },
    });
    expect(validateSettings({ ...valid, retentionDays: '365', reportingIntervalSeconds: '86400', failedTestThreshold: '100' }).value).toBeDefined();
  });

  it.each([
    ['retentionDays', '0'],
    ['retentionDays', '366'],
    ['retentionDays', '1.5'],
    ['reportingIntervalSeconds', '59'],
    ['reportingIntervalSeconds', '86401'],
    ['failedTestThreshold', '0'],
    ['failedTestThreshold', 'abc'],
    ['failedTestThreshold', ''],
    ['name', '  '],
  ] as const)('refuses %s = %j with a message', (field, text) => {
    const result = validateSettings({ ...valid, [field]: text });
    expect(result.value).toBeUndefined();
    expect(result.errors[field]).toMatch(/\w/);
  });
});

describe('history series', () => {
  const points: HistoryPoint[] = [
    { reportId: 'r1', collectedAt: '2026-01-01T00:00:00Z', passed: 1, failed: 0, solutions: { ufw: { tests: { on: true }, metrics: { rules: 3 } } } },
    { reportId: 'r2', collectedAt: '2026-01-01T00:05:00Z', passed: 0, failed: 0, solutions: {} },
    {
      reportId: 'r3',
      collectedAt: '2026-01-01T00:10:00Z',
      passed: 0,
      failed: 1,
      solutions: { ufw: { tests: { on: false }, metrics: { rules: 5 } } },
    },
  ];

  it('gives each test its results and each metric its points', () => {
    expect(testSeries(points, 'ufw', 'on')).toEqual([true, null, false]);
    expect(metricSeries(points, 'ufw').get('rules')).toEqual([
      { time: Date.parse('2026-01-01T00:00:00Z'), value: 3 },
      { time: Date.parse('2026-01-01T00:10:00Z'), value: 5 },
    ]);
  });

  it('applies an acknowledgement only to the failure streak it names', () => {
    expect(ackApplies({ failingSince: 'x' }, 'x')).toBe(true);
    expect(ackApplies({ failingSince: 'x' }, 'y')).toBe(false);
    expect(ackApplies({ failingSince: 'x' }, undefined)).toBe(false);
    expect(ackApplies(undefined, 'x')).toBe(false);
  });
});

describe('configuration diffs', () => {
  it('diffs lists item by item and other values as before and after', () => {
    expect(diffValues(['22'], ['22', '2222'])).toEqual({ kind: 'list', removed: [], added: ['2222'], kept: ['22'] });
    expect(diffValues('no', 'yes')).toEqual({ kind: 'value', before: 'no', after: 'yes' });
    expect(diffValues(null, 3)).toEqual({ kind: 'value', before: null, after: '3' });
  });
});
