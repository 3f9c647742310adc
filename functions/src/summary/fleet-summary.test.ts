import { FLEET_ATTENTION_AGENTS, HISTORY_POINTS } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import {
  attentionAgent,
  attentionList,
  fleetCounts,
  summaryChanged,
  withHourPoint,
  type AttentionAgent,
  type FleetFigures,
} from './fleet-summary.js';

const aggregates = {
  agents: 9,
  revoked: 2,
  online: 4,
  offline: 1,
  failing: 3,
  testsPassed: 40,
  testsFailed: 5,
  agentsPerSolution: { clamav: 3, fail2ban: 1, ufw: 0 },
};

function agent(agentId: string, testsFailed: number, status: AttentionAgent['status'] = 'online', lastSeenMs: number | null = 0): AttentionAgent {
  return { agentId, name: `host-${agentId}`, status, testsFailed, lastSeenAt: lastSeenMs === null ? null : Timestamp.fromMillis(lastSeenMs) };
}

const hour = (h: number) => new Date(Date.UTC(2026, 11, 2, h)).toISOString();

describe('fleetCounts', () => {
  it('derives never-seen from the others and counts solutions per agent and by kind', () => {
    expect(fleetCounts(aggregates)).toEqual({
      agents: 9,
      online: 4,
      offline: 1,
      neverSeen: 2,
      revoked: 2,
      failing: 3,
      solutionsInstalled: 4,
      solutionKinds: 2,
      testsPassed: 40,
      testsFailed: 5,
    });
  });

  it('reads what an aggregation cannot promise (null sums, fractions, inconsistent counts) as whole counts >= 0', () => {
    const counts = fleetCounts({
      ...aggregates,
      agents: 3,
      testsPassed: null as unknown as number,
      testsFailed: 2.5,
      agentsPerSolution: { clamav: Number.NaN },
    });
    expect(counts).toMatchObject({ neverSeen: 0, testsPassed: 0, testsFailed: 2, solutionsInstalled: 0, solutionKinds: 0 });
  });
});

describe('attentionList', () => {
  it('lists failing agents most failures first (by name on a tie), then offline ones seen most recently first', () => {
    const failing = [agent('a', 1), agent('c', 7), agent('b', 7)];
    const offline = [agent('old', 0, 'offline', 1000), agent('never', 0, 'offline', null), agent('recent', 0, 'offline', 5000)];
    expect(attentionList(failing, offline).map((listed) => listed.agentId)).toEqual(['b', 'c', 'a', 'recent', 'old', 'never']);
  });

  it('lists an offline agent with failing tests once, among the failing', () => {
    const both = agent('both', 2, 'offline', 1000);
    const listed = attentionList([both], [both, agent('quiet', 0, 'offline', 500)]);
    expect(listed.map((entry) => entry.agentId)).toEqual(['both', 'quiet']);
  });

  it(`keeps at most FLEET_ATTENTION_AGENTS (${FLEET_ATTENTION_AGENTS}), failing ones first`, () => {
    const failing = Array.from({ length: 8 }, (_, index) => agent(`f${index}`, 10 - index));
    const offline = Array.from({ length: 10 }, (_, index) => agent(`o${index}`, 0, 'offline', index));
    const listed = attentionList(failing, offline);
    expect(listed).toHaveLength(FLEET_ATTENTION_AGENTS);
    expect(listed.slice(0, 8).every((entry) => entry.testsFailed > 0)).toBe(true);
    expect(listed.slice(8).map((entry) => entry.agentId)).toEqual(['o9', 'o8']);
  });
});

describe('attentionAgent', () => {
  it('tolerates a malformed agent document: id for a name, never-seen for a status, 0 failures, no time', () => {
    expect(attentionAgent('x1', { name: '', status: 'exploded', testsFailed: '3', lastSeenAt: 'yesterday' })).toEqual({
      agentId: 'x1',
      name: 'x1',
      status: 'never-seen',
      testsFailed: 0,
      lastSeenAt: null,
    });
  });
});

describe('withHourPoint', () => {
  it('appends a new hour, newest last', () => {
    const hours = [{ hour: hour(1), passed: 5, failed: 0 }];
    expect(withHourPoint(hours, { hour: hour(2), passed: 4, failed: 1 })).toEqual([...hours, { hour: hour(2), passed: 4, failed: 1 }]);
  });

  it("replaces its own hour's point: the value at the hour's last recompute", () => {
    const hours = [
      { hour: hour(1), passed: 5, failed: 0 },
      { hour: hour(2), passed: 4, failed: 1 },
    ];
    expect(withHourPoint(hours, { hour: hour(2), passed: 3, failed: 2 })).toEqual([hours[0], { hour: hour(2), passed: 3, failed: 2 }]);
  });

  it('leaves out a point equal to the one before it: the dashboard carries that value forward', () => {
    const hours = [{ hour: hour(1), passed: 5, failed: 0 }];
    expect(withHourPoint(hours, { hour: hour(3), passed: 5, failed: 0 })).toEqual(hours);
    // Back to the previous hour's value within an hour: that hour's own point goes.
    expect(withHourPoint([...hours, { hour: hour(2), passed: 4, failed: 1 }], { hour: hour(2), passed: 5, failed: 0 })).toEqual(hours);
  });

  it(`keeps the newest HISTORY_POINTS (${HISTORY_POINTS}) points`, () => {
    const hours = Array.from({ length: HISTORY_POINTS }, (_, index) => ({
      hour: new Date(Date.UTC(2026, 0, 1, index)).toISOString(),
      passed: index,
      failed: 0,
    }));
    const next = withHourPoint(hours, { hour: new Date(Date.UTC(2026, 0, 3, 1)).toISOString(), passed: 999, failed: 0 });
    expect(next).toHaveLength(HISTORY_POINTS);
    expect(next[0]).toEqual(hours[1]);
    expect(next.at(-1)).toMatchObject({ passed: 999 });
  });
});

describe('summaryChanged', () => {
  const figures: FleetFigures = {
    counts: fleetCounts(aggregates),
    hours: [{ hour: hour(1), passed: 40, failed: 5 }],
    attention: [agent('a', 2, 'online', 1000)],
  };
  const copy = (): FleetFigures => structuredClone({ ...figures, attention: [] }) as FleetFigures;

  it('is false for the same figures (timestamps compared by time, not identity)', () => {
    expect(summaryChanged(figures, { ...copy(), attention: [agent('a', 2, 'online', 1000)] })).toBe(false);
  });

  it('is true when there is no stored summary, or any count, hour or attention entry differs', () => {
    const same = () => ({ ...copy(), attention: [agent('a', 2, 'online', 1000)] });
    expect(summaryChanged(undefined, figures)).toBe(true);
    expect(summaryChanged(figures, { ...same(), counts: { ...figures.counts, revoked: 3 } })).toBe(true);
    expect(summaryChanged(figures, { ...same(), hours: [{ hour: hour(1), passed: 40, failed: 6 }] })).toBe(true);
    expect(summaryChanged(figures, { ...same(), hours: [] })).toBe(true);
    expect(summaryChanged(figures, { ...same(), attention: [agent('a', 2, 'online', 2000)] })).toBe(true);
    expect(summaryChanged(figures, { ...same(), attention: [agent('a', 2, 'offline', 1000)] })).toBe(true);
    expect(summaryChanged(figures, { ...same(), attention: [{ ...agent('a', 2, 'online', 1000), name: 'renamed' }] })).toBe(true);
    expect(summaryChanged(figures, { ...same(), attention: [] })).toBe(true);
  });
});
