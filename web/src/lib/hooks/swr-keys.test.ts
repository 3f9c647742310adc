import { unstable_serialize } from 'swr';
import { describe, expect, it } from 'vitest';
import { NO_FILTERS } from '../domain/agent-filters';
import { staleAfter, swrKeys } from './swr-keys';

// SWR tells keys apart by their serialized value: compare what SWR compares.
const serialized = (key: readonly unknown[]) => unstable_serialize(key);

describe('swrKeys', () => {
  it('gives every resource and every input its own key', () => {
    const keys = [
      swrKeys.profile('u1'),
      swrKeys.profile('u2'),
      swrKeys.bootstrap('u1'),
      swrKeys.member('w1', 'u1'),
      swrKeys.member('w1', 'u2'),
      swrKeys.member('w2', 'u1'),
      swrKeys.memberEmail('w1', 'u1'),
      swrKeys.workspace('w1'),
      swrKeys.workspace('w2'),
      swrKeys.workspaceNames(['w1', 'w2']),
      swrKeys.workspaceNames(['w1', 'w3']),
      swrKeys.agentsPage('w1', NO_FILTERS, null),
      swrKeys.agentsPage('w1', { ...NO_FILTERS, status: 'offline' }, null),
      swrKeys.agentsPage('w2', NO_FILTERS, null),
      swrKeys.agentsCount('w1', NO_FILTERS),
      swrKeys.agentsCount('w1', { ...NO_FILTERS, search: 'web' }),
      swrKeys.agentSearch('w1', 'web'),
      swrKeys.agentSearch('w1', 'Web'),
      swrKeys.agentOnce('w1', 'a1'),
      swrKeys.fleetSummary('w1'),
      swrKeys.fleetSummary('w2'),
      swrKeys.hasAgents('w1'),
      swrKeys.agent('w1', 'a1'),
      swrKeys.agent('w1', 'a2'),
      swrKeys.agentState('w1', 'a1'),
      swrKeys.latestEvents('w1', 5),
      swrKeys.latestEvents('w1', 10),
      swrKeys.openEventCount('w1', 'v1'),
      swrKeys.openEventCount('w1', 'v2'),
      swrKeys.eventsPage('w1', {}, 0, null),
      swrKeys.eventsPage('w1', {}, 1, null),
      swrKeys.eventsPage('w1', { kind: 'agent_offline' }, 0, null),
      swrKeys.eventsPage('w1', { agentId: 'a1' }, 0, null),
      swrKeys.eventsPage('w1', { solutionId: 'a1' }, 0, null),
      swrKeys.configChanges('w1', 'a1', 's1', '{}'),
      swrKeys.configChanges('w1', 'a1', 's1', '{"port":1}'),
      swrKeys.testAcks('w1', 'a1', 's1'),
      swrKeys.testAcks('w1', 'a1', 's2'),
      swrKeys.testAcks('w1', 'a2', 's1'),
      swrKeys.members('w1'),
      swrKeys.members('w2'),
      swrKeys.invitations('w1'),
      swrKeys.invitations('w2'),
      swrKeys.enrollmentTokens('w1'),
      swrKeys.enrollmentTokens('w2'),
      swrKeys.auditPage('w1', {}, 0, null),
      swrKeys.auditPage('w1', {}, 1, null),
      swrKeys.auditPage('w2', {}, 0, null),
      swrKeys.auditPage('w1', { action: 'agent.created' }, 0, null),
      swrKeys.auditPage('w1', { actorUid: 'u1' }, 0, null),
      swrKeys.auditPage('w1', { agentId: 'a1' }, 0, null),
      swrKeys.auditPage('w1', { from: '2026-11-01' }, 0, null),
      swrKeys.auditPage('w1', { to: '2026-11-01' }, 0, null),
    ].map(serialized);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives the same inputs the same key', () => {
    expect(serialized(swrKeys.member('w1', 'u1'))).toBe(serialized(swrKeys.member('w1', 'u1')));
    expect(serialized(swrKeys.eventsPage('w1', { kind: 'config_changed', agentId: 'a1' }, 2, null))).toBe(
      serialized(swrKeys.eventsPage('w1', { agentId: 'a1', kind: 'config_changed' }, 2, null)),
    );
    expect(serialized(swrKeys.auditPage('w1', { actorUid: 'u1', action: 'test.checked' }, 0, null))).toBe(
      serialized(swrKeys.auditPage('w1', { action: 'test.checked', actorUid: 'u1' }, 0, null)),
    );
  });

  it('names the same workspaces with one key, whatever their order, without reordering the caller’s list', () => {
    const ids = ['w2', 'w1'];
    expect(serialized(swrKeys.workspaceNames(ids))).toBe(serialized(swrKeys.workspaceNames(['w1', 'w2'])));
    expect(ids).toEqual(['w2', 'w1']);
  });
});

