import { describe, expect, it } from 'vitest';
import { UnexpectedShapeError } from '../model/workspace';
import { parseInvitationReply, parseInviteReply, parseMemberChangeReply } from './team-callables';

describe('the membership callables’ replies', () => {
  it('an invitation: its id and whether it was a resend', () => {
    expect(parseInviteReply({ invitationId: 'i1', resent: false })).toEqual({ invitationId: 'i1', resent: false });
    expect(parseInviteReply({ invitationId: 'i1', resent: true, extra: 1 })).toEqual({ invitationId: 'i1', resent: true });
    for (const bad of [null, {}, { invitationId: '', resent: false }, { invitationId: 'i1' }, { invitationId: 1, resent: true }]) {
      expect(() => parseInviteReply(bad)).toThrow(UnexpectedShapeError);
    }
  });

  it('a revoke or resend answers the invitation it was asked about', () => {
    expect(parseInvitationReply({ invitationId: 'i1' }, 'i1')).toEqual({ invitationId: 'i1' });
    expect(() => parseInvitationReply({ invitationId: 'i2' }, 'i1')).toThrow(UnexpectedShapeError);
    expect(() => parseInvitationReply(undefined, 'i1')).toThrow(UnexpectedShapeError);
  });

  it('a member change: that member’s role now, or null once gone', () => {
    expect(parseMemberChangeReply({ uid: 'u1', role: 'admin' }, 'u1')).toEqual({ uid: 'u1', role: 'admin' });
    expect(parseMemberChangeReply({ uid: 'u1', role: null }, 'u1')).toEqual({ uid: 'u1', role: null });
    expect(() => parseMemberChangeReply({ uid: 'u2', role: null }, 'u1')).toThrow(UnexpectedShapeError);
    expect(() => parseMemberChangeReply({ uid: 'u1', role: 'root' }, 'u1')).toThrow(UnexpectedShapeError);
    expect(() => parseMemberChangeReply({ uid: 'u1' }, 'u1')).toThrow(UnexpectedShapeError);
  });
});
