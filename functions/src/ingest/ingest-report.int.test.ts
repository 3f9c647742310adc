import { paths } from '@vigil/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { enrollAgent, freshReport, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminDb } from '../../../tests/support/emulators.js';
import { BURST_CAPACITY } from './rate-limit.js';

const enrolled: EnrolledAgent[] = [];
afterAll(() => Promise.all(enrolled.map((agent) => agent.owner.close())));

async function agent(name: string) {
  const created = await enrollAgent(name);
  enrolled.push(created);
  return created;
}

describe('ingestReport', () => {
  it('stores an accepted report, updates the agent and replies with the interval', async () => {
    const web = await agent('web-1');
    const report = freshReport();
    const response = await sendReport(web.key, report);
    expect(response.status).toBe(200);
    expect(response.json?.result).toEqual({ accepted: true, duplicate: false, reportId: report.reportId, intervalSeconds: 300 });

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
    const older = freshReport({ collectedAt: '2026-11-27T11:00:00Z', host: { hostname: 'old-name' }, backfill: true });
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
    for (let i = 0; i < BURST_CAPACITY + 2; i += 1) results.push(await sendReport(web.key, freshReport()));
    const refused = results.filter((response) => response.status !== 200);
    expect(refused).toHaveLength(2);
    expect(refused[0]!.json?.error?.status).toBe('RESOURCE_EXHAUSTED');
    expect(refused[0]!.json?.error?.details).toEqual({ retryAfterSeconds: expect.any(Number) });
    expect(refused[0]!.json?.error?.message).toMatch(/retry in \d+ s/);
    expect((await adminDb().collection(paths.reports(web.workspaceId, web.agentId)).get()).size).toBe(BURST_CAPACITY);
  });
});
