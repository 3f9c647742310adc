// The report slot in ingest's reply (report-phase.ts), through the real callable: every agent is told
// a wait that lands it on its slot, on the server's clock; and the project's agent count the lanes
// come from (fleet-size.ts) is a real count against the emulator.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { enrollAgent, freshReport, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { firestore } from '../firebase/admin.js';
import { LANE_AGENTS, laneCount, reportPhaseSeconds } from './report-phase.js';

const T = 300;
const enrolled: EnrolledAgent[] = [];
afterAll(() => Promise.all(enrolled.map((agent) => agent.owner.close())));

describe('ingestReport, the report slot', () => {
  it('tells each agent the wait to its slot: the phase of its workspace and id in one of the lanes, between half and one and a half intervals', async () => {
    const web = await enrollAgent('slot-web');
    enrolled.push(web);
    const before = Date.now();
    const response = await sendReport(web.key, freshReport());
    const after = Date.now();
    expect(response.status).toBe(200);
    const wait = (response.json?.result as { nextReportInSeconds?: number }).nextReportInSeconds as number;
    expect(wait).toBeGreaterThanOrEqual(150);
    expect(wait).toBeLessThan(450);
    // The functions emulator's workers counted the project's agents at some moment of this run, when
    // there were at most as many as now (other files' agents come and go, a few at a time), so the
    // lane count is one of those up to now's, or the most lanes when a cold worker's first count
    // took longer than FIRST_COUNT_WAIT_MS (the next test checks the count itself). The slot must be
    // that lane count's phase for this agent, to the reply's few milliseconds. The reply was built
    // between `before` and `after` on this machine's clock, which the emulator shares.
    const now = (await firestore().collectionGroup('agents').count().get()).data().count;
    const possible = new Set([...Array.from({ length: laneCount(now + 20, T) }, (_, index) => index + 1), laneCount(Number.POSITIVE_INFINITY, T)]);
    const offBy = Math.min(
      ...[...possible].flatMap((lanes) => {
        const phase = reportPhaseSeconds(web.workspaceId, web.agentId, T, lanes * LANE_AGENTS);
        return [before, after].map((nowMs) => {
          const landed = (((nowMs / 1000 + wait - phase) % T) + T) % T;
          return Math.min(landed, T - landed);
        });
      }),
    );
    expect(offBy).toBeLessThanOrEqual((after - before) / 1000 + 0.01);
  });

  it("counts the project's agents with a real count() over every workspace's agents collection", async () => {
    const counted = await enrollAgent('slot-count');
    enrolled.push(counted);
    // A fresh instance of the handler's module: its count is taken now, however long it takes (a
    // failed count would be Infinity).
    vi.resetModules();
    const ingest = await import('./ingest-report.js');
    const agents = await ingest.projectFleetSize.settled();
    const listed = (await firestore().collectionGroup('agents').select().get()).size;
    expect(Number.isFinite(agents)).toBe(true);
    expect(agents).toBeGreaterThanOrEqual(1);
    // Other files' agents come and go meanwhile, a few at a time.
    expect(Math.abs(agents - listed)).toBeLessThanOrEqual(20);
  });
});
