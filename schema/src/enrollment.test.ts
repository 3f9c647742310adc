import { describe, expect, it } from 'vitest';
import { parseApiKey } from './api-key.js';
import {
  createEnrollmentTokenInputSchema,
  enrollAgentInputSchema,
  formatEnrollmentToken,
  parseEnrollmentToken,
  setAgentLabelsInputSchema,
} from './enrollment.js';

const TOKEN_ID = 'abcdefghijklmnop';
const SECRET = 'A'.repeat(43);

describe('the enrollment token format', () => {
  it('round-trips and is never taken for an agent key (nor the other way round)', () => {
    const token = formatEnrollmentToken({ tokenId: TOKEN_ID, secret: SECRET });
    expect(token).toBe(`vgle_${TOKEN_ID}_${SECRET}`);
    expect(parseEnrollmentToken(token)).toEqual({ tokenId: TOKEN_ID, secret: SECRET });
    expect(parseEnrollmentToken(` ${token}\n`)).toEqual({ tokenId: TOKEN_ID, secret: SECRET });
    expect(parseApiKey(token)).toBeUndefined();
    expect(parseEnrollmentToken(`vgl_${TOKEN_ID}_${SECRET}`)).toBeUndefined();
  });

  it('refuses anything else', () => {
    for (const bad of [
      undefined,
      42,
      '',
      `vgle_${TOKEN_ID}_${SECRET}x`,
      `vgle_${TOKEN_ID.toUpperCase()}_${SECRET}`,
      `vgle_${TOKEN_ID}_${SECRET.slice(1)}`,
    ]) {
      expect(parseEnrollmentToken(bad)).toBeUndefined();
    }
    expect(() => formatEnrollmentToken({ tokenId: 'short', secret: SECRET })).toThrow(/wrong format/);
  });
});

describe('createEnrollmentToken input', () => {
  it('defaults to no use limit and no labels, and bounds the rest', () => {
    const parsed = createEnrollmentTokenInputSchema.parse({ workspaceId: 'ws1', name: ' web fleet ' });
    expect(parsed).toEqual({ workspaceId: 'ws1', name: 'web fleet', maxUses: null, labels: {} });
    expect(createEnrollmentTokenInputSchema.safeParse({ workspaceId: 'ws1', name: 'x', expiresInDays: 0 }).success).toBe(false);
    expect(createEnrollmentTokenInputSchema.safeParse({ workspaceId: 'ws1', name: 'x', expiresInDays: 366 }).success).toBe(false);
    expect(createEnrollmentTokenInputSchema.safeParse({ workspaceId: 'ws1', name: 'x', maxUses: 10_001 }).success).toBe(false);
    expect(createEnrollmentTokenInputSchema.safeParse({ workspaceId: 'ws1', name: 'x', maxUses: 0 }).success).toBe(false);
    expect(createEnrollmentTokenInputSchema.safeParse({ workspaceId: 'ws1', name: '' }).success).toBe(false);
    expect(createEnrollmentTokenInputSchema.safeParse({ workspaceId: 'a/b', name: 'x' }).success).toBe(false);
  });

  it('takes one expiry, not both', () => {
    const both = createEnrollmentTokenInputSchema.safeParse({ workspaceId: 'ws1', name: 'x', expiresInDays: 3, expiresAt: '2026-12-09T00:00:00Z' });
    expect(both.success).toBe(false);
    expect(both.error?.issues[0]?.message).toBe('give expiresInDays or expiresAt, not both');
  });

  it('checks its labels', () => {
    const bad = createEnrollmentTokenInputSchema.safeParse({ workspaceId: 'ws1', name: 'x', labels: { Env: 'prod' } });
    expect(bad.error?.issues[0]?.message).toMatch(/^label key "Env"/);
  });
});

describe('enrollAgent input', () => {
  const machineId = 'a'.repeat(64);
  it('takes the hashed machine id, a hostname and optional labels', () => {
    expect(enrollAgentInputSchema.parse({ machineId, hostname: 'web-1' })).toEqual({ machineId, hostname: 'web-1', labels: {} });
  });

  it('refuses a raw machine id, a missing or overlong hostname and bad labels', () => {
    expect(enrollAgentInputSchema.safeParse({ machineId: '0123456789abcdef0123456789abcdef', hostname: 'web-1' }).success).toBe(false);
    expect(enrollAgentInputSchema.safeParse({ machineId, hostname: '' }).success).toBe(false);
    expect(enrollAgentInputSchema.safeParse({ machineId, hostname: 'h'.repeat(254) }).success).toBe(false);
    expect(enrollAgentInputSchema.safeParse({ machineId, hostname: 'web-1', labels: { env: 5 } }).success).toBe(false);
  });
});

describe('setAgentLabels input', () => {
  it('requires the labels, an empty map allowed', () => {
    expect(setAgentLabelsInputSchema.safeParse({ workspaceId: 'ws1', agentId: 'a1' }).success).toBe(false);
    expect(setAgentLabelsInputSchema.parse({ workspaceId: 'ws1', agentId: 'a1', labels: {} }).labels).toEqual({});
  });
});
