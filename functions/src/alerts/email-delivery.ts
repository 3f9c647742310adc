// How an email's delivery moves between states (see EMAIL_STATES in @vigil/schema): when a function
// run may claim it, how long it waits after a failed attempt, when it gives up, and the clock hours
// of the per-workspace cap. Pure: the callers supply the clock and the stored fields (as millis).
import { EMAIL_DELIVERY, type EmailReason, type EmailState } from '@vigil/schema';

/** The stored delivery fields a decision needs, Timestamps already turned into millis. */
export interface DeliveryFields {
  state: EmailState;
  attempts?: number;
  leaseUntilMs?: number | null;
  nextAttemptAtMs?: number | null;
}

export type ClaimDecision = 'claim' | 'not_due' | 'give_up';

/** An attempt that failed: whether trying again can help, and how long SendGrid asked us to wait. */
export interface SendFailure {
  retryable: boolean;
  retryAfterMs: number | null;
}

/**
 * Whether a run may claim this email now. The trigger claims a pending email at once; the sweep only
 * one pending for longer than its trigger needs (it was lost: a crash, an exhausted retry), a
 * retry whose time has come, or a claim whose lease expired (its run died). An expired claim that
 * already used the last attempt is given up instead.
 */
export function claimDecision(email: DeliveryFields, at: { nowMs: number; createdAtMs: number; by: 'trigger' | 'sweep' }): ClaimDecision {
  const attempts = email.attempts ?? 0;
  switch (email.state) {
    case 'pending':
      return at.by === 'trigger' || at.nowMs - at.createdAtMs >= EMAIL_DELIVERY.sweepPendingAfterSeconds * 1000 ? 'claim' : 'not_due';
    case 'retrying':
      return (email.nextAttemptAtMs ?? 0) <= at.nowMs ? 'claim' : 'not_due';
    case 'sending':
      if ((email.leaseUntilMs ?? 0) > at.nowMs) return 'not_due';
      return attempts >= EMAIL_DELIVERY.maxAttempts ? 'give_up' : 'claim';
    default:
      return 'not_due';
  }
}

/** The wait after `attempts` failed attempts: 1 minute, doubling, at most an hour. */
export function retryDelayMs(attempts: number): number {
  const doublings = Math.max(0, attempts - 1);
  return Math.min(EMAIL_DELIVERY.firstRetrySeconds * 2 ** doublings, EMAIL_DELIVERY.maxRetrySeconds) * 1000;
}

/** Where an email goes after its `attempts`-th attempt failed. */
export function afterFailure(input: {
  attempts: number;
  failure: SendFailure;
  nowMs: number;
}): { state: 'retrying'; nextAttemptAtMs: number } | { state: 'failed'; reason: EmailReason } {
  if (!input.failure.retryable) return { state: 'failed', reason: 'rejected' };
  if (input.attempts >= EMAIL_DELIVERY.maxAttempts) return { state: 'failed', reason: 'gave_up' };
  const wait = Math.max(retryDelayMs(input.attempts), input.failure.retryAfterMs ?? 0);
  return { state: 'retrying', nextAttemptAtMs: input.nowMs + wait };
}

/**
 * What a failed send leaves on its record: `afterFailure`'s decision with the send's error text, a
 * retry time when it will be tried again. The event email and the hour's summary share it.
 */
export function failedSendOutcome(input: { attempts: number; failure: SendFailure & { message: string }; nowMs: number }) {
  const next = afterFailure(input);
  const outcome =
    next.state === 'retrying'
      ? { state: 'retrying' as const, error: input.failure.message, nextAttemptAtMs: next.nextAttemptAtMs }
      : { ...next, error: input.failure.message };
  return { next, outcome };
}

/** The clock hour (UTC) a moment falls in, as a document id: "2026-12-01T21". */
export function hourKey(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 13);
}

export function hourEndMs(hour: string): number {
  return Date.parse(`${hour}:00:00.000Z`) + 3_600_000;
}

/** Whether the sweep may claim an hour's summary email: only once the hour is over (its count is final). */
export function summaryDue(summary: DeliveryFields, at: { nowMs: number; hourEndMs: number }): ClaimDecision {
  if (at.nowMs < at.hourEndMs) return 'not_due';
  return claimDecision(summary, { nowMs: at.nowMs, createdAtMs: Number.NEGATIVE_INFINITY, by: 'sweep' });
}
