// The report trigger under hostile or extreme but schema-valid input, for real under the emulators:
// keys named like Object.prototype members, a failure that can never succeed, the largest reports,
// a probe that breaks between two failures of the same test (issue #11, items 2 to 5).
import { LIMITS, firestoreDocumentBytes, paths, type ReportInput } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it, vi } from 'vitest';
import { largestReport, validReport } from '../../../schema/src/test-fixtures.js';
import { freshReport, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { agentsForThisFile, triggerPoll, eventsOf, waitForState } from '../../../tests/support/report-path.js';
import { adminDb } from '../../../tests/support/emulators.js';
import { derivedEventId } from '../events/make-event.js';

const agent = agentsForThisFile();
const poll = triggerPoll;

function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

async function send(target: EnrolledAgent, report: ReportInput) {
  const response = await sendReport(target.key, report);
  expect(response.status).toBe(200);
}

const INHERITED_KEYS = ['constructor', 'hasOwnProperty', 'toString', 'valueOf'];

function oddReport(options: { minutesAgo: number; value: string; passed: boolean }): ReportInput {
  return freshReport({
    collectedAt: minutesAgo(options.minutesAgo),
    solutions: [
      {
        id: 'constructor',
        version: '1',
        configuration: Object.fromEntries(INHERITED_KEYS.map((key) => [key, options.value])),
        metrics: Object.fromEntries(INHERITED_KEYS.map((key) => [key, 1])),
        tests: [{ id: 'constructor', type: 'security', passed: options.passed, message: 'named like a prototype member', durationMs: 1 }],
      },
    ],
  });
}

function clamav(options: { minutesAgo: number; eicar?: boolean; timedOut?: boolean; reportId?: string; message?: string }): ReportInput {
  const base = validReport().solutions[0]!;
  const solution = options.timedOut
    ? { ...base, configuration: {}, metrics: {}, tests: [], errors: [{ code: 'timeout', message: 'inspect timed out after 120 s' }] }
    : {
        ...base,
        tests: [
          {
            ...base.tests[0]!,
            passed: options.eicar ?? true,
            message: options.message ?? (options.eicar === false ? 'EICAR not detected' : 'EICAR detected'),
          },
        ],
      };
  return freshReport({
    collectedAt: minutesAgo(options.minutesAgo),
    solutions: [solution],
    ...(options.reportId ? { reportId: options.reportId } : {}),
  });
}

describe('report trigger hardening', () => {
  it('processes keys, tests and solutions named like Object.prototype members as plain data', async () => {
    const host = await agent('odd-keys-1');
    const first = oddReport({ minutesAgo: 10, value: 'a', passed: false });
    await send(host, first);
    await waitForState(host, first.reportId);
    const second = oddReport({ minutesAgo: 5, value: 'b', passed: false });
    await send(host, second);
    await waitForState(host, second.reportId);

    const db = adminDb();
    const state = await db.doc(paths.agentState(host.workspaceId, host.agentId)).get();
    expect(state.get('solutions.constructor.testAlerts.constructor')).toEqual({ failures: 2, alerting: true, since: first.collectedAt });
    expect(state.get('solutions.constructor.configuration')).toEqual(Object.fromEntries(INHERITED_KEYS.map((key) => [key, 'b'])));
    for (const report of [first, second]) {
      expect((await db.doc(paths.report(host.workspaceId, host.agentId, report.reportId)).get()).get('processing')).toBeUndefined();
    }
    const events = await eventsOf(host);
    expect(events.map((event) => event.get('kind')).sort()).toEqual(['config_changed', 'test_failed']);
    const changed = events.find((event) => event.get('kind') === 'config_changed')!;
    expect(changed.get('details.changes')).toEqual(INHERITED_KEYS.map((key) => ({ solutionId: 'constructor', key, before: 'a', after: 'b' })));
  });

  it('records a failure that can never succeed on the report, alerts nothing, and processes the next report', async () => {
    const host = await agent('taken-event-id-1');
    const baseline = clamav({ minutesAgo: 20 });
    await send(host, baseline);
    await waitForState(host, baseline.reportId);

    // An event left behind under the id this report's test_failed takes (as when a report id comes
    // back after retention deleted the report before its event): the transaction can never commit.
    const reused = clamav({ minutesAgo: 15, eicar: false });
    const db = adminDb();
    const leftover = db.doc(paths.event(host.workspaceId, derivedEventId(host.agentId, reused.reportId, 'test_failed')));
    await leftover.set({ kind: 'test_failed', agentId: 'someone-else', createdAt: Timestamp.now(), email: { state: 'sent', at: null, error: null } });
    await send(host, reused);
    await vi.waitFor(async () => {
      const stored = await db.doc(paths.report(host.workspaceId, host.agentId, reused.reportId)).get();
      expect(stored.get('processing.state')).toBe('failed');
      expect(stored.get('processing.error')).toMatch(/ALREADY_EXISTS/);
    }, poll);
    expect((await db.doc(paths.agentState(host.workspaceId, host.agentId)).get()).get('reportId')).toBe(baseline.reportId);
    expect(await eventsOf(host)).toHaveLength(0);

    // Its content differs from the failed one's (ingest stores only a change), so the trigger sees it.
    const next = clamav({ minutesAgo: 10, eicar: false, message: 'EICAR still not detected' });
    await send(host, next);
    await waitForState(host, next.reportId);
    expect((await eventsOf(host)).map((event) => [event.get('kind'), event.get('reportId')])).toEqual([['test_failed', next.reportId]]);
    expect((await leftover.get()).get('agentId')).toBe('someone-else');
  });

  it('keeps state/current under its byte budget with the largest reports the schema accepts', async () => {
    const host = await agent('largest-reports-1');
    const count = 8;
    let last = '';
    for (let index = 0; index < count; index += 1) {
      // Messages of a different length each: a change, so ingest stores every one.
      const report = largestReport({
        reportId: `largest-${index}-${Date.now().toString(36)}`,
        collectedAt: minutesAgo(count - index),
        messageLength: index,
      });
      await send(host, report);
      last = report.reportId;
      // Each applied before the next is sent: a live report received before the state's newest is
      // ignored by design (isNewerThanState), so racing triggers could leave a point out.
      await waitForState(host, last);
    }
    const path = paths.agentState(host.workspaceId, host.agentId);
    const state = await adminDb().doc(path).get();
    expect(firestoreDocumentBytes(path, state.data()!)).toBeLessThanOrEqual(LIMITS.agentStateBytes);
    const history = state.get('history') as Array<{ reportId: string; solutions: Record<string, unknown> }>;
    expect(history).toHaveLength(count);
    expect(history.at(-1)!.reportId).toBe(last);
    expect(Object.keys(history.at(-1)!.solutions)).toHaveLength(LIMITS.solutionsPerReport);
  });

  it('does not alert twice for a test that failed, went unreported while its probe timed out, and failed again', async () => {
    const host = await agent('broken-probe-1');
    const reports = [clamav({ minutesAgo: 15, eicar: false }), clamav({ minutesAgo: 10, timedOut: true }), clamav({ minutesAgo: 5, eicar: false })];
    for (const report of reports) {
      await send(host, report);
      await waitForState(host, report.reportId);
    }
    const state = await adminDb().doc(paths.agentState(host.workspaceId, host.agentId)).get();
    expect(state.get('solutions.clamav.testAlerts.eicar-detected')).toEqual({ failures: 2, alerting: true, since: reports[0]!.collectedAt });
    expect((await eventsOf(host)).map((event) => [event.get('kind'), event.get('reportId')])).toEqual([['test_failed', reports[0]!.reportId]]);
  });
});
