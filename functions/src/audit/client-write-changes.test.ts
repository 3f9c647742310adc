import { DEFAULT_NOTIFICATION_PREFERENCES, DEFAULT_WORKSPACE_SETTINGS } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { acknowledgementChanges, notificationChanges, testMarkChanges, workspaceChanges } from './client-write-changes.js';

describe('what a client write changed', () => {
  const workspace = { name: 'Ops', settings: { ...DEFAULT_WORKSPACE_SETTINGS }, lastDigestAt: 1 };

  it('a rename and a settings change are one entry each, with before and after; other fields none', () => {
    const after = { ...workspace, name: 'Ops EU', settings: { ...DEFAULT_WORKSPACE_SETTINGS, retentionDays: 90 } };
    expect(workspaceChanges('ws', workspace, after)).toEqual([
      { action: 'workspace.renamed', target: { type: 'workspace', id: 'ws', name: 'Ops EU' }, before: { name: 'Ops' }, after: { name: 'Ops EU' } },
      {
        action: 'workspace.settings_changed',
        target: { type: 'workspace', id: 'ws', name: 'Ops EU' },
        before: { settings: workspace.settings },
        after: { settings: after.settings },
      },
    ]);
    // Functions' own fields (lastDigestAt), the same settings in another key order, creation: nothing.
    expect(workspaceChanges('ws', workspace, { ...workspace, lastDigestAt: 2 })).toEqual([]);
    const reordered = { failedTestThreshold: 1, reportingIntervalSeconds: 300, retentionDays: 30 };
    expect(workspaceChanges('ws', workspace, { ...workspace, settings: reordered })).toEqual([]);
    expect(workspaceChanges('ws', undefined, workspace)).toEqual([]);
  });

  it("a member's notification choices, pinned to that member; a role change is not this trigger's", () => {
    const member = { role: 'viewer', email: 'v@example.com', notifications: { ...DEFAULT_NOTIFICATION_PREFERENCES } };
    const after = { ...member, notifications: { ...DEFAULT_NOTIFICATION_PREFERENCES, agent_online: 'off' } };
    expect(notificationChanges('u1', member, after)).toMatchObject([
      { action: 'notifications.changed', target: { type: 'member', id: 'u1', name: 'v@example.com' }, pinnedActor: 'u1' },
    ]);
    expect(notificationChanges('u1', member, { ...member, role: 'admin' })).toEqual([]);
    expect(notificationChanges('u1', undefined, member)).toEqual([]);
  });

  it('an acknowledgement once, pinned to acknowledgedBy; email progress is no entry', () => {
    const event = { kind: 'test_failed', agentId: 'a1', agentName: 'web-1', acknowledgedBy: null, email: { state: 'pending' } };
    expect(acknowledgementChanges('e1', event, { ...event, acknowledgedBy: 'u2' })).toEqual([
      {
        action: 'event.acknowledged',
        target: { type: 'event', id: 'e1', name: 'web-1' },
        after: { kind: 'test_failed', agentId: 'a1' },
        pinnedActor: 'u2',
      },
    ]);
    expect(acknowledgementChanges('e1', event, { ...event, email: { state: 'sent' } })).toEqual([]);
    expect(acknowledgementChanges('e1', { ...event, acknowledgedBy: 'u2' }, { ...event, acknowledgedBy: 'u2', email: {} })).toEqual([]);
  });

  it('a check mark, a new streak re-marked, and Undo (no pinned writer)', () => {
    const mark = { solutionId: 'clamav', testId: 'db-fresh', acknowledgedBy: 'u1', acknowledgedAt: 1, failingSince: 'x' };
    expect(testMarkChanges('a1', 'clamav~db-fresh', undefined, mark)).toMatchObject([
      { action: 'test.checked', target: { type: 'test', id: 'a1/clamav~db-fresh' }, pinnedActor: 'u1' },
    ]);
    expect(testMarkChanges('a1', 'clamav~db-fresh', mark, { ...mark, failingSince: 'y' })).toHaveLength(1);
    expect(testMarkChanges('a1', 'clamav~db-fresh', mark, mark)).toEqual([]);
    const undo = testMarkChanges('a1', 'clamav~db-fresh', mark, undefined);
    expect(undo).toMatchObject([{ action: 'test.unchecked', before: { acknowledgedBy: 'u1' } }]);
    expect(undo[0]).not.toHaveProperty('pinnedActor');
  });
});
