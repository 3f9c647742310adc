import { describe, expect, it } from 'vitest';
import { membershipMirror } from './membership-mirror.js';

describe('membershipMirror', () => {
  it('mirrors the current role of an existing member', () => {
    expect(membershipMirror({ exists: true, role: 'viewer' })).toEqual({ kind: 'set', role: 'viewer' });
  });

  it('removes the mirror when the member is gone or its role is not a role', () => {
    expect(membershipMirror({ exists: false, role: undefined })).toEqual({ kind: 'remove' });
    expect(membershipMirror({ exists: true, role: 'superuser' })).toEqual({ kind: 'remove' });
  });
});
