import { describe, expect, it } from 'vitest';
import { BACKOFF, retryDelayMs } from './backoff.js';

const almostOne = () => 0.999_999;

describe('retryDelayMs', () => {
  it('is 0 without failures', () => {
    expect(retryDelayMs(0, almostOne)).toBe(0);
  });

  it('doubles its ceiling with each failure up to the cap', () => {
    const ceilings = Array.from({ length: 12 }, (_, index) => retryDelayMs(index + 1, almostOne));
    expect(ceilings.slice(0, 8)).toEqual([4_999, 9_999, 19_999, 39_999, 79_999, 159_999, 319_999, 639_999]);
    expect(ceilings.slice(8)).toEqual([899_999, 899_999, 899_999, 899_999]);
    expect(retryDelayMs(10_000, almostOne)).toBe(899_999);
  });

  it('draws uniformly below the ceiling (full jitter) but never below the floor', () => {
    expect(retryDelayMs(4, () => 0.5)).toBe(20_000);
    expect(retryDelayMs(4, () => 0)).toBe(BACKOFF.floorMs);
    expect(retryDelayMs(30, () => 0.5)).toBe(BACKOFF.capMs / 2);
  });

  it('survives a broken random source', () => {
    expect(retryDelayMs(1, () => 7)).toBe(BACKOFF.baseMs);
    expect(retryDelayMs(1, () => -1)).toBe(BACKOFF.floorMs);
  });
});
