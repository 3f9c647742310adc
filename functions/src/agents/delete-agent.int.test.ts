// deleteAgent while reports of that agent are being processed: the real callable (in the functions
// emulator) races report triggers delivered in-process, one after another, from the moment it is
// called until after it answered. The agent has a thousand acks, so deleting its subtree takes a
// while (recursiveDelete goes acks, reports, then state/current) and the triggers keep finding a
// state and raising events all along. Nothing of the agent may be left afterwards, and no email may
// go out for an event raised during the deletion.
import { paths, type ReportInput } from '@vigil/schema';
import { Timestamp, type DocumentSnapshot } from 'firebase-admin/firestore';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { validReport } from '../../../schema/src/test-fixtures.js';
import { enrollAgent, freshReport, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminDb } from '../../../tests/support/emulators.js';
import { bodyOf, messagesTo } from '../../../tests/support/mail-sink.js';
import { onReportCreated } from '../alerts/on-report-created.js';

const enrolled: EnrolledAgent[] = [];
afterAll(() => Promise.all(enrolled.map((agent) => agent.owner.close())));
const poll = { timeout: 120_000, interval: 250 };

/** A report whose one test passes at even indexes and fails at odd ones: each applied after the other raises an event. */
function flipping(index: number, hostname: string): ReportInput {
  const base = validReport().solutions[0]!;
  const passed = index % 2 === 0;
  return freshReport({
    host: { hostname },
    collectedAt: new Date(Date.parse('2026-11-27T10:00:00Z') + (index + 1) * 60_000).toISOString(),
    solutions: [
      { ...base, tests: [{ id: 'eicar-detected', type: 'security', passed, message: passed ? 'EICAR detected' : 'EICAR missed', durationMs: 700 }] },
    ],
  });
}

/** A report as ingest stores it, as a snapshot, kept outside the agent so only this test triggers on it. */
async function storedReport(agent: EnrolledAgent, name: string, report: ReportInput, receiptSequence: number): Promise<DocumentSnapshot> {
  const scratch = adminDb().doc(`testScratch/${report.reportId}`);
  await scratch.set({ ...report, agentId: agent.agentId, agentName: name, failedTestThreshold: 1, receiptSequence, receivedAt: Timestamp.now() });
  return scratch.get();
}

describe('deleteAgent', () => {
  it('leaves no event and sends no email when a report trigger runs during the deletion', async () => {
    const name = 'deleted-mid-report-1';
    const doomed = await enrollAgent(name);
    enrolled.push(doomed);
    const sentinel = await enrollAgent('sentinel-after-delete-1', doomed);
    const db = adminDb();
    const baseline = flipping(0, name); // passing: the baseline raises nothing
    expect((await sendReport(doomed.key, baseline)).status).toBe(200);
    await vi.waitFor(async () => {
      expect((await db.doc(paths.agentState(doomed.workspaceId, doomed.agentId)).get()).get('reportId')).toBe(baseline.reportId);
    }, poll);
    const snapshots = await Promise.all(
      Array.from({ length: 400 }, (_, index) => storedReport(doomed, name, flipping(index + 1, name), 1_000 + index)),
    );
    const acks = db.bulkWriter();
    for (let index = 0; index < 1_000; index += 1) {
      void acks.set(db.doc(`${paths.testAcks(doomed.workspaceId, doomed.agentId)}/clamav__t${index}`), { solutionId: 'clamav', testId: `t${index}` });
    }
    await acks.close();

    // Every event this agent ever had, as the listener saw them appear.
    const seen = new Set<string>();
    const events = db.collection(paths.events(doomed.workspaceId)).where('agentId', '==', doomed.agentId);
    const unsubscribe = events.onSnapshot((snapshot) => snapshot.docs.forEach((doc) => seen.add(doc.id)));

    let deleted = false;
    const deletion = doomed.owner.call('deleteAgent', { workspaceId: doomed.workspaceId, agentId: doomed.agentId }).finally(() => {
      deleted = true;
    });
    let next = 0;
    let afterDeletion = 0;
    const lane = async () => {
      // Keep delivering until the deletion has answered, and a few more after it.
      while (next < snapshots.length && afterDeletion < 3) {
        const snapshot = snapshots[next++]!;
        if (deleted) afterDeletion += 1;
        await onReportCreated({
          data: snapshot,
          params: { workspaceId: doomed.workspaceId, agentId: doomed.agentId, reportId: snapshot.get('reportId') as string },
        } as never);
      }
    };
    await Promise.all([deletion, lane()]);
    unsubscribe();

    expect(seen.size, 'the triggers raced with the deletion and raised events').toBeGreaterThan(0);
    expect((await events.get()).docs.map((doc) => doc.id)).toEqual([]);
    expect((await db.doc(paths.agentState(doomed.workspaceId, doomed.agentId)).get()).exists).toBe(false);
    expect((await db.doc(paths.agent(doomed.workspaceId, doomed.agentId)).get()).exists).toBe(false);

    // Emails go out in the order their events appear: once the sentinel's is in, any for the
    // deleted agent would be too.
    expect((await sendReport(sentinel.key, flipping(1, 'sentinel-host'))).status).toBe(200);
    const email = doomed.owner.user.email!;
    await vi.waitFor(async () => {
      const messages = await messagesTo(email);
      expect(messages.some((message) => bodyOf(message, 'text/plain').includes('sentinel-after-delete-1'))).toBe(true);
    }, poll);
    const leaked = (await messagesTo(email)).filter((message) => `${message.subject} ${bodyOf(message, 'text/plain')}`.includes(name));
    expect(leaked.map((message) => message.subject)).toEqual([]);
  });

  it('is idempotent: deleting an agent already gone answers the same and sweeps leftovers', async () => {
    const agent = await enrollAgent('deleted-twice-1');
    enrolled.push(agent);
    const db = adminDb();
    const ref = { workspaceId: agent.workspaceId, agentId: agent.agentId };
    await agent.owner.call('deleteAgent', ref);
    // A leftover, as if an earlier deletion had stopped between its steps.
    await db.collection(paths.events(agent.workspaceId)).doc('leftover-1').set({ agentId: agent.agentId, kind: 'test_failed' });
    expect(await agent.owner.call('deleteAgent', ref)).toEqual({ agentId: agent.agentId, deleted: true });
    expect((await db.collection(paths.events(agent.workspaceId)).where('agentId', '==', agent.agentId).get()).size).toBe(0);
  });
});
