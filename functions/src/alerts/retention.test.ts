import { describe, expect, it } from 'vitest';
import { expiresAt, retentionCutoff, retentionDays } from './retention.js';

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

describe('expiresAt', () => {
  it('is the write time plus the retention days, clamped like retentionDays', () => {
    const t = Date.parse('2026-12-02T00:00:00Z');
    expect(expiresAt(t, 7).toISOString()).toBe('2026-12-09T00:00:00.000Z');
    expect(expiresAt(t, undefined).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(expiresAt(t, 9999).getTime()).toBe(t + 365 * 86_400_000);
  });
});
