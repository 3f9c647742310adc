import type { Role } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { inviteRefusal, leaveRefusal, removalRefusal, roleChangeRefusal } from './team-policy.js';

const ROLES: Role[] = ['owner', 'admin', 'viewer'];
type Caller = Role | undefined;
const CALLERS: Caller[] = ['owner', 'admin', 'viewer', undefined];
const allowed = (refusal: unknown) => (refusal === null ? 'yes' : 'no');

describe('who may invite whom', () => {
  // caller -> invited role -> allowed
  const TABLE: Record<string, Record<Role, 'yes' | 'no'>> = {
    owner: { owner: 'yes', admin: 'yes', viewer: 'yes' },
    admin: { owner: 'no', admin: 'yes', viewer: 'yes' },
    viewer: { owner: 'no', admin: 'no', viewer: 'no' },
    none: { owner: 'no', admin: 'no', viewer: 'no' },
  };
  it.each(CALLERS.flatMap((caller) => ROLES.map((invited) => [caller ?? 'none', invited] as const)))('%s inviting a %s', (caller, invited) => {
    const refusal = inviteRefusal(caller === 'none' ? undefined : caller, invited);
    expect(allowed(refusal)).toBe(TABLE[caller]![invited]);
    if (refusal) expect(refusal.code).toBe('permission-denied');
  });
});

describe('who may change whose role (two owners, so the last-owner rule is not in play)', () => {
  // caller -> target role -> new role -> allowed
  const allowedChange = (caller: Caller, target: Role, newRole: Role): boolean => {
    if (caller === 'owner') return true;
    if (caller === 'admin') return target === 'viewer' && newRole !== 'owner';
    return false;
  };
  const cases = CALLERS.flatMap((caller) => ROLES.flatMap((target) => ROLES.map((newRole) => [caller ?? 'none', target, newRole] as const)));
  it.each(cases)('%s changing a %s to %s', (caller, target, newRole) => {
    const role = caller === 'none' ? undefined : caller;
    const refusal = roleChangeRefusal({ caller: role, target, newRole, owners: 2, self: false });
    expect(refusal === null).toBe(allowedChange(role, target, newRole));
  });

  it('a non-member target is not-found for a manager', () => {
    expect(roleChangeRefusal({ caller: 'owner', target: undefined, newRole: 'viewer', owners: 1, self: false })?.code).toBe('not-found');
  });
});

describe('the workspace keeps at least one owner', () => {
  it('the last owner cannot step down, but may once another owner exists (handover)', () => {
    expect(roleChangeRefusal({ caller: 'owner', target: 'owner', newRole: 'admin', owners: 1, self: true })).toMatchObject({
      code: 'failed-precondition',
      message: expect.stringContaining('at least one owner'),
    });
    // Handover: the owner makes an admin owner, then there are two and either may step down.
    expect(roleChangeRefusal({ caller: 'owner', target: 'admin', newRole: 'owner', owners: 1, self: false })).toBeNull();
    expect(roleChangeRefusal({ caller: 'owner', target: 'owner', newRole: 'viewer', owners: 2, self: true })).toBeNull();
  });

  it('an owner can be removed only while another remains, and the last owner cannot leave', () => {
    expect(removalRefusal({ caller: 'owner', target: 'owner', owners: 2, self: false })).toBeNull();
    expect(removalRefusal({ caller: 'owner', target: 'owner', owners: 1, self: false })?.code).toBe('failed-precondition');
    expect(leaveRefusal('owner', 1)?.message).toMatch(/last owner/);
    expect(leaveRefusal('owner', 2)).toBeNull();
  });
});

describe('removal and leaving', () => {
  it.each([
    ['owner', 'admin', true],
    ['owner', 'viewer', true],
    ['admin', 'viewer', true],
    ['admin', 'admin', false],
    ['admin', 'owner', false],
    ['viewer', 'viewer', false],
  ] as const)('%s removing a %s: %s', (caller, target, ok) => {
    expect(removalRefusal({ caller, target, owners: 2, self: false }) === null).toBe(ok);
  });

  it('removing oneself is leaving, which has its own callable', () => {
    expect(removalRefusal({ caller: 'owner', target: 'owner', owners: 3, self: true })?.code).toBe('invalid-argument');
  });

  it('anyone but the last owner may leave; a non-member cannot', () => {
    expect(leaveRefusal('viewer', 1)).toBeNull();
    expect(leaveRefusal('admin', 1)).toBeNull();
    expect(leaveRefusal(undefined, 1)?.code).toBe('not-found');
  });
});
