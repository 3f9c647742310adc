import { describe, expect, it } from 'vitest';
import { acceptRefusal, invitationExpiry, resendRefusal, revokeRefusal, type StoredInvitation } from './invitation-state.js';
import { newInvitationToken } from './invitation-token.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const { token, tokenHash } = newInvitationToken();
const pending: StoredInvitation = { state: 'pending', email: 'ada@example.com', expiresAtMs: invitationExpiry(NOW), tokenHash };
const invitee = { email: 'Ada@Example.com', emailVerified: true, memberRole: undefined };

describe('accepting an invitation', () => {
  it('is allowed with the token, in time, from the verified invited address (any case)', () => {
    expect(acceptRefusal(pending, token, invitee, NOW)).toBeNull();
  });

  it('expires 7 days after it was sent', () => {
    expect(invitationExpiry(NOW) - NOW).toBe(7 * 24 * 3600 * 1000);
    expect(acceptRefusal(pending, token, invitee, NOW + 7 * 24 * 3600 * 1000 - 1)).toBeNull();
    expect(acceptRefusal(pending, token, invitee, NOW + 7 * 24 * 3600 * 1000)).toMatchObject({
      code: 'failed-precondition',
      message: expect.stringMatching(/expired/),
    });
  });

  it.each([
    ['a missing invitation', undefined, token, invitee, 'not-found', /does not exist/],
    ['another token (an old link after a resend)', pending, newInvitationToken().token, invitee, 'permission-denied', /not valid/],
    ['an accepted one (twice)', { ...pending, state: 'accepted' as const }, token, invitee, 'failed-precondition', /already accepted/],
    ['a revoked one', { ...pending, state: 'revoked' as const }, token, invitee, 'failed-precondition', /revoked/],
    ['an unverified address', pending, token, { ...invitee, emailVerified: false }, 'permission-denied', /Verify your email/],
    ['another address', pending, token, { ...invitee, email: 'eve@example.com' }, 'permission-denied', /another email address/],
    ['no address', pending, token, { ...invitee, email: null }, 'permission-denied', /another email address/],
    ['an existing member', pending, token, { ...invitee, memberRole: 'viewer' }, 'failed-precondition', /already a member/],
  ])('is refused for %s', (_label, invitation, presented, user, code, message) => {
    expect(acceptRefusal(invitation, presented, user, NOW)).toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it('checks the token before telling anything about the state', () => {
    expect(acceptRefusal({ ...pending, state: 'revoked' }, newInvitationToken().token, invitee, NOW)?.code).toBe('permission-denied');
  });
});

describe('revoking and resending', () => {
  it('a pending invitation, even an expired one, may be revoked or resent', () => {
    const expired = { ...pending, expiresAtMs: NOW - 1 };
    expect(revokeRefusal(pending)).toBeNull();
    expect(resendRefusal(expired)).toBeNull();
    expect(revokeRefusal(expired)).toBeNull();
  });

  it('an accepted or revoked one may not, and a missing one is not-found', () => {
    expect(revokeRefusal({ ...pending, state: 'accepted' })?.message).toMatch(/remove the member/);
    expect(revokeRefusal({ ...pending, state: 'revoked' })?.message).toMatch(/already revoked/);
    expect(resendRefusal({ ...pending, state: 'accepted' })?.code).toBe('failed-precondition');
    expect(resendRefusal({ ...pending, state: 'revoked' })?.message).toMatch(/invite the address again/);
    expect(revokeRefusal(undefined)?.code).toBe('not-found');
    expect(resendRefusal(undefined)?.code).toBe('not-found');
  });
});
