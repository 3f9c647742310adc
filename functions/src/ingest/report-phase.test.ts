import { describe, expect, it } from 'vitest';
import { REPORT_WINDOW_SECONDS, nextReportInSeconds, reportPhaseSeconds } from './report-phase.js';

const T = 300;
const ids = (count: number, prefix = 'agent') => Array.from({ length: count }, (_, index) => `${prefix}-${index}`);

describe('reportPhaseSeconds', () => {
  it('puts a workspace’s agents within one window of REPORT_WINDOW_SECONDS (modulo the interval)', () => {
    const phases = ids(500).map((agentId) => reportPhaseSeconds('ws-a', agentId, T));
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

  it('gives different workspaces different base phases spread over the interval', () => {
    const bases = ids(200, 'ws').map((workspaceId) => reportPhaseSeconds(workspaceId, 'same-agent-id', T));
    const tenths = new Set(bases.map((phase) => Math.floor(phase / (T / 10))));
    expect(tenths.size).toBe(10);
  });

  it('is the same for the same ids and interval (every instance agrees), and differs by agent', () => {
    expect(reportPhaseSeconds('ws-a', 'agent-1', T)).toBe(reportPhaseSeconds('ws-a', 'agent-1', T));
    expect(reportPhaseSeconds('ws-a', 'agent-1', T)).not.toBe(reportPhaseSeconds('ws-a', 'agent-2', T));
  });

  it('spreads over the whole interval when it is shorter than the window', () => {
    const phases = ids(200).map((agentId) => reportPhaseSeconds('ws-a', agentId, 15));
    for (const phase of phases) expect(phase).toBeLessThan(15);
  });
});

describe('nextReportInSeconds', () => {
  const query = { workspaceId: 'ws-a', agentId: 'agent-7', intervalSeconds: T };
  const phase = reportPhaseSeconds('ws-a', 'agent-7', T);

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
