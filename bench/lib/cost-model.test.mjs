import { describe, expect, it } from 'vitest';
import { reportPhaseSeconds } from '../../functions/src/ingest/report-phase.ts';
import { atFleetSize, REPORTS_PER_HOST_MONTH } from './cost-model.mjs';
import { PRICES } from './prices.mjs';

const MONTH_S = 30 * 86_400;
const ingestLine = {
  kind: 'per report',
  name: 'ingestReport',
  invocations: REPORTS_PER_HOST_MONTH,
  durationSecondsPerCall: 0.05,
  billedSecondsPerCall: 0.1,
  cpuSecondsPerCall: 0.0122,
  firestoreDollars: 0.0156,
};
const resources = { ingestReport: { vcpu: 1, memoryGiB: 2, concurrency: 80 } };
const instanceSecond = PRICES.cloudRun.perVcpuSecond + 2 * PRICES.cloudRun.perGiBSecond;
const requests = (REPORTS_PER_HOST_MONTH * PRICES.cloudRun.perMillionRequests) / 1e6;

describe('atFleetSize, ingest priced from simulated arrivals', () => {
  it('without a phase function: the Poisson formula, 1 - e^(-lambda 0.1) at 1,000 hosts', () => {
    const size = atFleetSize({ lines: [ingestLine], storageDollars: 0, resources, runHosts: 100, fleetHosts: 1000 });
    const [row] = size.functions;
    expect(row.busy).toBeCloseTo(1 - Math.exp(-(1000 / 300) * 0.1), 6);
    expect(row.dollars).toBeCloseTo((row.busy * instanceSecond * MONTH_S) / 1000 + requests, 9);
    expect(size.total).toBeCloseTo(0.0156 + row.dollars, 9);
  });

  it('with report slots: one workspace of 1,000 billed about its 20 s window, and that is what is priced', () => {
    const size = atFleetSize({ lines: [ingestLine], storageDollars: 0, resources, runHosts: 100, fleetHosts: 1000, phaseOf: reportPhaseSeconds });
    const [row] = size.functions;
    expect(row.simulated.slots.instances).toBe(1);
    expect(row.busy).toBe(row.simulated.slots.busy);
    expect(row.busy * 300).toBeGreaterThan(19);
    expect(row.busy * 300).toBeLessThan(25);
    expect(row.dollars).toBeCloseTo((row.busy * instanceSecond * MONTH_S) / 1000 + requests, 9);
    // The uniform spread simulated the same way is the formula's figure, within the sampling.
    expect(Math.abs(row.simulated.uniform.busy - row.simulated.formula)).toBeLessThan(0.05);
    // Workspaces of 10 share the project's one lane, so they are billed as one workspace is (within 10%),
    // not as the uniform spread.
    expect(Math.abs(row.simulated.smallWorkspaces.busy - row.busy)).toBeLessThan(0.1 * row.busy);
    expect(row.simulated.smallWorkspaces.busy).toBeLessThan(row.simulated.uniform.busy / 2);
  });
});
