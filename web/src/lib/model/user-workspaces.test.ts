import { describe, expect, it } from 'vitest';
import {
  defaultWorkspaceOf,
  needsBootstrap,
  profileWithoutWorkspace,
  profileWithWorkspace,
  workspaceAfterDeleting,
  workspaceIdsOf,
} from './user-workspaces';

describe("a user's workspaces", () => {
  it('opens the personal workspace while the mirror lists it, else another, else none', () => {
    expect(defaultWorkspaceOf({ personalWorkspaceId: 'p', workspaces: { b: 'viewer', p: 'owner', a: 'admin' } })).toBe('p');
    // Deleted: personalWorkspaceId still names it, the mirror no longer does.
    expect(defaultWorkspaceOf({ personalWorkspaceId: 'p', workspaces: { b: 'viewer', a: 'admin' } })).toBe('a');
    expect(defaultWorkspaceOf({ personalWorkspaceId: 'p', workspaces: {} })).toBeNull();
    expect(defaultWorkspaceOf({ personalWorkspaceId: null, workspaces: { x: 'viewer' } })).toBe('x');
    expect(defaultWorkspaceOf(null)).toBeNull();
    expect(defaultWorkspaceOf(undefined)).toBeNull();
  });

  it('bootstraps on a first sign-in, without a personal workspace, and with none left only when the page names none', () => {
    expect(needsBootstrap(undefined, false)).toBe(false);
    expect(needsBootstrap(null, false)).toBe(true);
    expect(needsBootstrap({ personalWorkspaceId: 'p', workspaces: { p: 'owner' } }, false)).toBe(false);
    expect(needsBootstrap({ personalWorkspaceId: null, workspaces: { x: 'viewer' } }, true)).toBe(true);
    // Every workspace gone: `/` without one makes a fresh one...
    expect(needsBootstrap({ personalWorkspaceId: 'p', workspaces: {} }, false)).toBe(true);
    expect(needsBootstrap({ personalWorkspaceId: null, workspaces: {} }, false)).toBe(true);
    // ...but the Settings page still open on the one just deleted does not.
    expect(needsBootstrap(profileWithoutWorkspace({ personalWorkspaceId: 'p', workspaces: { p: 'owner' } }, 'p'), true)).toBe(false);
    expect(needsBootstrap({ personalWorkspaceId: null, workspaces: {} }, true)).toBe(false);
  });

  it('offers the current workspace, the bootstrapped one and the mirrored ones once each', () => {
    const profile = { personalWorkspaceId: 'gone', workspaces: { a: 'owner' as const, b: 'viewer' as const } };
    expect(workspaceIdsOf(profile, 'a').sort()).toEqual(['a', 'b']);
    expect(workspaceIdsOf(profile, 'c', 'fresh').sort()).toEqual(['a', 'b', 'c', 'fresh']);
    expect(workspaceIdsOf(null, 'c')).toEqual(['c']);
  });

  it('adds and removes a workspace in the profile without touching the rest', () => {
    const profile = { personalWorkspaceId: 'p', workspaces: { p: 'owner' as const } };
    expect(profileWithWorkspace(profile, 'n', 'owner')).toEqual({ personalWorkspaceId: 'p', workspaces: { p: 'owner', n: 'owner' } });
    expect(profileWithWorkspace(null, 'n', 'viewer')).toEqual({ personalWorkspaceId: null, workspaces: { n: 'viewer' } });
    expect(profileWithoutWorkspace(profile, 'p')).toEqual({ personalWorkspaceId: 'p', workspaces: {} });
    expect(profileWithoutWorkspace(null, 'p')).toBeNull();
    // Not read yet: left for the session to read.
    expect(profileWithWorkspace(undefined, 'n', 'viewer')).toBeUndefined();
    expect(profileWithoutWorkspace(undefined, 'n')).toBeUndefined();
    // An id like __proto__ is data, never a property of Object.prototype.
    expect(Object.keys(profileWithWorkspace(profile, '__proto__', 'viewer')!.workspaces)).toEqual(['p', '__proto__']);
    expect(profile.workspaces).toEqual({ p: 'owner' });
  });

  it('after a deletion goes to the personal workspace, else another one, else nowhere', () => {
    expect(workspaceAfterDeleting('b', ['a', 'b', 'p'], 'p')).toBe('p');
    expect(workspaceAfterDeleting('p', ['c', 'p', 'a'], 'p')).toBe('a');
    expect(workspaceAfterDeleting('p', ['p'], 'p')).toBeNull();
    expect(workspaceAfterDeleting('b', ['b'], null)).toBeNull();
  });
});
