import type { HistoryPoint } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { agentFromDoc } from '../model/agent';
import { ackApplies, metricSeries, testSeries } from './test-series';

describe('history series', () => {
  // state/current's history: the recorded reports (changes, failure-streak steps, checkpoints).
  const points: HistoryPoint[] = [
    { reportId: 'r1', collectedAt: '2026-01-01T00:00:00Z', passed: 1, failed: 0, solutions: { ufw: { tests: { on: true }, metrics: {} } } },
    { reportId: 'r2', collectedAt: '2026-01-01T00:05:00Z', passed: 0, failed: 0, solutions: {} },
    { reportId: 'r3', collectedAt: '2026-01-01T00:10:00Z', passed: 0, failed: 1, solutions: { ufw: { tests: { on: false }, metrics: {} } } },
  ];

  it('gives each test its results in the recorded reports', () => {
    expect(testSeries(points, 'ufw', 'on')).toEqual([true, null, false]);
    expect(testSeries(points, 'ufw', 'constructor')).toEqual([null, null, null]);
  });

  it('gives each metric one point an hour from the agent document, in hour order, skipping hours without the solution', () => {
    const agent = agentFromDoc('a1', {
      name: 'a1',
      metrics: { ufw: { rules: 5 } },
      metricsHistory: [
        { hour: '2026-01-01T02:00:00.000Z', solutions: { ufw: { rules: 5, 'not a number': 'x' } } },
        { hour: '2026-01-01T00:00:00.000Z', solutions: { ufw: { rules: 3 } } },
        { hour: '2026-01-01T01:00:00.000Z', solutions: { clamav: { signatures: 9 } } },
        { hour: 'not a time', solutions: { ufw: { rules: 99 } } },
      ],
    });
    expect(agent.metrics).toEqual({ ufw: { rules: 5 } });
    const series = metricSeries(agent.metricsHistory, 'ufw');
    expect([...series.keys()]).toEqual(['rules']);
    expect(series.get('rules')).toEqual([
      { time: Date.parse('2026-01-01T00:00:00.000Z'), value: 3 },
      { time: Date.parse('2026-01-01T02:00:00.000Z'), value: 5 },
    ]);
    expect(metricSeries(agent.metricsHistory, '__proto__').size).toBe(0);
  });

  it('reads an agent document from before metrics moved there as having none', () => {
    const older = agentFromDoc('a1', { name: 'a1', metrics: 'odd', metricsHistory: { not: 'a list' } });
    expect(older.metrics).toEqual({});
    expect(older.metricsHistory).toEqual([]);
    expect(agentFromDoc('a2', { name: 'a2' }).metricsHistory).toEqual([]);
  });

  it('applies an acknowledgement only to the failure streak it names', () => {
    expect(ackApplies({ failingSince: 'x' }, 'x')).toBe(true);
    expect(ackApplies({ failingSince: 'x' }, 'y')).toBe(false);
    expect(ackApplies({ failingSince: 'x' }, undefined)).toBe(false);
    expect(ackApplies(undefined, 'x')).toBe(false);
  });
});
