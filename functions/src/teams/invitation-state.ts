// The life of an invitation: pending -> accepted (once), pending -> revoked; a resend gives a pending
// invitation a new token and a fresh expiry. Pure: what each request may do with an invitation as it
// is stored, and the clear refusal otherwise.
import { INVITATION_LIMITS, type InvitationState } from '@vigil/schema';
import type { Refusal } from './team-policy.js';
import { invitationTokenMatches } from './invitation-token.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface StoredInvitation {
  state: InvitationState;
  email: string;
  expiresAtMs: number;
  tokenHash: string;
}

export interface AcceptingUser {
  email: string | null;
  emailVerified: boolean;
  /** Their role in the workspace now, if they are already a member. */
  memberRole: string | undefined;
}

/** When an invitation sent at `nowMs` stops working. */
export function invitationExpiry(nowMs: number): number {
  return nowMs + INVITATION_LIMITS.validDays * DAY_MS;
}

const MISSING: Refusal = { code: 'not-found', message: 'This invitation does not exist.' };

/**
 * May this user accept with this token? The token is checked first, so someone without the link
 * learns nothing about the invitation; then its state, its expiry, the address, and membership.
 */
export function acceptRefusal(invitation: StoredInvitation | undefined, token: string, user: AcceptingUser, nowMs: number): Refusal | null {
  if (!invitation) return MISSING;
  if (!invitationTokenMatches(token, invitation.tokenHash)) {
    return { code: 'permission-denied', message: 'This invitation link is not valid: it was replaced by a newer email, or it is incomplete.' };
  }
  if (invitation.state === 'accepted') return { code: 'failed-precondition', message: 'This invitation was already accepted.' };
  if (invitation.state === 'revoked') return { code: 'failed-precondition', message: 'This invitation was revoked. Ask for a new one.' };
  if (nowMs >= invitation.expiresAtMs) return { code: 'failed-precondition', message: 'This invitation expired. Ask for a new one.' };
  if (!user.emailVerified) {
    return { code: 'permission-denied', message: 'Verify your email address first: only a verified address can accept an invitation.' };
  }
  if (user.email === null || user.email.trim().toLowerCase() !== invitation.email) {
    return { code: 'permission-denied', message: 'This invitation is for another email address. Sign in with the address it was sent to.' };
  }
  if (user.memberRole !== undefined) return { code: 'failed-precondition', message: 'You are already a member of this workspace.' };
  return null;
}

export function revokeRefusal(invitation: StoredInvitation | undefined): Refusal | null {
  if (!invitation) return MISSING;
  if (invitation.state === 'accepted') {
    return { code: 'failed-precondition', message: 'This invitation was already accepted: remove the member instead.' };
  }
  if (invitation.state === 'revoked') return { code: 'failed-precondition', message: 'This invitation was already revoked.' };
  return null;
}

/** A pending invitation may be resent, expired or not; an accepted or revoked one may not. */
export function resendRefusal(invitation: StoredInvitation | undefined): Refusal | null {
  if (!invitation) return MISSING;
  if (invitation.state === 'accepted') return { code: 'failed-precondition', message: 'This invitation was already accepted.' };
  if (invitation.state === 'revoked') return { code: 'failed-precondition', message: 'This invitation was revoked: invite the address again.' };
  return null;
}
