// The alerting path end to end under the emulators: report → onReportCreated → events →
// sendEventEmail → the real @sendgrid/mail client → the local mail sink. Scheduled handlers run
// in-process against the same emulator with seeded silent and old data.
import { paths, type ReportInput } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it, vi } from 'vitest';
import { validReport } from '../../../schema/src/test-fixtures.js';
import { freshReport, sendReport } from '../../../tests/support/agents.js';
import { agentsForThisFile, triggerPoll, eventsOf, waitForState } from '../../../tests/support/report-path.js';
import { adminDb } from '../../../tests/support/emulators.js';
import { bodyOf, messagesTo } from '../../../tests/support/mail-sink.js';
import { lastSeenAgo } from '../../../tests/support/silence.js';
import { detectSilentAgents } from './detect-silent-agents.js';
import { onReportCreated } from './on-report-created.js';
import { sendEventEmail } from './send-event-email.js';

const agent = agentsForThisFile();
const poll = triggerPoll;

function clamavReport(options: { scanArchive: boolean; eicar: boolean; minutes: number; hostname?: string }): ReportInput {
  const base = validReport().solutions[0]!;
  return freshReport({
    host: { hostname: options.hostname ?? 'web-1' },
    collectedAt: new Date(Date.parse('2026-11-27T10:00:00Z') + options.minutes * 60_000).toISOString(),
    solutions: [
      {
        ...base,
        configuration: { ScanArchive: options.scanArchive, MaxFileSize: '25M' },
        tests: [
          {
            id: 'eicar-detected',
            type: 'security',
            passed: options.eicar,
            message: options.eicar ? 'EICAR detected' : 'EICAR test file was not detected <b>at all</b>',
            durationMs: 700,
          },
        ],
      },
    ],
  });
}

