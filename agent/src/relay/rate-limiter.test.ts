import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('lets a burst through, then refills at the rate per minute', () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 3 });
    expect([1, 2, 3].map(() => limiter.take('10.0.0.5', 0).allowed)).toEqual([true, true, true]);
    expect(limiter.take('10.0.0.5', 0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('10.0.0.5', 999).allowed).toBe(false);
    expect(limiter.take('10.0.0.5', 1_000).allowed).toBe(true);
    // Never more than the burst, however long the client was quiet.
    const later = 3_600_000;
    expect([1, 2, 3, 4].map(() => limiter.take('10.0.0.5', later).allowed)).toEqual([true, true, true, false]);
  });

  it('keeps clients apart: one in a loop does not slow another', () => {
    const limiter = new RateLimiter({ perMinute: 6, burst: 1 });
    expect(limiter.take('10.0.0.5', 0).allowed).toBe(true);
    expect(limiter.take('10.0.0.5', 0)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    expect(limiter.take('10.0.0.6', 0).allowed).toBe(true);
  });

  it('remembers a bounded number of clients, forgetting refilled ones first', () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 1 }, 3);
    limiter.take('a', 0);
    limiter.take('b', 0);
    limiter.take('c', 0);
    expect(limiter.trackedClients).toBe(3);
    // At 2 s every bucket has refilled: all are forgotten, the newcomer starts alone.
    limiter.take('d', 2_000);
    expect(limiter.trackedClients).toBe(1);
    // A flood of new addresses while all buckets are empty still stays within the bound.
    for (let index = 0; index < 50; index += 1) limiter.take(`flood-${index}`, 2_000);
    expect(limiter.trackedClients).toBeLessThanOrEqual(3);
  });
});
