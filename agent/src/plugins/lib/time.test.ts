import { describe, expect, it } from 'vitest';
import { daysBetween, describeAge } from './time.js';

describe('describeAge', () => {
  it('says ages in words', () => {
    expect(describeAge(0.4)).toBe('less than an hour');
    expect(describeAge(1)).toBe('1 hour');
    expect(describeAge(36.5)).toBe('36 hours');
    expect(describeAge(221)).toBe('9 days');
  });
});

describe('daysBetween', () => {
  it('counts whole days, negative into the past', () => {
    expect(daysBetween(new Date('2026-11-01T00:00:00Z'), new Date('2026-11-27T12:00:00Z'))).toBe(26);
    expect(daysBetween(new Date('2026-11-27T00:00:00Z'), new Date('2026-11-01T00:00:00Z'))).toBe(-26);
  });
});
