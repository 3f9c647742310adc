import { describe, expect, it } from 'vitest';
import { reportPhaseSeconds } from '../../functions/src/ingest/report-phase.ts';
import { fleetArrivals, seeded, simulateIngest } from './arrival-sim.mjs';

const ingest = { vcpu: 1, concurrency: 80, intervalSeconds: 300 };

describe('simulateIngest', () => {
  it('reproduces the M/G/inf occupancy 1 - e^(-lambda d) for uniform arrivals (no rounding)', () => {
    const arrivals = fleetArrivals({ hosts: 1000, perWorkspace: 1000, intervalSeconds: 300, random: seeded(1) });
    const result = simulateIngest({ ...ingest, arrivals, durationSeconds: 0.1, cpuSecondsPerCall: 0.012, granularitySeconds: 1e-6 });
    expect(result.busy).toBeCloseTo(1 - Math.exp(-(1000 / 300) * 0.1), 1);
    expect(Math.abs(result.busy - 0.283)).toBeLessThan(0.02);
    expect(result.instances).toBe(1);
  });

  it('bills each busy stretch rounded up to 100 ms: isolated 50 ms calls cost 100 ms each', () => {
    const arrivals = [0, 10, 20, 30];
    const result = simulateIngest({ ...ingest, arrivals, durationSeconds: 0.05, cpuSecondsPerCall: 0.01 });
    expect(result.busy * 300).toBeCloseTo(0.4, 6);
  });

  it('bills a window of arrivals about its length: 1,000 reports in 20 s share one instance', () => {
    const random = seeded(2);
    const arrivals = Array.from({ length: 1000 }, () => random() * 20);
    const result = simulateIngest({ ...ingest, arrivals, durationSeconds: 0.05, cpuSecondsPerCall: 0.012 });
    expect(result.instances).toBe(1);
    // About the window's 20 s; at 50 a second 8% of the gaps exceed the 50 ms calls (e^-2.5), and
    // each of those ~80 new stretches is rounded up to 100 ms: a little over 2 s more.
    expect(result.busy * 300).toBeGreaterThan(20);
    expect(result.busy * 300).toBeLessThan(24);
  });

  it('never bills less than the CPU used: 1,000 calls in one second stretch to 12 s of one vCPU', () => {
    const random = seeded(3);
    const arrivals = Array.from({ length: 1000 }, () => random());
    const result = simulateIngest({ ...ingest, arrivals, durationSeconds: 0.05, cpuSecondsPerCall: 0.012 });
    expect(result.busy * 300).toBeGreaterThanOrEqual(12);
    expect(result.busy * 300).toBeLessThan(12.2);
    expect(result.busiestSecond).toBe(1000);
  });

  it('adds instances by the busiest minute’s CPU against the 60% target: 100,000 uniform hosts at 12.2 ms need 7', () => {
    const arrivals = fleetArrivals({ hosts: 100_000, perWorkspace: 1000, intervalSeconds: 300, random: seeded(4) });
    const result = simulateIngest({ ...ingest, arrivals, durationSeconds: 0.05, cpuSecondsPerCall: 0.0122 });
    // 20,000 a minute x 12.2 ms / 60 s = 4.07 vCPU, / 0.6 = 6.8, and a busy minute a little above the mean.
    expect(result.instances).toBeGreaterThanOrEqual(7);
    expect(result.instances).toBeLessThanOrEqual(8);
    expect(result.busy).toBeGreaterThanOrEqual((100_000 / 300) * 0.0122);
  });
});

describe('fleetArrivals', () => {
  it('puts each workspace of the fleet within one window with the phase function ingest uses', () => {
    const arrivals = fleetArrivals({ hosts: 2000, perWorkspace: 1000, intervalSeconds: 300, phaseOf: reportPhaseSeconds });
    for (const part of [arrivals.slice(0, 1000), arrivals.slice(1000)]) {
      const sorted = [...part].sort((a, b) => a - b);
      const gaps = sorted.map((t, index) => (index === 0 ? t + 300 - sorted.at(-1) : t - sorted[index - 1]));
      expect(Math.max(...gaps)).toBeGreaterThanOrEqual(280);
    }
  });

  it('gives the phase function the fleet as the project’s agent count: 1,000 hosts in workspaces of 10 share one window', () => {
    const arrivals = fleetArrivals({ hosts: 1000, perWorkspace: 10, intervalSeconds: 300, phaseOf: reportPhaseSeconds });
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThan(20);
  });
});
