import { describe, expect, it } from 'vitest';
import { digestKinds, membersChoosing, verifiedRecipients, type AuthAccount } from './recipients.js';

const members = [
  { uid: 'owner', notifications: { test_failed: 'instant', config_changed: 'digest' } },
  { uid: 'viewer', notifications: { test_failed: 'off', config_changed: 'digest' } },
  { uid: 'admin', notifications: { test_failed: 'instant', agent_offline: 'instant' } },
  { uid: 'bogus', notifications: { test_failed: 'loud' } },
  { uid: 'inherited', notifications: Object.create({ test_failed: 'instant' }) as unknown },
  { uid: 'none' },
];

describe('membersChoosing', () => {
  it('picks members who chose that delivery for one of the kinds, by their own settings only', () => {
    expect(membersChoosing(members, ['test_failed'], 'instant')).toEqual(['admin', 'owner']);
    expect(membersChoosing(members, ['config_changed'], 'digest')).toEqual(['owner', 'viewer']);
    expect(membersChoosing(members, ['agent_offline', 'config_changed'], 'instant')).toEqual(['admin']);
    expect(membersChoosing(members, ['agent_online'], 'instant')).toEqual([]);
  });
});

describe('verifiedRecipients', () => {
  const accounts: AuthAccount[] = [
    { uid: 'owner', email: 'Owner@Example.com', emailVerified: true, disabled: false },
    { uid: 'admin', email: 'admin@example.com', emailVerified: false, disabled: false },
    { uid: 'twin', email: 'owner@example.com', emailVerified: true, disabled: false },
    { uid: 'off', email: 'off@example.com', emailVerified: true, disabled: true },
    { uid: 'weird', email: 'not-an-address', emailVerified: true, disabled: false },
    { uid: 'phone', emailVerified: true, disabled: false },
  ];

  it('mails only verified, enabled accounts, at the address their account verified, once per address', () => {
    expect(verifiedRecipients(['owner', 'admin', 'twin', 'off', 'weird', 'phone', 'gone'], accounts)).toEqual({
      to: [{ uid: 'owner', email: 'owner@example.com' }],
      unverified: 1,
      unreachable: 4,
    });
  });

  it('counts nothing when nobody is chosen', () => {
    expect(verifiedRecipients([], accounts)).toEqual({ to: [], unverified: 0, unreachable: 0 });
  });
});

describe('digestKinds', () => {
  it('lists the kinds a member wants in the digest', () => {
    expect(digestKinds(members[0]!)).toEqual(['config_changed']);
    expect(digestKinds({})).toEqual([]);
    expect(digestKinds({ notifications: { constructor: 'digest', test_failed: 'digest' } })).toEqual(['test_failed']);
  });
});
