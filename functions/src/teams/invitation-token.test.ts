import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashInvitationToken, invitationTokenMatches, newInvitationToken } from './invitation-token.js';

describe('invitation tokens', () => {
  it('are 32 random bytes in base64url, stored only as their SHA-256', () => {
    const { token, tokenHash } = newInvitationToken((size) => new Uint8Array(size).fill(7));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toEqual(Buffer.alloc(32, 7));
    expect(tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(tokenHash).not.toContain(token);
  });

  it('differ each time', () => {
    expect(newInvitationToken().token).not.toBe(newInvitationToken().token);
  });

  it('match only their own hash; a malformed stored hash matches nothing', () => {
    const { token, tokenHash } = newInvitationToken();
    expect(invitationTokenMatches(token, tokenHash)).toBe(true);
    expect(invitationTokenMatches(newInvitationToken().token, tokenHash)).toBe(false);
    expect(invitationTokenMatches(token, hashInvitationToken(token).toUpperCase())).toBe(false);
    expect(invitationTokenMatches(token, undefined)).toBe(false);
    expect(invitationTokenMatches(token, 'abc')).toBe(false);
  });
});
