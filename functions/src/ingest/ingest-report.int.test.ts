import { paths } from '@vigil/schema';
import type { Timestamp } from 'firebase-admin/firestore';
import { afterAll, describe, expect, it } from 'vitest';
import { enrollAgent, freshReport, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminDb } from '../../../tests/support/emulators.js';
import { validReport } from '../../../schema/src/test-fixtures.js';
import { BURST_CAPACITY } from './rate-limit.js';

const enrolled: EnrolledAgent[] = [];
afterAll(() => Promise.all(enrolled.map((agent) => agent.owner.close())));

async function agent(name: string) {
  const created = await enrollAgent(name);
  enrolled.push(created);
  return created;
}

/** A fresh report whose one test's message names `index`: content no other report of the agent has. */
function reportNumbered(index: number) {
  const solutions = validReport().solutions.map((solution) => ({
    ...solution,
    tests: solution.tests.map((test) => ({ ...test, message: `${test.message} #${index}` })),
  }));
  return freshReport({ solutions });
}

describe('ingestReport', () => {
  it('stores an accepted report, updates the agent and replies with the interval', async () => {
    const web = await agent('web-1');
    const report = freshReport();
    const response = await sendReport(web.key, report);
    expect(response.status).toBe(200);
    // The ticket (agent-ticket.ts) is opaque: what it does is tested in ingest-ticket.int.test.ts.
    expect(response.json?.result).toEqual({
      accepted: true,
      duplicate: false,
      reportId: report.reportId,
      intervalSeconds: 300,
      ticket: expect.stringMatching(/^v2\./),
      // The report slot (report-phase.ts): between half an interval and one and a half away.
      nextReportInSeconds: expect.any(Number),
    });
    expect((response.json?.result as { nextReportInSeconds?: number }).nextReportInSeconds).toBeGreaterThanOrEqual(150);
    expect((response.json?.result as { nextReportInSeconds?: number }).nextReportInSeconds).toBeLessThan(450);

    const db = adminDb();
    const stored = await db.doc(paths.report(web.workspaceId, web.agentId, report.reportId)).get();
    expect(stored.get('solutions')[0].id).toBe('clamav');
    expect(stored.get('agentId')).toBe(web.agentId);
    const agentDoc = await db.doc(paths.agent(web.workspaceId, web.agentId)).get();
    expect(agentDoc.data()).toMatchObject({
      status: 'online',
      lastReportId: report.reportId,
      host: { hostname: 'web-1' },
      agentVersion: '0.1.0',
      summary: { solutions: ['clamav'], testsPassed: 1, testsFailed: 0 },
    });
    expect(agentDoc.get('lastSeenAt').toMillis()).toBeGreaterThan(Date.now() - 60_000);

    // The scale model's stamps: why it was stored, its workspace, its expiry (the TTL field).
    expect(stored.get('storedBecause')).toBe('first');
    expect(stored.get('workspaceId')).toBe(web.workspaceId);
    expect(stored.get('retentionDays')).toBe(30);
    const receivedAtMs = (stored.get('receivedAt') as Timestamp).toMillis();
    expect(Math.abs((stored.get('expireAt') as Timestamp).toMillis() - (receivedAtMs + 30 * 86_400_000))).toBeLessThan(60_000);
    // and the agent's: the silence deadline (3 intervals and the grace after it was heard), the
    // content the next report is compared with, the stored report, a change for the fleet summary.
    const lastSeenAtMs = (agentDoc.get('lastSeenAt') as Timestamp).toMillis();
    expect(Math.abs((agentDoc.get('offlineAt') as Timestamp).toMillis() - (lastSeenAtMs + (3 * 300 + 60) * 1000))).toBeLessThan(60_000);
    expect(agentDoc.data()).toMatchObject({
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      unchangedReports: 0,
      lastStoredReportId: report.reportId,
    });
    expect((agentDoc.get('lastStoredAt') as Timestamp).toMillis()).toBe(lastSeenAtMs);
    expect((agentDoc.get('changedAt') as Timestamp).toMillis()).toBe(lastSeenAtMs);
    expect(agentDoc.get('metrics')).toEqual({ clamav: { signatures: 8_700_000, databaseAgeHours: 3 } });
  });

  it('stores a retried report once and acknowledges the retry as a duplicate', async () => {
    const web = await agent('retrying');
    const report = freshReport();
    const [first, second] = await Promise.all([sendReport(web.key, report), sendReport(web.key, report)]);
    const third = await sendReport(web.key, report);
    const duplicates = [first, second, third].map((response) => (response.json?.result as { duplicate: boolean }).duplicate);
    expect(duplicates.filter((duplicate) => !duplicate)).toHaveLength(1);
    const reports = await adminDb().collection(paths.reports(web.workspaceId, web.agentId)).get();
    expect(reports.size).toBe(1);
  });

  it('takes the workspace and agent from the key, never from the payload', async () => {
    const mine = await agent('mine');
    const theirs = await agent('theirs');
    const report = { ...freshReport(), workspaceId: theirs.workspaceId, agentId: theirs.agentId };
    expect((await sendReport(mine.key, report)).status).toBe(200);
    const db = adminDb();
    expect((await db.doc(paths.report(mine.workspaceId, mine.agentId, report.reportId)).get()).exists).toBe(true);
    expect((await db.collection(paths.reports(theirs.workspaceId, theirs.agentId)).get()).size).toBe(0);
  });

  it('keeps newer host facts when an older report is backfilled', async () => {
    const web = await agent('late');
    const newer = freshReport({ collectedAt: '2026-11-27T12:00:00Z', host: { hostname: 'new-name' } });
    // Its content differs from the newer one's (another version), so it is stored as history.
    const olderSolutions = validReport().solutions.map((solution) => ({ ...solution, version: '1.0.6' }));
    const older = freshReport({ collectedAt: '2026-11-27T11:00:00Z', host: { hostname: 'old-name' }, backfill: true, solutions: olderSolutions });
    expect((await sendReport(web.key, newer)).status).toBe(200);
    expect((await sendReport(web.key, older)).status).toBe(200);
    const agentDoc = await adminDb().doc(paths.agent(web.workspaceId, web.agentId)).get();
    expect(agentDoc.get('host')).toEqual({ hostname: 'new-name' });
    expect(agentDoc.get('lastReportId')).toBe(newer.reportId);
    expect((await adminDb().collection(paths.reports(web.workspaceId, web.agentId)).get()).size).toBe(2);
  });

  it('refuses an agent reporting much faster than its interval with resource-exhausted and a retry hint', async () => {
    const web = await agent('flooding');
    const results = [];
    // Each report's content differs (a test's message), so each accepted one is stored.
    for (let i = 0; i < BURST_CAPACITY + 2; i += 1) results.push(await sendReport(web.key, reportNumbered(i)));
    const refused = results.filter((response) => response.status !== 200);
    expect(refused).toHaveLength(2);
    expect(refused[0]!.json?.error?.status).toBe('RESOURCE_EXHAUSTED');
    expect(refused[0]!.json?.error?.details).toEqual({ retryAfterSeconds: expect.any(Number) });
    expect(refused[0]!.json?.error?.message).toMatch(/retry in \d+ s/);
    expect((await adminDb().collection(paths.reports(web.workspaceId, web.agentId)).get()).size).toBe(BURST_CAPACITY);
  });
});
