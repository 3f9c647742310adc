import { describe, expect, it } from 'vitest';
import { auditChanges, auditEntryFromDoc } from './audit-entry';

const timestamp = (iso: string) => ({ toDate: () => new Date(iso) });

describe('auditEntryFromDoc', () => {
  it('reads an entry as a callable writes it', () => {
    const entry = auditEntryFromDoc('e1', {
      at: timestamp('2026-12-01T10:00:00Z'),
      actor: { type: 'user', uid: 'u1', email: 'ann@example.com' },
      action: 'member.role_changed',
      target: { type: 'member', id: 'u2', name: 'bob@example.com' },
      before: { role: 'viewer' },
      after: { role: 'admin' },
      ip: '203.0.113.9',
      expireAt: timestamp('2027-12-01T10:00:00Z'),
    });
    expect(entry).toEqual({
      id: 'e1',
      at: new Date('2026-12-01T10:00:00Z'),
      actor: { type: 'user', uid: 'u1', email: 'ann@example.com' },
      action: 'member.role_changed',
      target: { type: 'member', id: 'u2', name: 'bob@example.com' },
      changes: [{ path: 'role', before: 'viewer', after: 'admin' }],
      ip: '203.0.113.9',
    });
  });

  it('reads an odd document without crashing: the system, an unknown actor, missing parts', () => {
    expect(auditEntryFromDoc('e2', { actor: { type: 'system' }, action: 'agent.revoked' }).actor).toEqual({ type: 'system' });
    const odd = auditEntryFromDoc('e3', { actor: { type: 'robot' }, action: 7, target: 'x', before: [1], ip: 5 });
    expect(odd).toEqual({
      id: 'e3',
      at: null,
      actor: { type: 'unknown' },
      action: 'unknown',
      target: { type: 'unknown', id: '', name: null },
      changes: [],
      ip: null,
    });
    // An action from a newer backend keeps its name.
    expect(auditEntryFromDoc('e4', { action: 'agent.teleported' }).action).toBe('agent.teleported');
  });
});

describe('auditChanges', () => {
  it('shows only the settings that moved, by their dotted path', () => {
    const before = { settings: { retentionDays: 30, reportingIntervalSeconds: 300, failedTestThreshold: 3 } };
    const after = { settings: { retentionDays: 60, reportingIntervalSeconds: 300, failedTestThreshold: 3, auditRetentionDays: 400 } };
    expect(auditChanges(before, after)).toEqual([
      { path: 'settings.retentionDays', before: 30, after: 60 },
      { path: 'settings.auditRetentionDays', before: null, after: 400 },
    ]);
  });

  it('lists every field of a side recorded alone, and leaves the other side undefined', () => {
    expect(auditChanges(undefined, { kind: 'test_failed', agentId: 'a1' })).toEqual([
      { path: 'kind', before: undefined, after: 'test_failed' },
      { path: 'agentId', before: undefined, after: 'a1' },
    ]);
    expect(auditChanges({ testId: 't1' }, undefined)).toEqual([{ path: 'testId', before: 't1', after: undefined }]);
    expect(auditChanges(undefined, undefined)).toEqual([]);
  });

  it('keeps lists, and shows times and other shapes as text', () => {
    expect(
      auditChanges(
        { names: ['a', 'b'], at: timestamp('2026-01-01T00:00:00Z'), rows: [{ x: 1 }] },
        { names: ['b', 'c'], at: timestamp('2026-01-02T00:00:00Z'), rows: [{ x: 1 }] },
      ),
    ).toEqual([
      { path: 'names', before: ['a', 'b'], after: ['b', 'c'] },
      { path: 'at', before: '2026-01-01T00:00:00.000Z', after: '2026-01-02T00:00:00.000Z' },
    ]);
    // A whole map set where there was none (settings: null before the first save).
    expect(auditChanges({ settings: null }, { settings: { retentionDays: 30 } })).toEqual([
      { path: 'settings.retentionDays', before: null, after: 30 },
    ]);
  });

  it('reads keys named like Object.prototype members as data', () => {
    const before = JSON.parse('{"notifications": {"constructor": "off", "__proto__": "email"}}') as unknown;
    const after = JSON.parse('{"notifications": {"constructor": "email", "__proto__": "email"}}') as unknown;
    expect(auditChanges(before, after)).toEqual([{ path: 'notifications.constructor', before: 'off', after: 'email' }]);
    // A key the other side lacks is "not set" there, never a prototype member.
    expect(auditChanges({ a: 1 }, JSON.parse('{"a": 1, "toString": 2}'))).toEqual([{ path: 'toString', before: null, after: 2 }]);
  });

  it('shows a key with a dot in brackets, never as a nested field', () => {
    const before = { labels: { 'team.name': 'core', team: { name: 'x' } } };
    const after = { labels: { 'team.name': 'edge', team: { name: 'y' } } };
    expect(auditChanges(before, after)).toEqual([
      { path: 'labels["team.name"]', before: 'core', after: 'edge' },
      { path: 'labels.team.name', before: 'x', after: 'y' },
    ]);
    expect(auditChanges(undefined, { 'a.b': 1 })).toEqual([{ path: '["a.b"]', before: undefined, after: 1 }]);
  });
});
