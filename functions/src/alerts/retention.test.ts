import { describe, expect, it } from 'vitest';
import { retentionCutoff, retentionDays } from './retention.js';

describe('retention', () => {
  it('clamps the workspace setting to 1..365 and defaults to 30', () => {
    expect(retentionDays(7)).toBe(7);
    expect(retentionDays(0)).toBe(1);
    expect(retentionDays(1000)).toBe(365);
    expect(retentionDays(undefined)).toBe(30);
    expect(retentionDays('90')).toBe(30);
    expect(retentionDays(Number.NaN)).toBe(30);
  });

  it('cuts off whole days before now', () => {
    expect(retentionCutoff(Date.parse('2026-11-27T00:00:00Z'), 30).toISOString()).toBe('2026-10-28T00:00:00.000Z');
  });
});
