import { describe, expect, it } from 'vitest';
import { digestKinds, recipientsFor } from './recipients.js';

const members = [
  { email: 'Owner@Example.com', notifications: { test_failed: 'instant', config_changed: 'digest' } },
  { email: 'viewer@example.com', notifications: { test_failed: 'off', config_changed: 'digest' } },
  { email: 'owner@example.com', notifications: { test_failed: 'instant' } },
  { email: null, notifications: { test_failed: 'instant' } },
  { email: 'not-an-address', notifications: { test_failed: 'instant' } },
  { email: 'bogus@example.com', notifications: { test_failed: 'loud' } },
];

describe('recipientsFor', () => {
  it('picks members who chose that delivery for that kind, once per address', () => {
    expect(recipientsFor(members, 'test_failed', 'instant')).toEqual(['owner@example.com']);
    expect(recipientsFor(members, 'config_changed', 'digest')).toEqual(['owner@example.com', 'viewer@example.com']);
    expect(recipientsFor(members, 'agent_offline', 'instant')).toEqual([]);
  });
});

describe('digestKinds', () => {
  it('lists the kinds a member wants in the digest', () => {
    expect(digestKinds(members[0]!)).toEqual(['config_changed']);
    expect(digestKinds({})).toEqual([]);
  });
});
