import { LIMITS } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { nextReceiptSequence, receiveCollectedAt } from './receipt.js';

const received = Date.parse('2026-11-27T10:00:00.000Z');

describe('receiveCollectedAt', () => {
  it('keeps a collection time within the allowed skew, and measures the skew', () => {
    expect(receiveCollectedAt('2026-11-27T09:59:30.000Z', received)).toEqual({ collectedAt: '2026-11-27T09:59:30.000Z', clockSkewSeconds: -30 });
    const ahead = new Date(received + LIMITS.clockSkewSeconds * 1000).toISOString();
    expect(receiveCollectedAt(ahead, received)).toEqual({ collectedAt: ahead, clockSkewSeconds: LIMITS.clockSkewSeconds });
  });

  it('clamps a collection time further ahead than the allowed skew to the receipt time, keeping what was sent', () => {
    expect(receiveCollectedAt('2099-01-01T00:00:00Z', received)).toEqual({
      collectedAt: '2026-11-27T10:00:00.000Z',
      sentCollectedAt: '2099-01-01T00:00:00Z',
      clockSkewSeconds: (Date.parse('2099-01-01T00:00:00Z') - received) / 1000,
    });
    const justBeyond = new Date(received + LIMITS.clockSkewSeconds * 1000 + 1).toISOString();
    expect(receiveCollectedAt(justBeyond, received).collectedAt).toBe('2026-11-27T10:00:00.000Z');
  });

  it('never clamps the past: a spooled report is legitimately old', () => {
    expect(receiveCollectedAt('1999-12-31T23:00:00+01:00', received)).toEqual({
      collectedAt: '1999-12-31T23:00:00+01:00',
      clockSkewSeconds: Math.round((Date.parse('1999-12-31T22:00:00Z') - received) / 1000),
    });
  });

  it('compares instants across time zones', () => {
    // 10:30+01:00 is 09:30Z: half an hour behind, not ahead, although it reads later.
    expect(receiveCollectedAt('2026-11-27T10:30:00+01:00', received)).toEqual({ collectedAt: '2026-11-27T10:30:00+01:00', clockSkewSeconds: -1800 });
  });
});

describe('nextReceiptSequence', () => {
  it('counts on from the stored sequence, starting at 1', () => {
    expect(nextReceiptSequence(undefined)).toBe(1);
    expect(nextReceiptSequence(41)).toBe(42);
  });

  it('starts again at 1 from anything that is not a count', () => {
    for (const stored of [null, -3, 1.5, '7', Number.NaN, Number.MAX_SAFE_INTEGER]) expect(nextReceiptSequence(stored)).toBe(1);
  });
});
