// The summarizeFleets schedule against the Firestore emulator. The handler runs in-process. Agent
// documents are written directly with the fields ingest, the offline detector and the agent
// callables keep (changedAt among them, set as they set it: the server's time); workspaces of
// other files share the emulator, so every assertion is about this file's own workspaces.
import { DEFAULT_WORKSPACE_SETTINGS, fleetSummarySchema, HISTORY_POINTS, paths, type FleetSummary } from '@vigil/schema';
import { FieldValue, Timestamp, type DocumentData } from 'firebase-admin/firestore';
import { beforeAll, describe, expect, it } from 'vitest';
import { enrollAgent, freshReport, sendReport } from '../../../tests/support/agents.js';
import { adminDb, callRaw } from '../../../tests/support/emulators.js';
import { SUMMARY_ATTEMPTS, summarizeFleets } from './summarize-fleets.js';

const RUN = Date.now().toString(36);
const WS_A = `fleet-a-${RUN}`;
const WS_B = `fleet-b-${RUN}`;
const SEEN = Timestamp.fromMillis(Date.now() - 3_600_000);
const SEEN_EARLIER = Timestamp.fromMillis(Date.now() - 7_200_000);

interface AgentFacts {
  status: 'online' | 'offline' | 'never-seen';
  revoked?: boolean;
  solutions?: string[];
  passed?: number;
  failed?: number;
  lastSeenAt?: Timestamp | null;
}

function agentDocument(name: string, facts: AgentFacts): DocumentData {
  return {
    name,
    description: '',
    status: facts.status,
    createdAt: SEEN_EARLIER,
    createdBy: 'test',
    intervalSeconds: 300,
    keyId: null,
    keyPrefix: null,
    revokedAt: facts.revoked ? SEEN : null,
    lastSeenAt: facts.lastSeenAt === undefined ? (facts.status === 'never-seen' ? null : SEEN) : facts.lastSeenAt,
    lastReportId: null,
    agentVersion: null,
    host: null,
    summary: { solutions: facts.solutions ?? [], testsPassed: facts.passed ?? 0, testsFailed: facts.failed ?? 0 },
    changedAt: FieldValue.serverTimestamp(),
  };
}

/**
 * Workspace A's fleet, one agent per case the overview's counts tell apart (web overviewCounts:
 * a revoked agent counts as revoked only, whatever its status; tests, failing and solutions count
 * every agent). Its figures, by hand: agents 7; online a1 a2; offline a3 a4; never seen a5; revoked
 * a6 a7; solutions 2 + 1 + 1 + 1 = 5 of 3 kinds (clamav, fail2ban, ufw); tests passed
 * 10 + 3 + 1 + 2 = 16, failed 2 + 4 + 1 = 7, on 3 agents (a2 a3 a6).
 */
const FLEET_A: Record<string, AgentFacts> = {
  'agent-a1': { status: 'online', solutions: ['clamav', 'fail2ban'], passed: 10 },
  'agent-a2': { status: 'online', solutions: ['clamav'], passed: 3, failed: 2 },
  'agent-a3': { status: 'offline', solutions: ['ufw'], passed: 1, failed: 4 },
  'agent-a4': { status: 'offline', lastSeenAt: SEEN_EARLIER },
  'agent-a5': { status: 'never-seen' },
  'agent-a6': { status: 'online', revoked: true, solutions: ['clamav'], passed: 2, failed: 1 },
  'agent-a7': { status: 'offline', revoked: true },
};
const COUNTS_A: FleetSummary['counts'] = {
  agents: 7,
  online: 2,
  offline: 2,
  neverSeen: 1,
  revoked: 2,
  failing: 3,
  solutionsInstalled: 5,
  solutionKinds: 3,
  testsPassed: 16,
  testsFailed: 7,
};

const db = () => adminDb();
const agentRef = (ws: string, agentId: string) => db().doc(paths.agent(ws, agentId));
const summaryRef = (ws: string) => db().doc(paths.fleetSummary(ws));

async function summaryOf(ws: string): Promise<{ summary: FleetSummary; updateTime: number }> {
  const snapshot = await summaryRef(ws).get();
  expect(snapshot.exists).toBe(true);
  return { summary: fleetSummarySchema.parse(snapshot.data()), updateTime: snapshot.updateTime!.toMillis() };
}

const updateTimeOf = async (path: string) => (await db().doc(path).get()).updateTime?.toMillis();

