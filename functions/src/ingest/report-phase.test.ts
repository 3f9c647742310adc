import { describe, expect, it } from 'vitest';
import { LANE_AGENTS, REPORT_WINDOW_SECONDS, laneCount, nextReportInSeconds, reportPhaseSeconds } from './report-phase.js';

const T = 300;
/** A project large enough for every lane: 15 at 300 s. */
const LARGE = 100_000;
const ids = (count: number, prefix = 'agent') => Array.from({ length: count }, (_, index) => `${prefix}-${index}`);

describe('reportPhaseSeconds', () => {
  it('puts a workspace’s agents within one window of REPORT_WINDOW_SECONDS (modulo the interval)', () => {
    const phases = ids(500).map((agentId) => reportPhaseSeconds('ws-a', agentId, T, LARGE));
    // All within an arc of the window's length: the largest gap between neighbours, around the
    // interval, leaves at least T - window uncovered.
    const sorted = [...phases].sort((a, b) => a - b);
    const gaps = sorted.map((phase, index) => (index === 0 ? phase + T - sorted.at(-1)! : phase - sorted[index - 1]!));
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(T - REPORT_WINDOW_SECONDS);
    for (const phase of phases) {
      expect(phase).toBeGreaterThanOrEqual(0);
      expect(phase).toBeLessThan(T);
    }
    // Spread within the window, not piled on one moment: at least 15 distinct whole seconds of 20.
    expect(new Set(phases.map((phase) => Math.floor(phase))).size).toBeGreaterThanOrEqual(15);
  });

  it('in a large project, spreads workspaces over every lane of the interval', () => {
    const lanes = new Set(
      ids(200, 'ws').map((workspaceId) => Math.floor(reportPhaseSeconds(workspaceId, 'same-agent-id', T, LARGE) / REPORT_WINDOW_SECONDS)),
    );
    expect(lanes.size).toBe(T / REPORT_WINDOW_SECONDS);
  });

  it('in a project of up to LANE_AGENTS agents, puts every workspace in one window (small workspaces report together)', () => {
    const phases = ids(100, 'ws').flatMap((workspaceId) => ids(10).map((agentId) => reportPhaseSeconds(workspaceId, agentId, T, LANE_AGENTS)));
    expect(Math.max(...phases) - Math.min(...phases)).toBeLessThan(REPORT_WINDOW_SECONDS);
  });

  it('in a project of three lanes, puts each workspace in one of three windows a third of an interval apart', () => {
    const starts = new Set(
      ids(60, 'ws').map((workspaceId) => Math.floor(reportPhaseSeconds(workspaceId, 'agent', T, 2 * LANE_AGENTS + 1) / (T / 3))),
    );
    expect([...starts].sort()).toEqual([0, 1, 2]);
    for (const workspaceId of ids(60, 'ws')) {
      expect(reportPhaseSeconds(workspaceId, 'agent', T, 2 * LANE_AGENTS + 1) % (T / 3)).toBeLessThan(REPORT_WINDOW_SECONDS);
    }
  });

  it('is the same for the same ids and interval (every instance agrees), and differs by agent', () => {
    expect(reportPhaseSeconds('ws-a', 'agent-1', T, LARGE)).toBe(reportPhaseSeconds('ws-a', 'agent-1', T, LARGE));
    expect(reportPhaseSeconds('ws-a', 'agent-1', T, LARGE)).not.toBe(reportPhaseSeconds('ws-a', 'agent-2', T, LARGE));
  });

  it('spreads over the whole interval when it is shorter than the window', () => {
    const phases = ids(200).map((agentId) => reportPhaseSeconds('ws-a', agentId, 15, LARGE));
    for (const phase of phases) expect(phase).toBeLessThan(15);
  });
});

describe('laneCount', () => {
  it('is one lane per LANE_AGENTS of the project, at least one and at most the windows in the interval', () => {
    expect(laneCount(0, T)).toBe(1);
    expect(laneCount(LANE_AGENTS, T)).toBe(1);
    expect(laneCount(LANE_AGENTS + 1, T)).toBe(2);
    expect(laneCount(7_500, T)).toBe(8);
    expect(laneCount(LARGE, T)).toBe(T / REPORT_WINDOW_SECONDS);
    expect(laneCount(LARGE, 15)).toBe(1);
  });

  it('takes the most lanes for an unknown count (spreading is the safe side)', () => {
    expect(laneCount(Number.POSITIVE_INFINITY, T)).toBe(T / REPORT_WINDOW_SECONDS);
    expect(laneCount(Number.NaN, T)).toBe(T / REPORT_WINDOW_SECONDS);
  });
});

describe('nextReportInSeconds', () => {
  const query = { workspaceId: 'ws-a', agentId: 'agent-7', intervalSeconds: T, projectAgents: 3_000 };
  const phase = reportPhaseSeconds('ws-a', 'agent-7', T, 3_000);

  it('lands on the slot: now + wait is the phase into an interval on the server’s clock', () => {
    for (const nowMs of [0, 1_700_000_000_000, 1_700_000_123_456, 1_800_000_299_999]) {
      const wait = nextReportInSeconds({ ...query, nowMs });
      const landing = (nowMs / 1000 + wait) % T;
      expect(Math.min(Math.abs(landing - phase), T - Math.abs(landing - phase))).toBeLessThan(0.002);
    }
  });

  it('waits at least half an interval and less than one and a half, whatever the moment', () => {
    for (let step = 0; step < 600; step += 1) {
      const wait = nextReportInSeconds({ ...query, nowMs: 1_700_000_000_000 + step * 997 });
      expect(wait).toBeGreaterThanOrEqual(T / 2);
      expect(wait).toBeLessThan(1.5 * T);
    }
  });

  it('waits one interval for an agent that reported on its slot (the reply’s few ms late)', () => {
    const slotMs = Math.ceil(1_700_000_000_000 / (T * 1000)) * T * 1000 + phase * 1000;
    expect(nextReportInSeconds({ ...query, nowMs: slotMs + 150 })).toBeCloseTo(T - 0.15, 2);
  });
});
