// The membership callables the Members page uses (functions/src/teams/, docs/architecture.md "Teams"):
// invitations and roles. Loaded on demand by hooks/use-team-writes.ts, like callables.ts; each reply
// is checked before it is trusted (the parsers are pure, and tested in team-callables.test.ts).
import type { InvitationRefInput, InviteMemberInput, MemberRefInput, Role, SetMemberRoleInput, WorkspaceRefInput } from '@vigil/schema';
import { httpsCallable, type Functions } from 'firebase/functions';
import { isRole } from '../model/member';
import { UnexpectedShapeError } from '../model/workspace';

export interface InviteReply {
  invitationId: string;
  /** The address had a pending invitation, which got a new link (and the role now asked for) instead. */
  resent: boolean;
}

/** The member's role now, or null once they are gone (removed, or left). */
export interface MemberChangeReply {
  uid: string;
  role: Role | null;
}

type Reply = Record<string, unknown> | null;

export function parseInviteReply(data: unknown): InviteReply {
  const value = data as Reply;
  if (typeof value?.invitationId !== 'string' || value.invitationId === '' || typeof value.resent !== 'boolean') {
    throw new UnexpectedShapeError('reply to the invitation');
  }
  return { invitationId: value.invitationId, resent: value.resent };
}

export function parseInvitationReply(data: unknown, expectedId: string): { invitationId: string } {
  const value = data as Reply;
  if (value?.invitationId !== expectedId) throw new UnexpectedShapeError('reply about the invitation');
  return { invitationId: expectedId };
}

export function parseMemberChangeReply(data: unknown, expectedUid: string): MemberChangeReply {
  const value = data as Reply;
  const role = value?.role;
  if (value?.uid !== expectedUid || (role !== null && !isRole(role))) throw new UnexpectedShapeError('reply about the member');
  return { uid: expectedUid, role };
}

/** Emails an invitation link (or resends the pending one of that address). */
export async function inviteMember(functions: Functions, input: InviteMemberInput): Promise<InviteReply> {
  const result = await httpsCallable<InviteMemberInput, unknown>(functions, 'inviteMember')(input);
  return parseInviteReply(result.data);
}

/** A new link and a fresh 7-day expiry; the old link stops working. */
export async function resendInvitation(functions: Functions, input: InvitationRefInput): Promise<void> {
  const result = await httpsCallable<InvitationRefInput, unknown>(functions, 'resendInvitation')(input);
  parseInvitationReply(result.data, input.invitationId);
}

/** The link stops working; the invitation stays, revoked. */
export async function revokeInvitation(functions: Functions, input: InvitationRefInput): Promise<void> {
  const result = await httpsCallable<InvitationRefInput, unknown>(functions, 'revokeInvitation')(input);
  parseInvitationReply(result.data, input.invitationId);
}

export async function setMemberRole(functions: Functions, input: SetMemberRoleInput): Promise<MemberChangeReply> {
  const result = await httpsCallable<SetMemberRoleInput, unknown>(functions, 'setMemberRole')(input);
  return parseMemberChangeReply(result.data, input.uid);
}

export async function removeMember(functions: Functions, input: MemberRefInput): Promise<MemberChangeReply> {
  const result = await httpsCallable<MemberRefInput, unknown>(functions, 'removeMember')(input);
  return parseMemberChangeReply(result.data, input.uid);
}

/** The caller leaves; `uid` is the caller's, to check the reply against. */
export async function leaveWorkspace(functions: Functions, input: WorkspaceRefInput, uid: string): Promise<MemberChangeReply> {
  const result = await httpsCallable<WorkspaceRefInput, unknown>(functions, 'leaveWorkspace')(input);
  return parseMemberChangeReply(result.data, uid);
}
