import { HISTORY_POINTS, METRICS_KEPT_PER_SOLUTION, reportSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { validReport } from '../../../schema/src/test-fixtures.js';
import { fillMetricsHistoryGap, latestMetrics, updateMetricsHistory } from './agent-metrics.js';

describe('latestMetrics', () => {
  it('keeps each solution’s first METRICS_KEPT_PER_SOLUTION metrics, keys as data', () => {
    const input = validReport();
    input.solutions[0]!.metrics = Object.fromEntries(Array.from({ length: 15 }, (_, index) => [`m${index}`, index]));
    input.solutions.push({
      id: 'fail2ban',
      version: null,
      configuration: {},
      metrics: JSON.parse('{"__proto__": 7}') as Record<string, number>,
      tests: [],
    });
    const metrics = latestMetrics(reportSchema.parse(input));
    expect(Object.keys(metrics.clamav!)).toEqual(Array.from({ length: METRICS_KEPT_PER_SOLUTION }, (_, index) => `m${index}`));
    expect(Object.getPrototypeOf(metrics.fail2ban)).toBe(Object.prototype);
    expect(Object.keys(metrics)).toEqual(['clamav', 'fail2ban']);
  });
});

describe('updateMetricsHistory', () => {
  const at = (hour: number, minute = 0) => new Date(Date.UTC(2026, 10, 27, hour, minute)).toISOString();

  it('keeps the last value of each hour, in order, at most HISTORY_POINTS hours', () => {
    let history = updateMetricsHistory(undefined, at(10, 5), { clamav: { a: 1 } });
    history = updateMetricsHistory(history, at(10, 55), { clamav: { a: 2 } });
    history = updateMetricsHistory(history, at(11, 0), { clamav: { a: 3 } });
    expect(history).toEqual([
      { hour: at(10), solutions: { clamav: { a: 2 } } },
      { hour: at(11), solutions: { clamav: { a: 3 } } },
    ]);
    for (let hour = 0; hour < HISTORY_POINTS + 5; hour += 1)
      history = updateMetricsHistory(history, new Date(Date.UTC(2026, 10, 28) + hour * 3_600_000).toISOString(), {});
    expect(history).toHaveLength(HISTORY_POINTS);
    expect(history.at(-1)!.hour).toBe(new Date(Date.UTC(2026, 10, 28) + (HISTORY_POINTS + 4) * 3_600_000).toISOString());
  });

  it('drops malformed stored points rather than failing', () => {
    expect(updateMetricsHistory([{ hour: 3 }, null, 'x'], at(10), {})).toEqual([{ hour: at(10), solutions: {} }]);
  });

  it('a backfill report fills only an hour without a point', () => {
    const history = updateMetricsHistory(undefined, at(12), { clamav: { a: 1 } });
    expect(fillMetricsHistoryGap(history, at(12, 30), { clamav: { a: 9 } })).toBeUndefined();
    expect(fillMetricsHistoryGap(history, at(9, 30), { clamav: { a: 9 } })).toEqual([{ hour: at(9), solutions: { clamav: { a: 9 } } }, ...history]);
  });
});
