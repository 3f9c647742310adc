import { describe, expect, it } from 'vitest';
import {
  enrollmentTokenFromDoc,
  enrollmentTokenState,
  parseCreateEnrollmentTokenResult,
  parseSetAgentLabelsResult,
  usesText,
  type EnrollmentTokenView,
} from './enrollment-token';

const timestamp = (iso: string) => ({ toDate: () => new Date(iso) });

describe('enrollmentTokenFromDoc', () => {
  it('reads every field the page shows', () => {
    const token = enrollmentTokenFromDoc('t1', {
      name: 'web fleet',
      createdBy: { uid: 'u1', email: 'a@example.com' },
      createdAt: timestamp('2026-12-01T00:00:00Z'),
      expiresAt: timestamp('2026-12-08T00:00:00Z'),
      maxUses: 10,
      uses: 3,
      labels: { env: 'prod' },
      revokedAt: null,
      lastUsedAt: timestamp('2026-12-02T00:00:00Z'),
    });
    expect(token).toEqual({
      id: 't1',
      name: 'web fleet',
      createdBy: { uid: 'u1', email: 'a@example.com' },
      createdAt: new Date('2026-12-01T00:00:00Z'),
      expiresAt: new Date('2026-12-08T00:00:00Z'),
      maxUses: 10,
      uses: 3,
      labels: { env: 'prod' },
      revokedAt: null,
      lastUsedAt: new Date('2026-12-02T00:00:00Z'),
    });
  });

  it('reads an odd document without failing: unlimited, no uses, no labels', () => {
    const token = enrollmentTokenFromDoc('t2', { maxUses: 'ten', labels: 'env=prod', uses: -Infinity });
    expect(token).toMatchObject({ name: 't2', maxUses: null, uses: 0, labels: {}, createdBy: { uid: '', email: null }, expiresAt: null });
  });
});

describe('enrollmentTokenState and usesText', () => {
  const base: EnrollmentTokenView = enrollmentTokenFromDoc('t', { expiresAt: timestamp('2026-12-08T00:00:00Z'), uses: 1, maxUses: 2 });
  const now = new Date('2026-12-02T00:00:00Z');

  it('is active until revoked, expired or used up, in that order', () => {
    expect(enrollmentTokenState(base, now)).toBe('active');
    expect(enrollmentTokenState({ ...base, uses: 2 }, now)).toBe('used-up');
    expect(enrollmentTokenState({ ...base, uses: 2 }, new Date('2026-12-08T00:00:00Z'))).toBe('expired');
    expect(enrollmentTokenState({ ...base, uses: 2, revokedAt: now }, new Date('2026-12-09T00:00:00Z'))).toBe('revoked');
    expect(enrollmentTokenState({ ...base, maxUses: null, uses: 5000 }, now)).toBe('active');
  });

  it('says the uses against the limit', () => {
    expect(usesText(base)).toBe('1 / 2');
    expect(usesText({ uses: 0, maxUses: null })).toBe('0 / unlimited');
  });
});

describe('reply parsing', () => {
  it('takes a complete createEnrollmentToken reply and refuses one without the token or command', () => {
    const reply = { tokenId: 't1', token: 'vgle_x', expiresAt: '2026-12-09T00:00:00.000Z', installCommand: 'curl … | sudo sh', extra: 1 };
    expect(parseCreateEnrollmentTokenResult(reply)).toEqual({
      tokenId: 't1',
      token: 'vgle_x',
      expiresAt: '2026-12-09T00:00:00.000Z',
      installCommand: 'curl … | sudo sh',
    });
    expect(() => parseCreateEnrollmentTokenResult({ ...reply, token: undefined })).toThrow('unexpected reply with the enrollment token');
    expect(() => parseCreateEnrollmentTokenResult({ ...reply, installCommand: 1 })).toThrow('unexpected reply');
    expect(() => parseCreateEnrollmentTokenResult(null)).toThrow('unexpected reply');
  });

  it('takes setAgentLabels’ reply with its labels, string values only', () => {
    expect(parseSetAgentLabelsResult({ agentId: 'a1', labels: { env: 'prod', n: 1 } })).toEqual({ agentId: 'a1', labels: { env: 'prod' } });
    expect(() => parseSetAgentLabelsResult({ agentId: 'a1' })).toThrow('unexpected reply with the agent labels');
  });
});
