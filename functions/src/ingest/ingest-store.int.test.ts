// What ingest stores, under the emulators (store-decision.ts): every report writes the agent
// document; the report itself only when its content changed, to carry a failure streak to the
// threshold, or as the daily checkpoint. An unchanged report runs no trigger; a retried unstored
// report is a duplicate.
import { LIMITS, paths, type ReportInput } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it, vi } from 'vitest';
import { validReport } from '../../../schema/src/test-fixtures.js';
import { freshReport, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminDb } from '../../../tests/support/emulators.js';
import { agentsForThisFile, eventsOf, triggerPoll, waitForState } from '../../../tests/support/report-path.js';

const agent = agentsForThisFile();

/** A clamav report whose test passes or fails with `message`, and whose signatures metric is `signatures`. */
function clamav(options: { passed?: boolean; message?: string; signatures?: number } = {}): ReportInput {
  const base = validReport().solutions[0]!;
  const passed = options.passed ?? true;
  return freshReport({
    solutions: [
      {
        ...base,
        metrics: { ...base.metrics, signatures: options.signatures ?? 1 },
        tests: [{ ...base.tests[0]!, passed, message: options.message ?? (passed ? 'EICAR detected' : 'EICAR not detected') }],
      },
    ],
  });
}

async function send(target: EnrolledAgent, report: ReportInput) {
  const response = await sendReport(target.key, report);
  expect(response.status, response.text).toBe(200);
  return response.json?.result as { duplicate: boolean };
}

const agentRef = (target: EnrolledAgent) => adminDb().doc(paths.agent(target.workspaceId, target.agentId));
const reportRef = (target: EnrolledAgent, report: ReportInput) => adminDb().doc(paths.report(target.workspaceId, target.agentId, report.reportId));
const stateRef = (target: EnrolledAgent) => adminDb().doc(paths.agentState(target.workspaceId, target.agentId));

/** Why each report was stored (false: it was not). */
async function storedBecause(target: EnrolledAgent, reports: ReportInput[]): Promise<(string | false)[]> {
  return Promise.all(reports.map(async (report) => ((await reportRef(target, report).get()).get('storedBecause') as string | undefined) ?? false));
}

