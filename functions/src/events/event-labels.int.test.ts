// Events carry the labels their agent had when they happened, against the emulators: test_failed
// through ingest's stamp and the report trigger, agent_offline through the silence detector (run
// in-process, as silent-agents.int.test.ts does), agent_online through ingest; a relabel between
// them reaches the later events only.
import { paths, type ReportInput } from '@vigil/schema';
import type { QueryDocumentSnapshot } from 'firebase-admin/firestore';
import { describe, expect, it, vi } from 'vitest';
import { validReport } from '../../../schema/src/test-fixtures.js';
import { freshReport, sendReport } from '../../../tests/support/agents.js';
import { adminDb } from '../../../tests/support/emulators.js';
import { agentsForThisFile, eventsOf, triggerPoll, waitForState } from '../../../tests/support/report-path.js';
import { lastSeenAgo } from '../../../tests/support/silence.js';
import { detectSilentAgents } from '../alerts/detect-silent-agents.js';

const agent = agentsForThisFile();
const day = 86_400_000;

function clamavReport(eicar: boolean, minutes: number): ReportInput {
  const base = validReport().solutions[0]!;
  return freshReport({
    host: { hostname: 'labelled-1' },
    collectedAt: new Date(Date.now() - 60 * 60_000 + minutes * 60_000).toISOString(),
    solutions: [
      { ...base, tests: [{ id: 'eicar-detected', type: 'security', passed: eicar, message: eicar ? 'ok' : 'not detected', durationMs: 5 }] },
    ],
  });
}

async function eventOfKind(target: Awaited<ReturnType<typeof agent>>, kind: string) {
  let found: QueryDocumentSnapshot | undefined;
  await vi.waitFor(async () => {
    found = (await eventsOf(target)).find((event) => event.get('kind') === kind);
    expect(found, `a ${kind} event`).toBeDefined();
  }, triggerPoll);
  return found!;
}

describe('event labels', () => {
  it('each event keeps the labels its agent had when it happened', async () => {
    const web = await agent('labelled-1');
    const ref = { workspaceId: web.workspaceId, agentId: web.agentId };
    await web.owner.call('setAgentLabels', { ...ref, labels: { role: 'web', env: 'prod' } });

    const baseline = clamavReport(true, 0);
    expect((await sendReport(web.key, baseline)).status).toBe(200);
    await waitForState(web, baseline.reportId);
    const broken = clamavReport(false, 5);
    expect((await sendReport(web.key, broken)).status).toBe(200);

    // test_failed: ingest stamped the labels on the stored report, the trigger copied them.
    const failed = await eventOfKind(web, 'test_failed');
    expect(failed.get('labelPairs')).toEqual(['env=prod', 'role=web']);
    const stored = await adminDb()
      .doc(paths.report(web.workspaceId, web.agentId, broken.reportId))
      .get();
    expect(stored.get('labelPairs')).toEqual(['env=prod', 'role=web']);

    // A relabel rewrites no history, and the next events carry the new labels.
    await web.owner.call('setAgentLabels', { ...ref, labels: { env: 'staging' } });

    // agent_offline: the detector reads the agent it settles, labels included.
    await lastSeenAgo(adminDb().doc(paths.agent(web.workspaceId, web.agentId)), 10 * day);
    await detectSilentAgents();
    const offline = await eventOfKind(web, 'agent_offline');
    expect(offline.get('labelPairs')).toEqual(['env=staging']);

    // agent_online: raised by ingest, from the agent it read (its copy went stale with the relabel).
    expect((await sendReport(web.key, clamavReport(false, 10))).status).toBe(200);
    const online = await eventOfKind(web, 'agent_online');
    expect(online.get('labelPairs')).toEqual(['env=staging']);

    expect((await failed.ref.get()).get('labelPairs')).toEqual(['env=prod', 'role=web']);
  });

  it('an agent without labels makes events with none', async () => {
    const plain = await agent('unlabelled-1');
    const baseline = clamavReport(true, 0);
    expect((await sendReport(plain.key, baseline)).status).toBe(200);
    await waitForState(plain, baseline.reportId);
    expect((await sendReport(plain.key, clamavReport(false, 5))).status).toBe(200);
    expect((await eventOfKind(plain, 'test_failed')).get('labelPairs')).toEqual([]);
  });
});
