// Report order under the emulators: what an agent's clock says never decides what is newest. A
// clock years ahead is clamped at ingest and cannot freeze a host; a clock far behind still moves
// state, facts and events; a spool drained newest first (the rest as backfill) shows the present at
// once and raises nothing stale. Ingest stores a report only when its content changed
// (store-decision.ts), so each report here that the trigger must see says something new.
import { paths, type ReportInput } from '@vigil/schema';
import { describe, expect, it, vi } from 'vitest';
import { validReport } from '../../../schema/src/test-fixtures.js';
import { freshReport, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { agentsForThisFile, triggerPoll } from '../../../tests/support/report-path.js';
import { adminDb } from '../../../tests/support/emulators.js';

const agent = agentsForThisFile();
const poll = triggerPoll;

/** A report collected at `collectedAt` whose one test passes or fails (with `message`), from host `hostname`. */
function report(collectedAt: string, options: { eicar: boolean; hostname: string; backfill?: boolean; message?: string }): ReportInput {
  const base = validReport().solutions[0]!;
  return freshReport({
    collectedAt,
    host: { hostname: options.hostname },
    ...(options.backfill ? { backfill: true } : {}),
    solutions: [
      {
        ...base,
        tests: [
          {
            id: 'eicar-detected',
            type: 'security',
            passed: options.eicar,
            message: options.message ?? (options.eicar ? 'detected' : 'not detected'),
            durationMs: 5,
          },
        ],
      },
    ],
  });
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

async function send(target: EnrolledAgent, input: ReportInput) {
  const response = await sendReport(target.key, input);
  expect(response.status, response.text).toBe(200);
}

async function waitForState(target: EnrolledAgent, reportId: string) {
  await vi.waitFor(async () => {
    const state = await adminDb().doc(paths.agentState(target.workspaceId, target.agentId)).get();
    expect(state.get('reportId')).toBe(reportId);
  }, poll);
}

async function eventsOf(target: EnrolledAgent) {
  const snapshot = await adminDb().collection(paths.events(target.workspaceId)).where('agentId', '==', target.agentId).get();
  return snapshot.docs.map((doc) => doc.data());
}

async function agentDoc(target: EnrolledAgent) {
  return (await adminDb().doc(paths.agent(target.workspaceId, target.agentId)).get()).data()!;
}

describe('report order', () => {
  it('clamps a report from 2099 to its receipt time, and later normal reports move state, facts and events', async () => {
    const host = await agent('clock-ahead');
    const baseline = report(minutesAgo(2), { eicar: true, hostname: 'before' });
    await send(host, baseline);
    await waitForState(host, baseline.reportId);

    const sentAt = Date.now();
    const future = report('2099-01-01T00:00:00.000Z', { eicar: true, hostname: 'future', message: 'detected in 2099' });
    await send(host, future);
    const stored = (
      await adminDb()
        .doc(paths.report(host.workspaceId, host.agentId, future.reportId))
        .get()
    ).data()!;
    expect(stored.sentCollectedAt).toBe('2099-01-01T00:00:00.000Z');
    expect(Date.parse(stored.collectedAt)).toBeGreaterThanOrEqual(sentAt - 1000);
    expect(Date.parse(stored.collectedAt)).toBeLessThanOrEqual(Date.now() + 1000);
    expect((await agentDoc(host)).clockSkewSeconds).toBeGreaterThan(365 * 86_400);
    await waitForState(host, future.reportId);

    // The clock is fixed: the next report is normal, and fails a test.
    const normal = report(new Date().toISOString(), { eicar: false, hostname: 'after' });
    await send(host, normal);
    await waitForState(host, normal.reportId);
    const facts = await agentDoc(host);
    expect(facts).toMatchObject({ lastReportId: normal.reportId, host: { hostname: 'after' }, lastCollectedAt: normal.collectedAt });
    expect(Math.abs(facts.clockSkewSeconds as number)).toBeLessThan(60);
    await vi.waitFor(async () => {
      const events = await eventsOf(host);
      expect(events.map((event) => [event.kind, event.reportId, event.occurredAt])).toEqual([['test_failed', normal.reportId, normal.collectedAt]]);
    }, poll);
  });

  it('follows a clock far behind: a live report received later is newer, whatever time it claims', async () => {
    const host = await agent('clock-behind');
    const baseline = report(minutesAgo(1), { eicar: true, hostname: 'before' });
    await send(host, baseline);
    await waitForState(host, baseline.reportId);

    const behind = report('2001-09-09T01:46:40.000Z', { eicar: false, hostname: 'behind' });
    await send(host, behind);
    await waitForState(host, behind.reportId);
    const facts = await agentDoc(host);
    expect(facts).toMatchObject({ lastReportId: behind.reportId, host: { hostname: 'behind' } });
    expect(facts.clockSkewSeconds).toBeLessThan(-20 * 365 * 86_400);
    const stored = (
      await adminDb()
        .doc(paths.report(host.workspaceId, host.agentId, behind.reportId))
        .get()
    ).data()!;
    expect(stored.collectedAt).toBe('2001-09-09T01:46:40.000Z');
    expect(stored.sentCollectedAt).toBeUndefined();

    const fixed = report(new Date().toISOString(), { eicar: true, hostname: 'after' });
    await send(host, fixed);
    await waitForState(host, fixed.reportId);
    expect(await agentDoc(host)).toMatchObject({ lastReportId: fixed.reportId, host: { hostname: 'after' } });
    await vi.waitFor(async () => {
      const events = await eventsOf(host);
      expect(events.map((event) => [event.kind, event.reportId]).sort()).toEqual([
        ['test_failed', behind.reportId],
        ['test_recovered', fixed.reportId],
      ]);
    }, poll);
  });

  it('after an outage, shows the newest report at once and stores the backfill as history only', async () => {
    const host = await agent('drained');
    const db = adminDb();
    const baseline = report(minutesAgo(60), { eicar: true, hostname: 'drained' });
    await send(host, baseline);
    await waitForState(host, baseline.reportId);
    // The outage: the offline detector marked it offline (as detectSilentAgents does).
    await db.doc(paths.agent(host.workspaceId, host.agentId)).update({ status: 'offline' });

    // Back: the newest spooled report first (collected a minute ago), then the older ones as backfill,
    // which failed a test and carry another host name: none of that is the present.
    const newest = report(minutesAgo(1), { eicar: true, hostname: 'drained', message: 'detected after the outage' });
    const backfill = [40, 30, 20].map((minutes) => report(minutesAgo(minutes), { eicar: false, hostname: 'stale', backfill: true }));
    const receivedFrom = Date.now();
    await send(host, newest);
    const receivedBy = Date.now();
    for (const older of backfill) await send(host, older);

    await waitForState(host, newest.reportId);
    // Each backfill report adds its point to the recent history, in collection order.
    await vi.waitFor(async () => {
      const state = await db.doc(paths.agentState(host.workspaceId, host.agentId)).get();
      const history = (state.get('history') as Array<{ reportId: string }>).map((point) => point.reportId);
      expect(history).toEqual([baseline.reportId, ...backfill.map((older) => older.reportId), newest.reportId]);
    }, poll);
    const state = await db.doc(paths.agentState(host.workspaceId, host.agentId)).get();
    expect(state.get('reportId')).toBe(newest.reportId);
    expect(state.get('solutions.clamav.testAlerts.eicar-detected.alerting')).toBe(false);

    const facts = await agentDoc(host);
    expect(facts).toMatchObject({
      status: 'online',
      lastReportId: newest.reportId,
      host: { hostname: 'drained' },
      lastCollectedAt: newest.collectedAt,
    });
    expect(Math.abs((facts.clockSkewSeconds as number) + 60)).toBeLessThan(30);
    expect(facts.lastSeenAt.toMillis()).toBeGreaterThanOrEqual(receivedFrom - 1000);

    const stored = await db.collection(paths.reports(host.workspaceId, host.agentId)).get();
    expect(stored.size).toBe(2 + backfill.length);

    // Only the recovery of the connection, when it was heard again; nothing from the backfill.
    const events = await eventsOf(host);
    expect(events.map((event) => [event.kind, event.reportId])).toEqual([['agent_online', newest.reportId]]);
    const occurredAt = Date.parse(events[0]!.occurredAt as string);
    expect(occurredAt).toBeGreaterThanOrEqual(receivedFrom - 1000);
    expect(occurredAt).toBeLessThanOrEqual(receivedBy + 1000);
  });
});
