// The report slot in ingest's reply (report-phase.ts), through the real callable: every agent of a
// workspace is told a wait that lands it in the workspace's window, on the server's clock.
import { afterAll, describe, expect, it } from 'vitest';
import { enrollAgent, freshReport, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { reportPhaseSeconds } from './report-phase.js';

const enrolled: EnrolledAgent[] = [];
afterAll(() => Promise.all(enrolled.map((agent) => agent.owner.close())));

describe('ingestReport, the report slot', () => {
  it('tells each agent the wait to its slot: the phase of its workspace and id, between half and one and a half intervals', async () => {
    const web = await enrollAgent('slot-web');
    enrolled.push(web);
    const before = Date.now();
    const response = await sendReport(web.key, freshReport());
    const after = Date.now();
    expect(response.status).toBe(200);
    const wait = (response.json?.result as { nextReportInSeconds?: number }).nextReportInSeconds as number;
    expect(wait).toBeGreaterThanOrEqual(150);
    expect(wait).toBeLessThan(450);
    // The reply was built between `before` and `after` on this machine's clock, which the emulator shares.
    const phase = reportPhaseSeconds(web.workspaceId, web.agentId, 300);
    const landed = [before, after].map((nowMs) => (((nowMs / 1000 + wait - phase) % 300) + 300) % 300);
    const offBy = Math.min(...landed.map((value) => Math.min(value, 300 - value)));
    expect(offBy).toBeLessThanOrEqual((after - before) / 1000 + 0.01);
  });
});