describe('alerts end to end', () => {
  it('emails one message per kind for a changed setting and a failing test, then a recovery', async () => {
    const web = await agent('web-1');
    const email = web.owner.user.email!;
    const baseline = clamavReport({ scanArchive: true, eicar: true, minutes: 0 });
    expect((await sendReport(web.key, baseline)).status).toBe(200);
    await waitForState(web, baseline.reportId);

    const broken = clamavReport({ scanArchive: false, eicar: false, minutes: 5 });
    expect((await sendReport(web.key, broken)).status).toBe(200);
    await vi.waitFor(async () => expect(await messagesTo(email)).toHaveLength(2), poll);
    const messages = await messagesTo(email);
    const failed = messages.find((message) => /failing/i.test(message.subject ?? ''))!;
    const changed = messages.find((message) => /configuration changed/i.test(message.subject ?? ''))!;
    expect(failed.subject).toContain('web-1');
    expect(bodyOf(failed, 'text/plain')).toContain('EICAR test file was not detected');
    expect(bodyOf(failed, 'text/html')).toContain('&lt;b&gt;at all&lt;/b&gt;');
    expect(bodyOf(failed, 'text/html')).not.toContain('<b>at all</b>');
    expect(bodyOf(failed, 'text/plain')).toContain(`/solution/?ws=${web.workspaceId}&agent=${web.agentId}&solution=clamav`);
    expect(bodyOf(changed, 'text/plain')).toMatch(/ScanArchive/);
    expect(bodyOf(changed, 'text/plain')).toMatch(/true\s*→\s*false/);
    for (const message of messages) expect(message.personalizations).toEqual([{ to: [{ email: email.toLowerCase() }] }]);

    await vi.waitFor(async () => {
      const events = await eventsOf(web);
      expect(events.map((event) => [event.get('kind'), event.get('email.state')]).sort()).toEqual([
        ['config_changed', 'sent'],
        ['test_failed', 'sent'],
      ]);
    }, poll);

    // state/current carries the recent history for the charts: one point per applied report.
    const state = await adminDb().doc(paths.agentState(web.workspaceId, web.agentId)).get();
    expect((state.get('history') as Array<{ reportId: string; failed: number }>).map((point) => [point.reportId, point.failed])).toEqual([
      [baseline.reportId, 0],
      [broken.reportId, 1],
    ]);

    const fixed = clamavReport({ scanArchive: false, eicar: true, minutes: 10 });
    expect((await sendReport(web.key, fixed)).status).toBe(200);
    await vi.waitFor(async () => expect(await messagesTo(email)).toHaveLength(3), poll);
    const recovery = (await messagesTo(email)).at(-1)!;
    expect(recovery.subject).toMatch(/recovered/i);
  });

  it('ignores a backfilled older report and a redelivered trigger: no state change, no second email', async () => {
    const web = await agent('late-1');
    const email = web.owner.user.email!;
    const first = clamavReport({ scanArchive: true, eicar: false, minutes: 20 });
    expect((await sendReport(web.key, first)).status).toBe(200);
    await vi.waitFor(async () => expect(await messagesTo(email)).toHaveLength(1), poll);

    const older = { ...clamavReport({ scanArchive: false, eicar: true, minutes: 10 }), backfill: true };
    expect((await sendReport(web.key, older)).status).toBe(200);
    // The older report is stored (history) but must not move the state or raise events.
    const db = adminDb();
    await vi.waitFor(async () => {
      const stored = await db.doc(paths.report(web.workspaceId, web.agentId, older.reportId)).get();
      expect(stored.exists).toBe(true);
    }, poll);

    // Deliver the first report's trigger again, and the email trigger of its event, in-process.
    const reportSnapshot = await db.doc(paths.report(web.workspaceId, web.agentId, first.reportId)).get();
    await onReportCreated({
      data: reportSnapshot,
      params: { workspaceId: web.workspaceId, agentId: web.agentId, reportId: first.reportId },
    } as never);
    const [failedEvent] = await eventsOf(web);
    await sendEventEmail({ params: { workspaceId: web.workspaceId, eventId: failedEvent!.id } } as never);

    const state = await db.doc(paths.agentState(web.workspaceId, web.agentId)).get();
    expect(state.get('reportId')).toBe(first.reportId);
    expect(state.get('solutions.clamav.configuration.ScanArchive')).toBe(true);
    expect((await eventsOf(web)).map((event) => event.get('kind'))).toEqual(['test_failed']);
    expect(await messagesTo(email)).toHaveLength(1);
  });

  it('leaves no state behind for a report whose agent was deleted before its trigger ran', async () => {
    const gone = await agent('deleted-before-trigger-1');
    const report = clamavReport({ scanArchive: true, eicar: false, minutes: 30 });
    const db = adminDb();
    // The report as ingest stores it, read back as a snapshot. Written outside the agent's reports so
    // that the emulated trigger does not run on it too: this test delivers the trigger itself.
    const scratch = db.doc(`testScratch/${report.reportId}`);
    await scratch.set({
      ...report,
      agentId: gone.agentId,
      agentName: 'deleted-before-trigger-1',
      failedTestThreshold: 1,
      receivedAt: Timestamp.now(),
    });
    const snapshot = await scratch.get();
    await db.recursiveDelete(db.doc(paths.agent(gone.workspaceId, gone.agentId)));

    await onReportCreated({
      data: snapshot,
      params: { workspaceId: gone.workspaceId, agentId: gone.agentId, reportId: report.reportId },
    } as never);
    expect((await db.doc(paths.agentState(gone.workspaceId, gone.agentId)).get()).exists).toBe(false);
    expect(await eventsOf(gone)).toHaveLength(0);
  });

  it('marks silent agents offline with one email, leaves never-seen agents alone, and welcomes them back', async () => {
    const silent = await agent('silent-1');
    const neverSeen = await agent('never-seen-1');
    const email = silent.owner.user.email!;
    const report = freshReport({ host: { hostname: 'silent-host' } });
    expect((await sendReport(silent.key, report)).status).toBe(200);
    const db = adminDb();
    await lastSeenAgo(db.doc(paths.agent(silent.workspaceId, silent.agentId)), 20 * 60_000); // past 3 × 300 s and the grace

    await detectSilentAgents();
    await detectSilentAgents(); // a second run changes nothing
    expect((await db.doc(paths.agent(silent.workspaceId, silent.agentId)).get()).get('status')).toBe('offline');
    expect((await db.doc(paths.agent(neverSeen.workspaceId, neverSeen.agentId)).get()).get('status')).toBe('never-seen');
    await vi.waitFor(async () => expect(await messagesTo(email)).toHaveLength(1), poll);
    expect((await messagesTo(email))[0]!.subject).toMatch(/offline/i);
    expect((await eventsOf(neverSeen)).length).toBe(0);

    expect((await sendReport(silent.key, freshReport({ host: { hostname: 'silent-host' } }))).status).toBe(200);
    expect((await db.doc(paths.agent(silent.workspaceId, silent.agentId)).get()).get('status')).toBe('online');
    await vi.waitFor(async () => expect(await messagesTo(email)).toHaveLength(2), poll);
    expect((await messagesTo(email))[1]!.subject).toMatch(/online|back/i);
    expect((await eventsOf(silent)).map((event) => event.get('kind')).sort()).toEqual(['agent_offline', 'agent_online']);
  });
});
