import { describe, expect, it } from 'vitest';
import { isSilent, missedIntervals } from './silence.js';

const minute = 60_000;

describe('isSilent', () => {
  it('calls an online agent silent after more than 3 missed intervals', () => {
    const agent = { status: 'online', lastSeenAtMs: 0, intervalSeconds: 300 };
    expect(isSilent(agent, 15 * minute)).toBe(false);
    expect(isSilent(agent, 15 * minute + 1)).toBe(true);
  });

  it('never calls never-seen or already offline agents silent', () => {
    expect(isSilent({ status: 'never-seen', lastSeenAtMs: null, intervalSeconds: 300 }, 99 * minute)).toBe(false);
    expect(isSilent({ status: 'offline', lastSeenAtMs: 0, intervalSeconds: 300 }, 99 * minute)).toBe(false);
  });

  it('falls back to the default interval when the stored one is unusable', () => {
    expect(isSilent({ status: 'online', lastSeenAtMs: 0, intervalSeconds: 'x' }, 16 * minute)).toBe(true);
    expect(missedIntervals(0, 60, 3 * minute)).toBe(3);
  });
});
