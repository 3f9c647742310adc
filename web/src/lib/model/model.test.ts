import { describe, expect, it } from 'vitest';
import { agentFromDoc } from './agent';
import { historyFrom, stateFromDoc } from './agent-state';
import { eventFromDoc } from './event';
import { memberFromDoc, userProfileFromDoc } from './member';

const timestamp = (iso: string) => ({ toDate: () => new Date(iso) });

describe('document readers', () => {
  it('read an agent, defaulting what is missing', () => {
    const agent = agentFromDoc('a1', {
      name: 'web-1',
      status: 'weird',
      lastSeenAt: timestamp('2026-01-01T00:00:00Z'),
      host: { hostname: 'h', os: 3 },
    });
    expect(agent).toMatchObject({ id: 'a1', name: 'web-1', status: 'never-seen', host: { hostname: 'h' }, solutions: [], testsFailed: 0 });
    expect(agent.lastSeenAt?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(agent.health).toBeNull();
    const withHealth = agentFromDoc('a2', {
      health: {
        version: '0.1.0',
        uptimeSeconds: 90,
        pluginErrors: 1,
        plugins: [{ id: 'ufw', status: 'found', durationMs: 12 }],
        lastCrash: { at: 'x', kind: 'uncaughtException', message: 'boom', version: '0.1.0' },
      },
    });
    expect(withHealth.health).toMatchObject({ uptimeSeconds: 90, pluginErrors: 1, spool: null, crashes: 0, lastCrash: { message: 'boom' } });
    // An unparsable crash time and null parts read as unknown, never as a page crash.
    expect(withHealth.health?.lastCrash?.at).toBeNull();
    expect(agentFromDoc('a2', { health: { spool: null, lastCrash: null } }).health).toMatchObject({ spool: null, lastCrash: null });
  });

  it('read state/current and drop malformed tests, metrics and values', () => {
    const state = stateFromDoc({
      reportId: 'r1',
      collectedAt: '2026-01-01T00:00:00Z',
      solutions: {
        ufw: {
          version: '0.36',
          configuration: { policy: 'deny', ports: ['22', 80], bad: { nested: true } },
          metrics: { rules: 4, nope: 'x' },
          tests: [{ id: 't1', type: 'security', passed: false, message: '<b>m</b>', durationMs: 3 }, { nope: true }],
          errors: [{ message: 'e' }],
          testAlerts: { t1: { failures: 2, alerting: true, since: '2026-01-01T00:00:00Z' } },
        },
      },
    });
    const ufw = state.solutions.ufw!;
    expect(ufw.configuration).toEqual({ policy: 'deny', ports: ['22', 80] });
    expect(ufw.metrics).toEqual({ rules: 4 });
    expect(ufw.tests).toHaveLength(1);
    expect(ufw.testAlerts.t1).toEqual({ failures: 2, alerting: true, since: '2026-01-01T00:00:00Z' });
  });

  it('read the history in state/current oldest first', () => {
    const points = historyFrom([
      { reportId: 'b', collectedAt: '2026-01-01T00:05:00Z', passed: 1, failed: 0, solutions: {} },
      { reportId: 'a', collectedAt: '2026-01-01T00:00:00Z', passed: 1, failed: 0, solutions: {} },
      { reportId: 'bad' },
    ]);
    expect(points.map((point) => point.reportId)).toEqual(['a', 'b']);
    expect(historyFrom(undefined)).toEqual([]);
    expect(stateFromDoc({ reportId: 'r', collectedAt: 'x', solutions: {} }).history).toEqual([]);
  });

  it('read events and skip unknown kinds', () => {
    expect(eventFromDoc('e', { kind: 'future_kind' })).toBeUndefined();
    const event = eventFromDoc('e', {
      kind: 'config_changed',
      agentId: 'a',
      agentName: 'web-1',
      solutionIds: ['sshd'],
      createdAt: timestamp('2026-01-01T00:00:00Z'),
      details: { changes: [{ solutionId: 'sshd', key: 'port', before: ['22'], after: ['22', '2222'] }] },
      acknowledgedAt: null,
      acknowledgedBy: null,
    });
    expect(event?.details.changes?.[0]).toEqual({ solutionId: 'sshd', key: 'port', before: ['22'], after: ['22', '2222'] });
  });

  it('read members with every notification kind present, and profiles', () => {
    const member = memberFromDoc('u', { role: 'admin', email: 'a@b', notifications: { test_failed: 'off', agent_online: 'bogus' } });
    expect(member.notifications.test_failed).toBe('off');
    expect(member.notifications.agent_online).toBe('instant');
    expect(Object.keys(member.notifications)).toHaveLength(7);
    expect(memberFromDoc('u', { role: 'root' }).role).toBe('viewer');
    expect(userProfileFromDoc({ personalWorkspaceId: 'w1', workspaces: { w1: 'owner', w2: 'nope' } })).toEqual({
      personalWorkspaceId: 'w1',
      workspaces: { w1: 'owner' },
    });
  });
});
