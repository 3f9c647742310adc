import { describe, expect, it } from 'vitest';
import { HOURS_KEPT, fillTestsHistoryGap, updateTestsHistory } from './tests-history.js';

describe('updateTestsHistory', () => {
  it('keeps one bucket per hour, the latest report of the hour winning', () => {
    let history = updateTestsHistory(undefined, '2026-11-27T10:05:00Z', 5, 1);
    history = updateTestsHistory(history, '2026-11-27T10:55:00Z', 6, 0);
    history = updateTestsHistory(history, '2026-11-27T11:00:00Z', 4, 2);
    expect(history).toEqual([
      { hour: '2026-11-27T10:00:00.000Z', passed: 6, failed: 0 },
      { hour: '2026-11-27T11:00:00.000Z', passed: 4, failed: 2 },
    ]);
  });

  it('drops garbage and keeps only the newest hours', () => {
    let history = updateTestsHistory([{ hour: 1 }, null, 'x'], '2026-11-01T00:00:00Z', 1, 0);
    expect(history).toHaveLength(1);
    for (let hour = 1; hour <= HOURS_KEPT + 5; hour += 1) {
      history = updateTestsHistory(history, new Date(Date.parse('2026-11-01T00:00:00Z') + hour * 3_600_000).toISOString(), hour, 0);
    }
    expect(history).toHaveLength(HOURS_KEPT);
    expect(history.at(-1)!.passed).toBe(HOURS_KEPT + 5);
  });
});

describe('fillTestsHistoryGap', () => {
  const history = [
    { hour: '2026-11-27T09:00:00.000Z', passed: 1, failed: 0 },
    { hour: '2026-11-27T12:00:00.000Z', passed: 2, failed: 0 },
  ];

  it('adds the bucket of an hour that has none, in order', () => {
    expect(fillTestsHistoryGap(history, '2026-11-27T10:59:00Z', 3, 1)).toEqual([
      history[0],
      { hour: '2026-11-27T10:00:00.000Z', passed: 3, failed: 1 },
      history[1],
    ]);
  });

  it('leaves an hour that has a bucket alone: a live report set it', () => {
    expect(fillTestsHistoryGap(history, '2026-11-27T12:30:00Z', 3, 1)).toBeUndefined();
  });

  it('changes nothing for an hour older than all the hours kept', () => {
    const full = Array.from({ length: HOURS_KEPT }, (_, index) => ({
      hour: new Date(Date.parse('2026-11-01T00:00:00Z') + index * 3_600_000).toISOString(),
      passed: index,
      failed: 0,
    }));
    expect(fillTestsHistoryGap(full, '2026-10-31T12:00:00Z', 3, 1)).toBeUndefined();
  });
});