describe('ingest stores a report only when its content changed', () => {
  it('writes only the agent document for an unchanged report: no report, no trigger, the agent up to date', async () => {
    const host = await agent('unchanged-1');
    const first = clamav({ signatures: 1 });
    await send(host, first);
    await waitForState(host, first.reportId);
    const stateBefore = await stateRef(host).get();
    const agentBefore = await agentRef(host).get();

    const same = clamav({ signatures: 2 });
    expect(await send(host, same)).toMatchObject({ duplicate: false });
    expect((await reportRef(host, same).get()).exists).toBe(false);
    const agentAfter = await agentRef(host).get();
    expect(agentAfter.data()).toMatchObject({
      lastReportId: same.reportId,
      lastStoredReportId: first.reportId,
      unchangedReports: 1,
      contentHash: agentBefore.get('contentHash'),
      metrics: { clamav: { signatures: 2, databaseAgeHours: 3 } },
    });
    const seen = (doc: typeof agentAfter, field: string) => (doc.get(field) as Timestamp).toMillis();
    expect(seen(agentAfter, 'lastSeenAt')).toBeGreaterThan(seen(agentBefore, 'lastSeenAt'));
    expect(seen(agentAfter, 'offlineAt')).toBeGreaterThan(seen(agentBefore, 'offlineAt'));
    // Nothing the fleet summary counts changed.
    expect(seen(agentAfter, 'changedAt')).toBe(seen(agentBefore, 'changedAt'));

    // The trigger did not run: a changed report sent after it is applied, and the state never saw `same`.
    const changed = clamav({ passed: false });
    await send(host, changed);
    await waitForState(host, changed.reportId);
    expect(await storedBecause(host, [first, same, changed])).toEqual(['first', false, 'changed']);
    const stateAfter = await stateRef(host).get();
    expect((stateAfter.get('history') as { reportId: string }[]).map((point) => point.reportId)).toEqual([first.reportId, changed.reportId]);
    expect(stateBefore.get('reportId')).toBe(first.reportId);
    expect((await eventsOf(host)).map((event) => [event.get('kind'), event.get('reportId')])).toEqual([['test_failed', changed.reportId]]);
    // The trigger's event expires with the workspace's retention (the TTL field).
    const [failed] = await eventsOf(host);
    const createdAtMs = (failed!.get('createdAt') as Timestamp).toMillis();
    expect(Math.abs((failed!.get('expireAt') as Timestamp).toMillis() - (createdAtMs + 30 * 86_400_000))).toBeLessThan(60_000);
    // The changed report moved changedAt (the summary's test counts changed).
    expect(seen(await agentRef(host).get(), 'changedAt')).toBeGreaterThan(seen(agentAfter, 'changedAt'));
  });

  it('with a failed-test threshold of 3, stores a test failing the same way 3 times and alerts on the 3rd', async () => {
    const host = await agent('streak-1');
    await agentRef(host).update({ failedTestThreshold: 3 });
    const baseline = clamav();
    await send(host, baseline);
    await waitForState(host, baseline.reportId);

    const failing = [clamav({ passed: false }), clamav({ passed: false }), clamav({ passed: false })];
    for (const [index, report] of failing.entries()) {
      await send(host, report);
      await waitForState(host, report.reportId);
      if (index < 2) expect(await eventsOf(host)).toHaveLength(0);
    }
    await vi.waitFor(async () => {
      expect((await eventsOf(host)).map((event) => [event.get('kind'), event.get('reportId')])).toEqual([['test_failed', failing[2]!.reportId]]);
    }, triggerPoll);
    // Past the threshold the streak needs no more reports.
    const fourth = clamav({ passed: false });
    await send(host, fourth);
    expect(await storedBecause(host, [baseline, ...failing, fourth])).toEqual(['first', 'changed', 'streak', 'streak', false]);
    expect((await stateRef(host).get()).get('solutions.clamav.testAlerts.eicar-detected')).toMatchObject({ failures: 3, alerting: true });
  });

  it('alerts at once when the workspace lowers the threshold below a failure streak already counted', async () => {
    const host = await agent('streak-lowered');
    const workspace = adminDb().doc(paths.workspace(host.workspaceId));
    const thresholdCopied = (value: number) =>
      vi.waitFor(async () => expect((await agentRef(host).get()).get('failedTestThreshold')).toBe(value), triggerPoll);
    await workspace.update({ 'settings.failedTestThreshold': 5 });
    await thresholdCopied(5);
    const baseline = clamav();
    await send(host, baseline);
    await waitForState(host, baseline.reportId);
    const failing = [1, 2, 3, 4].map(() => clamav({ passed: false }));
    for (const report of failing) {
      await send(host, report);
      await waitForState(host, report.reportId);
    }
    expect(await eventsOf(host)).toHaveLength(0);

    // 4 failures counted, threshold 5; lowered to 2, the next identical failure must alert, not wait for the daily checkpoint.
    await workspace.update({ 'settings.failedTestThreshold': 2 });
    await thresholdCopied(2);
    const fifth = clamav({ passed: false });
    await send(host, fifth);
    expect(await storedBecause(host, [fifth])).toEqual(['streak']);
    await vi.waitFor(async () => {
      expect((await eventsOf(host)).map((event) => [event.get('kind'), event.get('reportId')])).toEqual([['test_failed', fifth.reportId]]);
    }, triggerPoll);
  });

  it('stores an unchanged report as a checkpoint once the last stored one is a day old', async () => {
    const host = await agent('checkpoint-1');
    const first = clamav();
    await send(host, first);
    await waitForState(host, first.reportId);
    const unchanged = clamav();
    await send(host, unchanged);
    await agentRef(host).update({ lastStoredAt: Timestamp.fromMillis(Date.now() - LIMITS.reportCheckpointSeconds * 1000 - 60_000) });

    const checkpoint = clamav();
    await send(host, checkpoint);
    await waitForState(host, checkpoint.reportId);
    expect(await storedBecause(host, [first, unchanged, checkpoint])).toEqual(['first', false, 'checkpoint']);
    const agentDoc = await agentRef(host).get();
    expect(agentDoc.get('lastStoredReportId')).toBe(checkpoint.reportId);
    expect((agentDoc.get('lastStoredAt') as Timestamp).toMillis()).toBeGreaterThan(Date.now() - 60_000);
    // A checkpoint is no change: nothing alerts.
    expect(await eventsOf(host)).toHaveLength(0);
  });

  it('answers a retried unstored report as a duplicate and writes nothing', async () => {
    const host = await agent('retried-unstored-1');
    const first = clamav();
    await send(host, first);
    const unchanged = clamav();
    expect(await send(host, unchanged)).toMatchObject({ duplicate: false });
    const before = await agentRef(host).get();

    expect(await send(host, unchanged)).toMatchObject({ duplicate: true });
    const after = await agentRef(host).get();
    expect(after.updateTime!.isEqual(before.updateTime!)).toBe(true);
    expect(after.get('unchangedReports')).toBe(1);
    expect((await reportRef(host, unchanged).get()).exists).toBe(false);
  });

  it('stores a backfill report only when its content differs, and never moves the agent’s content hash', async () => {
    const host = await agent('backfill-1');
    const live = clamav();
    await send(host, live);
    const hash = (await agentRef(host).get()).get('contentHash') as string;
    const sameOlder = { ...clamav(), backfill: true };
    const differentOlder = { ...clamav({ passed: false }), backfill: true };
    await send(host, sameOlder);
    await send(host, differentOlder);
    expect(await storedBecause(host, [live, sameOlder, differentOlder])).toEqual(['first', false, 'changed']);
    const agentDoc = await agentRef(host).get();
    expect(agentDoc.get('contentHash')).toBe(hash);
    expect(agentDoc.get('lastStoredReportId')).toBe(live.reportId);
  });
});
