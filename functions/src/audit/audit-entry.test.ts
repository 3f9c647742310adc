import { describe, expect, it } from 'vitest';
import { auditFields, auditRetentionDays, requestIp, userActor } from './audit-entry.js';

const NOW = Date.parse('2026-12-01T00:00:00Z');
const DAY = 24 * 3600 * 1000;

describe('audit entries', () => {
  it('expire after the workspace audit retention, 365 days unless it sets a valid one', () => {
    expect(auditRetentionDays(undefined)).toBe(365);
    expect(auditRetentionDays(90)).toBe(90);
    expect(auditRetentionDays(29)).toBe(365);
    expect(auditRetentionDays(3651)).toBe(365);
    expect(auditRetentionDays(90.5)).toBe(365);
    expect(auditRetentionDays('90')).toBe(365);
    const fields = auditFields(
      { actor: { type: 'system' }, action: 'workspace.renamed', target: { type: 'workspace', id: 'ws' }, retentionDays: 30 },
      NOW,
    );
    expect(fields.expireAt.getTime()).toBe(NOW + 30 * DAY);
  });

  it('carry the actor, action, target and the parts given; nothing undefined (Firestore refuses it)', () => {
    const fields = auditFields(
      {
        actor: userActor({ uid: 'u1', email: 'ada@example.com' }),
        action: 'member.role_changed',
        target: { type: 'member', id: 'u2', name: undefined as unknown as string },
        before: { role: 'viewer' },
        after: { role: 'admin' },
        ip: undefined,
        retentionDays: undefined,
      },
      NOW,
    );
    expect(fields).toEqual({
      actor: { type: 'user', uid: 'u1', email: 'ada@example.com' },
      action: 'member.role_changed',
      target: { type: 'member', id: 'u2' },
      before: { role: 'viewer' },
      after: { role: 'admin' },
      expireAt: new Date(NOW + 365 * DAY),
    });
    expect(Object.values(fields)).not.toContain(undefined);
  });

  it("take a callable's address from the first X-Forwarded-For hop, else the connection", () => {
    expect(requestIp({ headers: { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' }, ip: '10.0.0.2' })).toBe('203.0.113.7');
    expect(requestIp({ headers: {}, ip: '198.51.100.4' })).toBe('198.51.100.4');
    expect(requestIp({ headers: { 'x-forwarded-for': ['2001:db8::1'] } })).toBe('2001:db8::1');
    expect(requestIp({ headers: {}, socket: { remoteAddress: '::1' } })).toBe('::1');
    expect(requestIp(undefined)).toBeUndefined();
    expect(requestIp({ headers: { 'x-forwarded-for': 'x'.repeat(500) } })).toHaveLength(64);
  });
});
