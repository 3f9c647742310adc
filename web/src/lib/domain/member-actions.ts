// What the Members page offers the caller on each row, asked of the same rules the callables apply
// (team-policy.ts in @vigil/schema/constants): a button the caller may not use is not shown, and
// the server still decides (a page may be stale: another owner may have left meanwhile).
import { inviteRefusal, leaveRefusal, removalRefusal, roleChangeRefusal, ROLES, type Role } from '@vigil/schema/constants';

export interface MemberActions {
  /** The roles the caller may give this member, their current one first (empty: no role select). */
  roles: Role[];
  canRemove: boolean;
  /** The caller's own row: "Leave workspace" instead of Remove. */
  canLeave: boolean;
  /** Why Leave is disabled on the own row (the last owner), as the server would say; else null. */
  leaveRefusal: string | null;
}

export interface MemberRowInput {
  caller: Role;
  /** The member's role on this row. */
  target: Role;
  /** Owners in the workspace now, as the page read them. */
  owners: number;
  self: boolean;
}

export function memberActions({ caller, target, owners, self }: MemberRowInput): MemberActions {
  const change = { caller, target, owners, self };
  const others = ROLES.filter((role) => role !== target && roleChangeRefusal({ ...change, newRole: role }) === null);
  return {
    roles: others.length > 0 ? [target, ...others] : [],
    canRemove: removalRefusal(change) === null,
    // The own row always shows Leave; the last owner sees it disabled, with the server's sentence.
    canLeave: self,
    leaveRefusal: self ? (leaveRefusal(caller, owners)?.message ?? null) : null,
  };
}

/** The roles the caller may invite as (owners any, admins viewer or admin, viewers none). */
export function invitableRoles(caller: Role): Role[] {
  return ROLES.filter((role) => inviteRefusal(caller, role) === null);
}

/** Whether the caller sees the Invitations section at all (the rules let only owners and admins read it). */
export const seesInvitations = (caller: Role): boolean => invitableRoles(caller).length > 0;

/** Revoke and resend: an invitation of an owner is an owner's to handle (the callables check the invited role). */
export const managesInvitation = (caller: Role, invited: Role): boolean => inviteRefusal(caller, invited) === null;

export const ROLE_LABELS: Readonly<Record<Role, string>> = { owner: 'Owner', admin: 'Admin', viewer: 'Viewer' };
