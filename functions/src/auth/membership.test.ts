import { describe, expect, it } from 'vitest';
import { canManage } from './membership.js';

describe('canManage', () => {
  it('lets owners and admins manage, not viewers or non-members', () => {
    expect(canManage('owner')).toBe(true);
    expect(canManage('admin')).toBe(true);
    expect(canManage('viewer')).toBe(false);
    expect(canManage(undefined)).toBe(false);
  });
});
