import { describe, expect, it } from 'vitest';
import { agentFromDoc, type AgentUpdateView } from '../model/agent';
import { attemptText, failedAttempt, isOutOfDate, STABLE_CHANNEL, updateMarkers, updatePolicyText } from './agent-update';

const SERVED = '0.2.0';
const at = '2026-03-01T10:00:00.000Z';
const auto = (last?: AgentUpdateView['last'], channel = 'stable'): AgentUpdateView => ({ auto: true, channel, last: last ?? null });

describe('out of date', () => {
  it('is a reported version other than the served one; an agent that never reported is not judged', () => {
    expect(isOutOfDate({ agentVersion: '0.1.0' }, SERVED)).toBe(true);
    expect(isOutOfDate({ agentVersion: SERVED }, SERVED)).toBe(false);
    expect(isOutOfDate({ agentVersion: null }, SERVED)).toBe(false);
    // Not an ordering: a newer agent than the dashboard serves is out of step too (it is offered the served one).
    expect(isOutOfDate({ agentVersion: '0.3.0' }, SERVED)).toBe(true);
  });

  it('marks an out-of-date agent and says why it stays there when its policy keeps it', () => {
    expect(updateMarkers({ agentVersion: SERVED, update: auto() }, SERVED)).toEqual([]);
    expect(updateMarkers({ agentVersion: null, update: null }, SERVED)).toEqual([]);
    expect(updateMarkers({ agentVersion: '0.1.0', update: auto() }, SERVED)).toEqual([
      { kind: 'out-of-date', label: 'Out of date', description: 'Runs 0.1.0; the dashboard serves 0.2.0.' },
    ]);
    expect(updateMarkers({ agentVersion: '0.1.0', update: { auto: false, channel: 'stable', last: null } }, SERVED)[0]?.description).toBe(
      'Runs 0.1.0; the dashboard serves 0.2.0. Automatic updates are off on this host (auto_update: false).',
    );
    expect(updateMarkers({ agentVersion: '0.1.0', update: auto(undefined, '0.1.0') }, SERVED)[0]?.description).toBe(
      'Runs 0.1.0; the dashboard serves 0.2.0. It is pinned to 0.1.0 (update_channel).',
    );
    // Pinned to the served version: it should be moving there, so no excuse is given.
    expect(updateMarkers({ agentVersion: '0.1.0', update: auto(undefined, SERVED) }, SERVED)[0]?.description).toBe(
      'Runs 0.1.0; the dashboard serves 0.2.0.',
    );
    expect(updateMarkers({ agentVersion: '0.0.9', update: null }, SERVED)[0]?.description).toContain(
      'does not update itself: run the installer again',
    );
  });
});

describe('a failed update', () => {
  const failed = { outcome: 'failed' as const, from: '0.1.0', to: SERVED, at: new Date(at), reason: 'SHA-256 mismatch' };
  const rolledBack = { ...failed, outcome: 'rolled-back' as const, reason: 'the new version crashed twice before its first report' };

  it('is marked when the last attempt at the served version failed or was rolled back', () => {
    expect(updateMarkers({ agentVersion: '0.1.0', update: auto(failed) }, SERVED)).toEqual([
      expect.objectContaining({ kind: 'out-of-date' }),
      { kind: 'update-failed', label: 'Update failed', description: 'Update from 0.1.0 to 0.2.0 failed: SHA-256 mismatch' },
    ]);
    expect(updateMarkers({ agentVersion: '0.1.0', update: auto(rolledBack) }, SERVED)[1]).toEqual({
      kind: 'rolled-back',
      label: 'Rolled back',
      description: 'Update from 0.1.0 to 0.2.0 was rolled back: the new version crashed twice before its first report',
    });
  });

  it('is not marked once it no longer matters: an attempt at an older served version, a success, an agent now up to date', () => {
    expect(failedAttempt({ agentVersion: '0.1.0', update: auto({ ...failed, to: '0.1.5' }) }, SERVED)).toBeNull();
    expect(failedAttempt({ agentVersion: '0.1.0', update: auto({ ...failed, outcome: 'updated' }) }, SERVED)).toBeNull();
    expect(failedAttempt({ agentVersion: SERVED, update: auto(failed) }, SERVED)).toBeNull();
    expect(updateMarkers({ agentVersion: '0.1.0', update: auto({ ...failed, to: '0.1.5' }) }, SERVED).map((marker) => marker.kind)).toEqual([
      'out-of-date',
    ]);
  });

  it('words an attempt without a reason, and keeps the agent-supplied reason as it is', () => {
    expect(attemptText({ ...failed, outcome: 'updated', reason: null })).toBe('Update from 0.1.0 to 0.2.0 succeeded.');
    expect(attemptText({ ...failed, reason: '<img src=x onerror=alert(1)>' })).toBe(
      'Update from 0.1.0 to 0.2.0 failed: <img src=x onerror=alert(1)>',
    );
  });
});

describe('the update policy', () => {
  it('says automatic with its channel, off, or not reported', () => {
    expect(STABLE_CHANNEL).toBe('stable');
    expect(updatePolicyText(auto())).toBe('automatic, channel stable');
    expect(updatePolicyText(auto(undefined, '1.4.0'))).toBe('automatic, pinned to 1.4.0');
    expect(updatePolicyText({ auto: false, channel: 'stable', last: null })).toBe('off (auto_update: false)');
    expect(updatePolicyText(null)).toBe('not reported (this agent version does not update itself)');
  });

  it('is read tolerantly from the agent document', () => {
    const read = (update: unknown) => agentFromDoc('a', { update }).update;
    expect(read({ auto: true, channel: 'stable', last: { outcome: 'rolled-back', from: '0.1.0', to: '0.2.0', at, reason: 'timeout' } })).toEqual({
      auto: true,
      channel: 'stable',
      last: { outcome: 'rolled-back', from: '0.1.0', to: '0.2.0', at: new Date(at), reason: 'timeout' },
    });
    expect(read(null)).toBeNull();
    expect(read({ auto: 'yes', channel: 'stable' })).toBeNull();
    // An unknown outcome or an unparsable time is dropped or unknown, never a crash.
    expect(read({ auto: true, channel: 'stable', last: { outcome: 'exploded', from: 'a', to: 'b', at } })?.last).toBeNull();
    expect(read({ auto: true, channel: 'stable', last: { outcome: 'failed', from: 'a', to: 'b', at: 'soon' } })?.last).toMatchObject({
      at: null,
      reason: null,
    });
    expect(read({ auto: true, channel: 'stable', last: { outcome: 'toString', from: 'a', to: 'b', at } })?.last).toBeNull();
  });
});