/** Runs the schedule until a run finds nothing new: every change made so far is then summarized. */
async function settle() {
  for (let run = 0; run < 5; run += 1) {
    const result = await summarizeFleets();
    if (result.changedAgents === 0 && result.leftOver === 0) return;
  }
}

beforeAll(async () => {
  const batch = db().batch();
  for (const [ws, name] of [
    [WS_A, 'Fleet A'],
    [WS_B, 'Fleet B'],
  ]) {
    batch.set(db().doc(paths.workspace(ws!)), { name, createdAt: SEEN, createdBy: 'test', settings: DEFAULT_WORKSPACE_SETTINGS });
  }
  for (const [agentId, facts] of Object.entries(FLEET_A)) {
    // Written before changedAt existed: found only by the first run, which recomputes every workspace.
    const { changedAt: _ignored, ...old } = agentDocument(`host-${agentId}`, facts);
    batch.set(agentRef(WS_A, agentId), old);
  }
  batch.set(agentRef(WS_B, 'agent-b1'), agentDocument('host-agent-b1', { status: 'online', solutions: ['sshd'], passed: 5 }));
  await batch.commit();
});

describe('summarizeFleets', () => {
  it("with no cursor yet, recomputes every workspace once: the counts are the overview's, the attention list and the hour point follow", async () => {
    await db().doc(paths.fleetSummaryCursor()).delete();
    // One moment for the run and the hour expected of it, so an hour boundary between them changes nothing.
    const nowMs = Date.now();
    const first = await summarizeFleets(nowMs);
    expect(first.workspaces).toBeGreaterThanOrEqual(2);
    expect((await db().doc(paths.fleetSummaryCursor()).get()).get('cursor')).toBeInstanceOf(Timestamp);

    const { summary } = await summaryOf(WS_A);
    expect(summary.counts).toEqual(COUNTS_A);
    // Failing first, most failures first (a6 is revoked: not listed), then offline ones not listed, seen most recently first.
    expect(summary.attention.map((agent) => [agent.agentId, agent.status, agent.testsFailed])).toEqual([
      ['agent-a3', 'offline', 4],
      ['agent-a2', 'online', 2],
      ['agent-a4', 'offline', 0],
    ]);
    expect(summary.attention[0]).toMatchObject({ name: 'host-agent-a3', lastSeenAt: SEEN });
    expect(summary.hours).toEqual([{ hour: new Date(Math.floor(nowMs / 3_600_000) * 3_600_000).toISOString(), passed: 16, failed: 7 }]);
    expect((await summaryOf(WS_B)).summary.counts).toMatchObject({ agents: 1, online: 1, solutionsInstalled: 1, solutionKinds: 1, testsPassed: 5 });
  });

  it('recomputes only the workspace that changed: the other summary is not written', async () => {
    await settle();
    const before = { a: await summaryOf(WS_A), b: await summaryOf(WS_B) };
    await agentRef(WS_A, 'agent-a1').update({ 'summary.testsFailed': 3, 'summary.testsPassed': 7, changedAt: FieldValue.serverTimestamp() });

    const run = await summarizeFleets();
    expect(run.changedAgents).toBeGreaterThanOrEqual(1);
    const after = await summaryOf(WS_A);
    expect(after.updateTime).toBeGreaterThan(before.a.updateTime);
    expect(after.summary.counts).toEqual({ ...COUNTS_A, failing: 4, testsPassed: 13, testsFailed: 10 });
    expect(after.summary.attention.map((agent) => agent.agentId)).toEqual(['agent-a3', 'agent-a1', 'agent-a2', 'agent-a4']);
    expect(after.summary.hours.at(-1)).toMatchObject({ passed: 13, failed: 10 });
    expect(after.summary.hours.length).toBeLessThanOrEqual(HISTORY_POINTS);
    expect((await summaryOf(WS_B)).updateTime).toBe(before.b.updateTime);
  });

  it('writes nothing when a change leaves the figures as they were', async () => {
    await settle();
    const before = await summaryOf(WS_A);
    await agentRef(WS_A, 'agent-a5').update({ description: 'renamed and back', changedAt: FieldValue.serverTimestamp() });
    const run = await summarizeFleets();
    expect(run.workspaces).toBeGreaterThanOrEqual(1);
    expect((await summaryOf(WS_A)).updateTime).toBe(before.updateTime);
  });

  it('drops a deleted agent after the next run, found through the workspace mark deleteAgent leaves', async () => {
    await settle();
    await agentRef(WS_A, 'agent-a2').delete();
    await db().doc(paths.workspace(WS_A)).update({ fleetChangedAt: FieldValue.serverTimestamp() });
    await summarizeFleets();
    const { summary } = await summaryOf(WS_A);
    expect(summary.counts).toMatchObject({ agents: 6, online: 1, solutionsInstalled: 4, testsPassed: 10, testsFailed: 8, failing: 3 });
    expect(summary.attention.map((agent) => agent.agentId)).not.toContain('agent-a2');
  });

  it('writes no summary back under a workspace deleted while agents of it were still found', async () => {
    const gone = `${WS_B}-gone`;
    // An agent left behind by a deletion in progress (deleteWorkspace removes the workspace, then its subtree).
    await agentRef(gone, 'agent-g1').set(agentDocument('host-agent-g1', { status: 'online', solutions: ['sshd'], passed: 1 }));
    await settle();
    expect((await summaryRef(gone).get()).exists).toBe(false);
  });

  it('an idle run reads nothing but the cursor and its two queries, and writes nothing', async () => {
    await settle();
    const before = { cursor: await updateTimeOf(paths.fleetSummaryCursor()), a: await summaryOf(WS_A), b: await summaryOf(WS_B) };
    expect(await summarizeFleets()).toEqual({ changedAgents: 0, workspaces: 0, written: 0, leftOver: 0, failed: 0, passedOver: 0 });
    expect(await updateTimeOf(paths.fleetSummaryCursor())).toBe(before.cursor);
    expect((await summaryOf(WS_A)).updateTime).toBe(before.a.updateTime);
    expect((await summaryOf(WS_B)).updateTime).toBe(before.b.updateTime);
  });

  it('adds a point for a later hour, and none while the figures stay', async () => {
    await settle();
    const laterHour = Date.now() + 3_600_000;
    await agentRef(WS_B, 'agent-b1').update({ 'summary.testsFailed': 1, changedAt: FieldValue.serverTimestamp() });
    await summarizeFleets(laterHour);
    const hours = (await summaryOf(WS_B)).summary.hours;
    expect(hours).toHaveLength(2);
    expect(hours[1]).toEqual({ hour: new Date(Math.floor(laterHour / 3_600_000) * 3_600_000).toISOString(), passed: 5, failed: 1 });

    await agentRef(WS_B, 'agent-b1').update({ name: 'host-agent-b1-renamed', changedAt: FieldValue.serverTimestamp() });
    await summarizeFleets(laterHour + 3_600_000);
    expect((await summaryOf(WS_B)).summary.hours).toEqual(hours);
  });

  it('cut short by its time budget, leaves the cursor before what it did not do, and the next run does it', async () => {
    await settle();
    const before = await summaryOf(WS_B);
    await agentRef(WS_B, 'agent-b1').update({ status: 'offline', changedAt: FieldValue.serverTimestamp() });
    const cut = await summarizeFleets(Date.now(), { budgetMs: -1 });
    expect(cut).toMatchObject({ workspaces: 0, written: 0 });
    expect(cut.leftOver).toBeGreaterThanOrEqual(1);
    expect((await summaryOf(WS_B)).updateTime).toBe(before.updateTime);

    await summarizeFleets();
    expect((await summaryOf(WS_B)).summary.counts).toMatchObject({ online: 0, offline: 1 });
  });

  it('leaves the work to a run that holds the lease, and takes over once that lease has expired', async () => {
    await settle();
    const cursorRef = db().doc(paths.fleetSummaryCursor());
    await cursorRef.set({ leaseId: 'another-run', leaseUntil: Timestamp.fromMillis(Date.now() + 60_000) }, { merge: true });
    try {
      await agentRef(WS_B, 'agent-b1').update({ status: 'online', changedAt: FieldValue.serverTimestamp() });
      const blocked = await summarizeFleets();
      expect(blocked).toMatchObject({ workspaces: 0, written: 0 });
      expect((await summaryOf(WS_B)).summary.counts.online).toBe(0);

      await cursorRef.set({ leaseUntil: Timestamp.fromMillis(Date.now() - 1) }, { merge: true });
      await summarizeFleets();
      expect((await summaryOf(WS_B)).summary.counts.online).toBe(1);
      expect((await cursorRef.get()).get('leaseId')).toBeUndefined();
    } finally {
      await cursorRef.set({ leaseId: FieldValue.delete(), leaseUntil: FieldValue.delete() }, { merge: true });
    }
  });

  it('follows the real path: createAgent, a report through ingest, a failing one, deleteAgent', async () => {
    const agent = await enrollAgent('summary-path-1');
    try {
      await summarizeFleets();
      expect((await summaryOf(agent.workspaceId)).summary.counts).toMatchObject({ agents: 1, neverSeen: 1, online: 0 });

      expect((await sendReport(agent.key, freshReport())).status).toBe(200);
      await summarizeFleets();
      // validReport: ClamAV with one passing test.
      expect((await summaryOf(agent.workspaceId)).summary.counts).toMatchObject({
        agents: 1,
        online: 1,
        neverSeen: 0,
        solutionsInstalled: 1,
        solutionKinds: 1,
        testsPassed: 1,
        testsFailed: 0,
      });

      const failing = freshReport();
      failing.solutions[0]!.tests = [{ id: 'eicar-detected', type: 'security', passed: false, message: 'EICAR not detected', durationMs: 5 }];
      expect((await sendReport(agent.key, failing)).status).toBe(200);
      await summarizeFleets();
      const { summary } = await summaryOf(agent.workspaceId);
      expect(summary.counts).toMatchObject({ failing: 1, testsPassed: 0, testsFailed: 1 });
      expect(summary.attention).toEqual([
        expect.objectContaining({ agentId: agent.agentId, name: 'summary-path-1', status: 'online', testsFailed: 1 }),
      ]);

      await agent.owner.call('deleteAgent', { workspaceId: agent.workspaceId, agentId: agent.agentId });
      await summarizeFleets();
      expect((await summaryOf(agent.workspaceId)).summary).toMatchObject({ counts: { agents: 0, online: 0, failing: 0 }, attention: [] });
    } finally {
      await agent.owner.close();
    }
  });

  it('a workspace whose summary always fails holds nobody back: the others are summarized, and after SUMMARY_ATTEMPTS runs the cursor passes it', async () => {
    // A malformed fleet the schedule cannot summarize: two failing agents whose names (written
    // directly, past any schema) make the summary document larger than Firestore's 1 MiB, so its
    // write fails every time. Any workspace failing for good must not stop the rest of the fleet.
    const poison = `fleet-poison-${RUN}`;
    const bigName = (letter: string) => letter.repeat(600_000);
    await db().doc(paths.workspace(poison)).set({ name: 'Poison', createdAt: SEEN, createdBy: 'test', settings: DEFAULT_WORKSPACE_SETTINGS });
    await agentRef(poison, 'agent-p1').set(agentDocument(bigName('p'), { status: 'online', solutions: ['clamav'], failed: 1 }));
    await agentRef(poison, 'agent-p2').set(agentDocument(bigName('q'), { status: 'online', solutions: ['clamav'], failed: 1 }));
    try {
      // Changed after the poison: found by the same run, later in its order.
      await agentRef(WS_B, 'agent-b1').update({ 'summary.testsPassed': 9, changedAt: FieldValue.serverTimestamp() });
      const first = await summarizeFleets();
      expect(first.failed).toBeGreaterThanOrEqual(1);
      expect((await summaryOf(WS_B)).summary.counts.testsPassed).toBe(9);
      expect((await summaryRef(poison).get()).exists).toBe(false);
      // Retried by the next runs (a failure may be passing), then passed over with an error logged.
      let passedOver = first.passedOver;
      for (let run = 1; run < SUMMARY_ATTEMPTS; run += 1) passedOver += (await summarizeFleets()).passedOver;
      expect(passedOver).toBeGreaterThanOrEqual(1);
      const cursor = (await db().doc(paths.fleetSummaryCursor()).get()).get('cursor') as Timestamp;
      const poisonChanged = (await agentRef(poison, 'agent-p2').get()).get('changedAt') as Timestamp;
      expect(cursor.toMillis()).toBeGreaterThan(poisonChanged.toMillis());
      expect((await db().doc(paths.fleetSummaryCursor()).get()).get(`failures.${poison}`)).toBeUndefined();
    } finally {
      // Deleted, it is harmless to the other files' runs: a deleted workspace gets no summary.
      await db().recursiveDelete(db().doc(paths.workspace(poison)));
    }
  });

  it('runs in the functions emulator through runSchedule, as npm start and npm run schedule run it', async () => {
    await agentRef(WS_B, 'agent-b1').update({ 'summary.testsPassed': 6, changedAt: FieldValue.serverTimestamp() });
    const response = await callRaw('runSchedule', { data: { name: 'summarizeFleets' } });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ result: { name: 'summarizeFleets', result: { leftOver: 0 } } });
    expect((await summaryOf(WS_B)).summary.counts.testsPassed).toBe(6);
  });
});