describe('staleAfter', () => {
  it('refreshes exactly the key the read hook of what was written uses', () => {
    expect(staleAfter.updateWorkspaceSettings('w1').map(serialized)).toEqual([serialized(swrKeys.workspace('w1'))]);
    expect(staleAfter.updateNotificationPreferences('w1', 'u1').map(serialized)).toEqual([serialized(swrKeys.member('w1', 'u1'))]);
    expect(staleAfter.markTestChecked('w1', 'a1', 's1').map(serialized)).toEqual([serialized(swrKeys.testAcks('w1', 'a1', 's1'))]);
    expect(staleAfter.undoTestCheck('w1', 'a1', 's1').map(serialized)).toEqual([serialized(swrKeys.testAcks('w1', 'a1', 's1'))]);
  });

  it('refreshes every page, count and search of the agents list after an agent write, in that workspace only', () => {
    const lists = [
      swrKeys.agentsPage('w1', NO_FILTERS, null),
      swrKeys.agentsPage('w1', { ...NO_FILTERS, failingOnly: true }, null),
      swrKeys.agentsCount('w1', NO_FILTERS),
      swrKeys.agentSearch('w1', 'web'),
      swrKeys.agentOnce('w1', 'a1'),
    ];
    for (const write of [
      staleAfter.createAgent,
      staleAfter.rotateAgentKey,
      staleAfter.requestKeyRotation,
      staleAfter.revokeAgent,
      staleAfter.deleteAgent,
      staleAfter.setAgentLabels,
    ]) {
      const [matches] = write('w1');
      expect(typeof matches).toBe('function');
      const stale = matches as (key: unknown) => boolean;
      expect(lists.every(stale)).toBe(true);
      expect(stale(swrKeys.agentsPage('w2', NO_FILTERS, null))).toBe(false);
      expect(stale(swrKeys.workspace('w1'))).toBe(false);
      expect(stale(swrKeys.agent('w1', 'a1'))).toBe(false);
    }
  });

  it('refreshes the Members page’s lists after a membership write, and the session’s member document after a role change', () => {
    const members = serialized(swrKeys.members('w1'));
    const invitations = serialized(swrKeys.invitations('w1'));
    for (const write of [staleAfter.inviteMember, staleAfter.resendInvitation, staleAfter.revokeInvitation]) {
      expect(write('w1').map(serialized)).toEqual([invitations]);
    }
    expect(staleAfter.setMemberRole('w1', 'u1').map(serialized)).toEqual([members, serialized(swrKeys.member('w1', 'u1'))]);
    expect(staleAfter.removeMember('w1').map(serialized)).toEqual([members]);
    expect(staleAfter.leaveWorkspace('w1', 'u1').map(serialized)).toEqual([members, serialized(swrKeys.member('w1', 'u1'))]);
    expect(staleAfter.removeMember('w1').map(serialized)).not.toContain(serialized(swrKeys.members('w2')));
  });

  it('does not refresh another workspace, member or solution', () => {
    expect(staleAfter.updateWorkspaceSettings('w1').map(serialized)).not.toContain(serialized(swrKeys.workspace('w2')));
    expect(staleAfter.updateNotificationPreferences('w1', 'u1').map(serialized)).not.toContain(serialized(swrKeys.member('w1', 'u2')));
    expect(staleAfter.markTestChecked('w1', 'a1', 's1').map(serialized)).not.toContain(serialized(swrKeys.testAcks('w1', 'a1', 's2')));
  });
});
