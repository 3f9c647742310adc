import { EMAIL_DELIVERY } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { afterFailure, claimDecision, failedSendOutcome, hourEndMs, hourKey, retryDelayMs, summaryDue } from './email-delivery.js';

const NOW = Date.parse('2026-12-01T21:30:00Z');
const MINUTE = 60_000;

describe('claimDecision', () => {
  const created = NOW - 10 * MINUTE;

  it('lets the trigger claim a pending email at once, and the sweep only one its trigger missed', () => {
    expect(claimDecision({ state: 'pending' }, { nowMs: NOW, createdAtMs: NOW, by: 'trigger' })).toBe('claim');
    expect(claimDecision({ state: 'pending' }, { nowMs: NOW, createdAtMs: NOW - MINUTE, by: 'sweep' })).toBe('not_due');
    expect(
      claimDecision({ state: 'pending' }, { nowMs: NOW, createdAtMs: NOW - (EMAIL_DELIVERY.sweepPendingAfterSeconds + 1) * 1000, by: 'sweep' }),
    ).toBe('claim');
  });

  it('reclaims a claim whose lease expired (the run crashed), never one still held', () => {
    const held = { state: 'sending' as const, attempts: 1, leaseUntilMs: NOW + MINUTE };
    const expired = { state: 'sending' as const, attempts: 1, leaseUntilMs: NOW - 1 };
    for (const by of ['trigger', 'sweep'] as const) {
      expect(claimDecision(held, { nowMs: NOW, createdAtMs: created, by })).toBe('not_due');
      expect(claimDecision(expired, { nowMs: NOW, createdAtMs: created, by })).toBe('claim');
    }
  });

  it('retries at nextAttemptAt, not before', () => {
    expect(claimDecision({ state: 'retrying', attempts: 2, nextAttemptAtMs: NOW + 1 }, { nowMs: NOW, createdAtMs: created, by: 'sweep' })).toBe(
      'not_due',
    );
    expect(claimDecision({ state: 'retrying', attempts: 2, nextAttemptAtMs: NOW }, { nowMs: NOW, createdAtMs: created, by: 'sweep' })).toBe('claim');
  });

  it('gives up an expired claim that used the last attempt, and never touches a final state', () => {
    const last = { state: 'sending' as const, attempts: EMAIL_DELIVERY.maxAttempts, leaseUntilMs: NOW - 1 };
    expect(claimDecision(last, { nowMs: NOW, createdAtMs: created, by: 'sweep' })).toBe('give_up');
    for (const state of ['sent', 'skipped', 'capped', 'failed'] as const) {
      expect(claimDecision({ state }, { nowMs: NOW, createdAtMs: created, by: 'sweep' })).toBe('not_due');
    }
  });
});

describe('retries', () => {
  it('back off exponentially from a minute, up to an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((attempts) => retryDelayMs(attempts) / MINUTE)).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it('retry a 5xx, a 408, a 429 and an unreachable SendGrid; a 429 not before its Retry-After', () => {
    expect(afterFailure({ attempts: 1, failure: { retryable: true, retryAfterMs: null }, nowMs: NOW })).toEqual({
      state: 'retrying',
      nextAttemptAtMs: NOW + MINUTE,
    });
    expect(afterFailure({ attempts: 1, failure: { retryable: true, retryAfterMs: 10 * MINUTE }, nowMs: NOW })).toEqual({
      state: 'retrying',
      nextAttemptAtMs: NOW + 10 * MINUTE,
    });
    // A Retry-After shorter than the backoff does not make us retry sooner.
    expect(afterFailure({ attempts: 3, failure: { retryable: true, retryAfterMs: 1000 }, nowMs: NOW })).toEqual({
      state: 'retrying',
      nextAttemptAtMs: NOW + 4 * MINUTE,
    });
  });

  it('end in failed: rejected for a refusal, gave_up after the last attempt', () => {
    expect(afterFailure({ attempts: 1, failure: { retryable: false, retryAfterMs: null }, nowMs: NOW })).toEqual({
      state: 'failed',
      reason: 'rejected',
    });
    expect(afterFailure({ attempts: EMAIL_DELIVERY.maxAttempts, failure: { retryable: true, retryAfterMs: null }, nowMs: NOW })).toEqual({
      state: 'failed',
      reason: 'gave_up',
    });
  });
});

describe('failedSendOutcome', () => {
  it('records a retry with its time, or the final state, with the send error either way', () => {
    const nowMs = Date.parse('2026-12-01T10:00:00Z');
    const retry = failedSendOutcome({ attempts: 1, failure: { retryable: true, retryAfterMs: null, message: '503 busy' }, nowMs });
    expect(retry.outcome).toEqual({ state: 'retrying', error: '503 busy', nextAttemptAtMs: nowMs + retryDelayMs(1) });
    const rejected = failedSendOutcome({ attempts: 1, failure: { retryable: false, retryAfterMs: null, message: '400 bad' }, nowMs });
    expect(rejected.outcome).toEqual({ state: 'failed', reason: 'rejected', error: '400 bad' });
    expect(rejected.next).toEqual({ state: 'failed', reason: 'rejected' });
  });
});

describe('hourly windows', () => {
  it('are clock hours in UTC', () => {
    expect(hourKey(NOW)).toBe('2026-12-01T21');
    expect(hourKey(Date.parse('2026-12-01T21:59:59.999Z'))).toBe('2026-12-01T21');
    expect(hourEndMs('2026-12-01T21')).toBe(Date.parse('2026-12-01T22:00:00Z'));
  });

  it('send their summary once the hour is over, retrying like an event', () => {
    const end = hourEndMs('2026-12-01T21');
    expect(summaryDue({ state: 'pending' }, { nowMs: end - 1, hourEndMs: end })).toBe('not_due');
    expect(summaryDue({ state: 'pending' }, { nowMs: end, hourEndMs: end })).toBe('claim');
    expect(summaryDue({ state: 'retrying', attempts: 1, nextAttemptAtMs: end + MINUTE }, { nowMs: end, hourEndMs: end })).toBe('not_due');
    expect(summaryDue({ state: 'sending', attempts: 1, leaseUntilMs: end - 1 }, { nowMs: end, hourEndMs: end })).toBe('claim');
    expect(summaryDue({ state: 'sent' }, { nowMs: end, hourEndMs: end })).toBe('not_due');
  });
});
