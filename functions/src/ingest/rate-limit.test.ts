import { describe, expect, it } from 'vitest';
import { BURST_CAPACITY, MIN_MS_PER_TOKEN, takeIngestToken, type IngestBudget } from './rate-limit.js';

const INTERVAL = 300;

function drain(count: number, nowMs: number, start?: IngestBudget) {
  let budget: IngestBudget | undefined = start;
  for (let i = 0; i < count; i += 1) {
    const decision = takeIngestToken(budget, nowMs, INTERVAL);
    if (!decision.allowed) return { budget, refusedAt: i, retryAfterSeconds: decision.retryAfterSeconds };
    budget = decision.budget;
  }
  return { budget, refusedAt: undefined, retryAfterSeconds: undefined };
}

describe('takeIngestToken', () => {
  it('lets a new agent burst up to the capacity (a spool draining after an outage)', () => {
    const result = drain(BURST_CAPACITY + 5, 0);
    expect(result.refusedAt).toBe(BURST_CAPACITY);
  });

  it('tells a refused agent when one token will be back', () => {
    const { retryAfterSeconds } = drain(BURST_CAPACITY + 1, 0);
    expect(retryAfterSeconds).toBe(75); // 300 s interval / 4 refills
  });

  it('never refuses an agent that keeps to its interval', () => {
    let budget: IngestBudget | undefined;
    for (let tick = 0; tick < 1000; tick += 1) {
      const decision = takeIngestToken(budget, tick * INTERVAL * 1000, INTERVAL);
      expect(decision.allowed).toBe(true);
      if (decision.allowed) budget = decision.budget;
    }
  });

  it('refuses an agent that sustains far more than its interval allows', () => {
    let budget: IngestBudget | undefined;
    let refused = 0;
    for (let second = 0; second < 3600; second += 10) {
      const decision = takeIngestToken(budget, second * 1000, INTERVAL);
      if (decision.allowed) budget = decision.budget;
      else refused += 1;
    }
    // 360 attempts over 3,590 s; the bucket allows its 30 plus 47 whole refills (one per 75 s).
    expect(refused).toBe(360 - 77);
  });

  it('ignores a corrupt stored budget and a clock that went backwards', () => {
    expect(takeIngestToken({ tokens: 'x' }, 0, INTERVAL).allowed).toBe(true);
    const decision = takeIngestToken({ tokens: 0, updatedAtMs: 10_000 }, 0, INTERVAL);
    expect(decision.allowed).toBe(false);
  });

  it('never sustains more than one report per second, even at a 1 s interval', () => {
    expect(MIN_MS_PER_TOKEN).toBe(1000);
    let budget: IngestBudget | undefined;
    let allowed = 0;
    // an agent trying every 100 ms for 100 s
    for (let ms = 0; ms < 100_000; ms += 100) {
      const decision = takeIngestToken(budget, ms, 1);
      if (decision.allowed) {
        budget = decision.budget;
        allowed += 1;
      }
    }
    // the burst, then one per second: 30 + 99 whole seconds' refills
    expect(allowed).toBe(BURST_CAPACITY + 99);
  });
});
