import { describe, expect, it } from 'vitest';
import type { Role } from '@vigil/schema/constants';
import { invitableRoles, managesInvitation, memberActions, seesInvitations } from './member-actions';

// docs/architecture.md, "Teams", the who-may-do-what table, as the Members page shows it.
describe('the actions on a member row', () => {
  const row = (caller: Role, target: Role, owners = 2, self = false) => memberActions({ caller, target, owners, self });

  it('owners change anyone to any role and remove anyone but themselves', () => {
    for (const target of ['owner', 'admin', 'viewer'] as const) {
      const actions = row('owner', target);
      expect(actions.roles[0]).toBe(target);
      expect([...actions.roles].sort()).toEqual(['admin', 'owner', 'viewer']);
      expect(actions.canRemove).toBe(true);
      expect(actions.canLeave).toBe(false);
    }
  });

  it('admins change viewers to admin only, remove viewers only, and never touch owners or admins', () => {
    expect(row('admin', 'viewer')).toEqual({ roles: ['viewer', 'admin'], canRemove: true, canLeave: false, leaveRefusal: null });
    expect(row('admin', 'admin')).toEqual({ roles: [], canRemove: false, canLeave: false, leaveRefusal: null });
    expect(row('admin', 'owner')).toEqual({ roles: [], canRemove: false, canLeave: false, leaveRefusal: null });
  });

  it('viewers get no action on anyone, and Leave on their own row', () => {
    for (const target of ['owner', 'admin', 'viewer'] as const)
      expect(row('viewer', target)).toEqual({ roles: [], canRemove: false, canLeave: false, leaveRefusal: null });
    expect(row('viewer', 'viewer', 1, true)).toEqual({ roles: [], canRemove: false, canLeave: true, leaveRefusal: null });
  });

  it('nobody removes themselves: the own row offers Leave, and an owner may step down while another owner exists', () => {
    expect(row('owner', 'owner', 2, true)).toMatchObject({ canRemove: false, canLeave: true, leaveRefusal: null });
    expect(row('owner', 'owner', 2, true).roles).toEqual(['owner', 'admin', 'viewer']);
    expect(row('admin', 'admin', 1, true)).toEqual({ roles: [], canRemove: false, canLeave: true, leaveRefusal: null });
  });

  it('the last owner sees Leave disabled with the reason; another owner, an admin or a viewer may leave', () => {
    expect(row('owner', 'owner', 1, true)).toMatchObject({ canLeave: true, leaveRefusal: expect.stringContaining('last owner') });
    expect(row('owner', 'owner', 2, true).leaveRefusal).toBeNull();
    expect(row('admin', 'admin', 1, true).leaveRefusal).toBeNull();
    expect(row('viewer', 'viewer', 1, true).leaveRefusal).toBeNull();
    // Not the own row: nothing to refuse.
    expect(row('owner', 'owner', 1, false).leaveRefusal).toBeNull();
  });

  it('the last owner cannot be demoted or removed (the workspace keeps an owner)', () => {
    expect(row('owner', 'owner', 1, true).roles).toEqual([]);
    expect(row('owner', 'owner', 1, false)).toMatchObject({ roles: [], canRemove: false });
    // Making someone else owner is how ownership is handed over.
    expect(row('owner', 'admin', 1).roles).toContain('owner');
  });
});

describe('invitations', () => {
  it('owners invite as any role, admins as viewer or admin, viewers not at all (and do not see the section)', () => {
    expect(invitableRoles('owner')).toEqual(['owner', 'admin', 'viewer']);
    expect(invitableRoles('admin')).toEqual(['admin', 'viewer']);
    expect(invitableRoles('viewer')).toEqual([]);
    expect([seesInvitations('owner'), seesInvitations('admin'), seesInvitations('viewer')]).toEqual([true, true, false]);
  });

  it('an invitation of an owner is revoked or resent by an owner only', () => {
    expect(managesInvitation('owner', 'owner')).toBe(true);
    expect(managesInvitation('admin', 'owner')).toBe(false);
    expect(managesInvitation('admin', 'viewer')).toBe(true);
    expect(managesInvitation('viewer', 'viewer')).toBe(false);
  });
});
