import { describe, expect, it } from 'vitest';
import { packMetricsHistory, packTestsHistory, unpackHistory } from './cache-packing.js';

const hour = (index: number) => new Date(Date.UTC(2026, 10, 27, index)).toISOString();

describe('packing the cached histories', () => {
  it('round-trips a tests history', () => {
    const history = [0, 1, 2].map((index) => ({ hour: hour(index), passed: index, failed: 2 * index }));
    const packed = packTestsHistory(history);
    expect(packed).not.toBe(history);
    expect(unpackHistory(packed)).toEqual(history);
  });

  it('round-trips a metrics history, hours without some metrics and keys that are data included', () => {
    const history = [
      { hour: hour(0), solutions: { clamav: { signatures: 1.5, age: 3 }, constructor: { x: -0.25 } } },
      { hour: hour(1), solutions: JSON.parse('{"__proto__": {"y": 2}, "clamav": {"signatures": 2}}') as Record<string, Record<string, number>> },
      { hour: hour(2), solutions: {} },
    ];
    const packed = packMetricsHistory(history);
    expect(packed).toMatchObject({ packed: 'metricsHistory' });
    const unpacked = unpackHistory(packed) as typeof history;
    expect(unpacked).toEqual(history);
    expect(Object.hasOwn(unpacked[1]!.solutions, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(unpacked[1]!.solutions)).toBe(Object.prototype);
  });

  it('leaves anything not of the shape ingest writes as it is', () => {
    const odd = [
      [{ hour: 'yesterday', passed: 1, failed: 0 }],
      [{ hour: hour(0), passed: 1.5, failed: 0 }],
      [{ hour: hour(0), passed: 1, failed: 0, extra: true }],
      'not a list',
      null,
    ];
    for (const value of odd) expect(packTestsHistory(value)).toBe(value);
    const oddMetrics = [
      [{ hour: hour(0), solutions: { clamav: { signatures: 'many' } } }],
      [{ hour: hour(0), solutions: { clamav: {} } }],
      [{ hour: hour(0), solutions: [] }],
      [{ hour: '2026-11-27T00:00:00Z', solutions: {} }],
    ];
    for (const value of oddMetrics) expect(packMetricsHistory(value)).toBe(value);
    expect(unpackHistory(odd[0])).toBe(odd[0]);
  });
});
