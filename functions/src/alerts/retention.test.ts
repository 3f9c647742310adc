import { describe, expect, it } from 'vitest';
import {
  backfillDecision,
  expiresAt,
  LOWERED_RETENTION_SLACK_MS,
  loweredRetentionSettled,
  retentionCutoff,
  retentionDays,
  retentionLowered,
  SWEEP_BUDGET_MS,
} from './retention.js';
import { SCHEDULES } from '../schedules/schedules.js';

const DAY = 86_400_000;

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

describe('a lowered retention', () => {
  it('is a usable value replaced by a smaller one', () => {
    expect(retentionLowered(30, 7)).toBe(true);
    expect(retentionLowered(7, 30)).toBe(false);
    expect(retentionLowered(30, 30)).toBe(false);
    expect(retentionLowered(undefined, 7)).toBe(false);
    expect(retentionLowered(30, undefined)).toBe(false);
    expect(retentionLowered(30, 0)).toBe(false);
  });

  it('is settled once everything written before it (and the slack) is past the cut-off', () => {
    const lowered = Date.parse('2026-12-02T00:00:00Z');
    const settledAt = lowered + 7 * DAY + LOWERED_RETENTION_SLACK_MS;
    expect(loweredRetentionSettled(lowered, 7, lowered)).toBe(false);
    expect(loweredRetentionSettled(settledAt - 1, 7, lowered)).toBe(false);
    expect(loweredRetentionSettled(settledAt, 7, lowered)).toBe(true);
  });
});

describe('the backfill of documents without expireAt', () => {
  const now = Date.parse('2026-12-02T00:00:00Z');

  it('deletes what its workspace retention has passed and stamps the rest with their expiry', () => {
    expect(backfillDecision(now - 7 * DAY, 7, now)).toEqual({ delete: true });
    expect(backfillDecision(now - 8 * DAY, 7, now)).toEqual({ delete: true });
    expect(backfillDecision(now - 6 * DAY, 7, now)).toEqual({ delete: false, expireAt: new Date(now + DAY) });
    expect(backfillDecision(now - 6 * DAY, undefined, now)).toEqual({ delete: false, expireAt: new Date(now + 24 * DAY) });
  });
});

describe('the sweep budget', () => {
  it('leaves time within pruneOldData timeout to flush what was queued', () => {
    const timeoutMs = (SCHEDULES.pruneOldData.timeoutSeconds ?? 60) * 1000;
    expect(SWEEP_BUDGET_MS).toBeLessThanOrEqual(timeoutMs - 60_000);
    expect(SCHEDULES.pruneOldData.schedule).toBe('every 1 hours');
  });
});
