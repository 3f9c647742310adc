import { ENROLLMENT_TOKEN_LIMITS } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { enrollDecision, storedLabels, takeEnrollment, tokenExpiry, tokenRefusal } from './enrollment-policy.js';

const NOW = Date.parse('2026-12-02T10:00:00Z');
const DAY = 86_400_000;

describe('tokenExpiry', () => {
  it('is 7 days by default, or the days asked for', () => {
    expect(tokenExpiry({}, NOW)).toEqual({ expiresAtMs: NOW + 7 * DAY });
    expect(tokenExpiry({ expiresInDays: 30 }, NOW)).toEqual({ expiresAtMs: NOW + 30 * DAY });
  });

  it('takes a date in the next 365 days and refuses the past and beyond', () => {
    expect(tokenExpiry({ expiresAt: '2026-12-09T10:00:00Z' }, NOW)).toEqual({ expiresAtMs: NOW + 7 * DAY });
    expect(tokenExpiry({ expiresAt: '2026-12-02T09:00:00Z' }, NOW)).toEqual({ problem: 'expiresAt must be in the future' });
    expect(tokenExpiry({ expiresAt: '2027-12-03T10:00:00Z' }, NOW)).toEqual({ problem: 'expiresAt must be at most 365 days from now' });
  });
});

describe('tokenRefusal', () => {
  const live = { revoked: false, expiresAtMs: NOW + DAY, maxUses: 3, uses: 2 };
  it('lets a live token with uses left enroll', () => {
    expect(tokenRefusal(live, NOW)).toBeUndefined();
    expect(tokenRefusal({ ...live, maxUses: null, uses: 1_000_000 }, NOW)).toBeUndefined();
  });

  it('says revoked, expired or used up, revocation first', () => {
    expect(tokenRefusal({ ...live, uses: 3 }, NOW)).toBe('used up');
    expect(tokenRefusal({ ...live, expiresAtMs: NOW }, NOW)).toBe('expired');
    expect(tokenRefusal({ ...live, revoked: true, expiresAtMs: NOW, uses: 3 }, NOW)).toBe('revoked');
  });
});

describe('takeEnrollment', () => {
  it('allows a burst, then one enrollment per second', () => {
    let budget: unknown;
    for (let i = 0; i < ENROLLMENT_TOKEN_LIMITS.burst; i += 1) {
      const decision = takeEnrollment(budget, NOW);
      expect(decision.allowed).toBe(true);
      if (decision.allowed) budget = decision.budget;
    }
    expect(takeEnrollment(budget, NOW)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    const later = takeEnrollment(budget, NOW + 1000);
    expect(later.allowed).toBe(true);
    if (later.allowed) expect(takeEnrollment(later.budget, NOW + 1000).allowed).toBe(false);
  });

  it('starts full from a malformed budget and refills nothing when the clock goes back', () => {
    expect(takeEnrollment({ tokens: 'lots' }, NOW)).toEqual({
      allowed: true,
      budget: { tokens: ENROLLMENT_TOKEN_LIMITS.burst - 1, updatedAtMs: NOW },
    });
    expect(takeEnrollment({ tokens: 0.5, updatedAtMs: NOW + 60_000 }, NOW).allowed).toBe(false);
  });
});

describe('storedLabels', () => {
  it('keeps text values of a map and nothing else', () => {
    expect(storedLabels({ env: 'prod', bad: 3 })).toEqual({ env: 'prod' });
    expect(storedLabels(null)).toEqual({});
    expect(storedLabels(['x'])).toEqual({});
    expect(storedLabels('env=prod')).toEqual({});
  });
});

describe('enrollDecision', () => {
  it('creates an agent named after the host with the labels merged, the token winning', () => {
    expect(enrollDecision({ existing: undefined, hostname: 'web-1', tokenLabels: { env: 'prod' }, hostLabels: { env: 'dev', rack: '7' } })).toEqual({
      action: 'create',
      name: 'web-1',
      labels: { env: 'prod', rack: '7' },
    });
  });

  it('cuts a long hostname to the longest agent name', () => {
    const decision = enrollDecision({ existing: undefined, hostname: `${'h'.repeat(120)}.example.com`, tokenLabels: {}, hostLabels: {} });
    expect(decision).toMatchObject({ action: 'create', name: 'h'.repeat(100) });
  });

  it("re-keys the machine's agent, keeping its labels under the enrollment's", () => {
    const decision = enrollDecision({
      existing: { agentId: 'a1', labels: { team: 'ops', env: 'dev' } },
      hostname: 'web-1',
      tokenLabels: { env: 'prod' },
      hostLabels: {},
    });
    expect(decision).toEqual({ action: 'reuse', agentId: 'a1', labels: { team: 'ops', env: 'prod' } });
  });

  it('refuses more than 20 labels in all, saying how many', () => {
    const labels = (prefix: string, count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, 'v']));
    expect(enrollDecision({ existing: undefined, hostname: 'h', tokenLabels: labels('t', 12), hostLabels: labels('h', 9) })).toEqual({
      action: 'refuse',
      problem: "the host's labels and the token's make 21; an agent has at most 20",
    });
    expect(
      enrollDecision({ existing: { agentId: 'a', labels: labels('a', 15) }, hostname: 'h', tokenLabels: labels('t', 6), hostLabels: {} }),
    ).toMatchObject({
      action: 'refuse',
    });
    expect(enrollDecision({ existing: undefined, hostname: 'h', tokenLabels: labels('x', 12), hostLabels: labels('x', 12) })).toMatchObject({
      action: 'create',
    });
  });
});
