import { describe, expect, it } from 'vitest';
import { invitationFromDoc, memberFromDoc } from './member';

const timestamp = (iso: string) => ({ toDate: () => new Date(iso) });

describe('members and invitations for the Members page', () => {
  it('read a member’s times and inviter, tolerating what is missing', () => {
    const member = memberFromDoc('u1', {
      role: 'viewer',
      email: 'v@example.com',
      joinedAt: timestamp('2026-11-01T00:00:00Z'),
      lastActiveAt: timestamp('2026-12-01T08:00:00Z'),
      invitedBy: { uid: 'o1', email: 'o@example.com' },
    });
    expect(member).toMatchObject({ uid: 'u1', role: 'viewer', invitedBy: { uid: 'o1', email: 'o@example.com' } });
    expect(member.joinedAt?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(member.lastActiveAt?.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(memberFromDoc('u2', { role: 'owner', lastActiveAt: 'yesterday', invitedBy: { email: 'x' } })).toMatchObject({
      joinedAt: null,
      lastActiveAt: null,
      invitedBy: null,
    });
  });

  it('read an invitation; an unknown state offers nothing (revoked) and an unknown role reads as viewer', () => {
    const invitation = invitationFromDoc('i1', {
      email: 'new@example.com',
      role: 'admin',
      state: 'pending',
      invitedBy: { uid: 'o1', email: null },
      createdAt: timestamp('2026-12-01T00:00:00Z'),
      expiresAt: timestamp('2026-12-08T00:00:00Z'),
      sends: 2,
      tokenHash: 'ab'.repeat(32),
    });
    expect(invitation).toMatchObject({ id: 'i1', email: 'new@example.com', role: 'admin', state: 'pending', sends: 2 });
    expect(invitation.invitedBy).toEqual({ uid: 'o1', email: null });
    expect(invitation.expiresAt?.toISOString()).toBe('2026-12-08T00:00:00.000Z');
    expect(invitation).not.toHaveProperty('tokenHash');
    expect(invitationFromDoc('i2', { state: 'lost', role: 'root', sends: -3 })).toMatchObject({
      state: 'revoked',
      role: 'viewer',
      sends: 1,
      email: '',
    });
  });
});
