import { paths } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { enrollAgent, freshReport, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminDb } from '../../../tests/support/emulators.js';
import { silenceDeadlineMs } from '../alerts/silence.js';

const enrolled: EnrolledAgent[] = [];
afterAll(() => Promise.all(enrolled.map((agent) => agent.owner.close())));

describe('workspace settings reach every agent (onWorkspaceWritten)', () => {
  it('copies a new reporting interval and threshold to the agents, and ingest replies with the new interval', async () => {
    const web = await enrollAgent('settings-1');
    enrolled.push(web);
    const first = await sendReport(web.key, freshReport());
    expect((first.json?.result as { intervalSeconds: number }).intervalSeconds).toBe(300);

    const db = adminDb();
    await db.doc(paths.workspace(web.workspaceId)).update({
      'settings.reportingIntervalSeconds': 900,
      'settings.failedTestThreshold': 3,
    });
    await vi.waitFor(
      async () => {
        const agent = await db.doc(paths.agent(web.workspaceId, web.agentId)).get();
        expect(agent.get('intervalSeconds')).toBe(900);
        expect(agent.get('failedTestThreshold')).toBe(3);
      },
      { timeout: 120_000, interval: 250 },
    );

    // The next report reads the agent as it is now: the new interval and threshold apply at once.
    // Its content differs (a new version), so ingest stores it and its stamps can be read.
    const base = freshReport();
    const next = { ...base, solutions: base.solutions.map((solution) => ({ ...solution, version: '1.0.8' })) };
    const reply = await sendReport(web.key, next);
    expect((reply.json?.result as { intervalSeconds: number }).intervalSeconds).toBe(900);
    const stored = await db.doc(paths.report(web.workspaceId, web.agentId, next.reportId)).get();
    expect(stored.get('failedTestThreshold')).toBe(3);
    expect(stored.get('agentName')).toBe('settings-1');
  });

  it('copies the retention to the agents, and marks the workspace for the sweep when it went down only', async () => {
    const web = await enrollAgent('settings-retention');
    enrolled.push(web);
    const db = adminDb();
    const workspace = db.doc(paths.workspace(web.workspaceId));
    const agentRetention = async () => (await db.doc(paths.agent(web.workspaceId, web.agentId)).get()).get('retentionDays') as unknown;
    await workspace.update({ 'settings.retentionDays': 60 });
    await vi.waitFor(async () => expect(await agentRetention()).toBe(60), { timeout: 120_000, interval: 250 });
    expect((await workspace.get()).get('retentionCutoffPending')).toBeUndefined();

    await workspace.update({ 'settings.retentionDays': 14 });
    await vi.waitFor(async () => expect(await agentRetention()).toBe(14), { timeout: 120_000, interval: 250 });
    const mark = (await workspace.get()).get('retentionCutoffPending') as Timestamp;
    expect(mark).toBeInstanceOf(Timestamp);
    expect(Math.abs(mark.toMillis() - Date.now())).toBeLessThan(120_000);
  });

  it('a raised interval moves an online agent silence deadline out; a lowered one never pulls it in; offline agents keep none', async () => {
    const web = await enrollAgent('settings-deadline');
    enrolled.push(web);
    // Same owner and workspace: signed out with the first.
    const asleep = await enrollAgent('settings-deadline-offline', { owner: web.owner, workspaceId: web.workspaceId });
    const db = adminDb();
    const agentRef = db.doc(paths.agent(web.workspaceId, web.agentId));
    const offlineRef = db.doc(paths.agent(web.workspaceId, asleep.agentId));
    const lastSeenAtMs = Date.now() - 60_000;
    const deadline300 = silenceDeadlineMs(lastSeenAtMs, { intervalSeconds: 300, announcedIntervalSeconds: 300 });
    await agentRef.update({
      status: 'online',
      lastSeenAt: Timestamp.fromMillis(lastSeenAtMs),
      announcedIntervalSeconds: 300,
      offlineAt: Timestamp.fromMillis(deadline300),
    });
    await offlineRef.update({ status: 'offline', lastSeenAt: Timestamp.fromMillis(lastSeenAtMs), offlineAt: null });
    const deadline = async () => ((await agentRef.get()).get('offlineAt') as Timestamp).toMillis();

    const workspace = db.doc(paths.workspace(web.workspaceId));
    await workspace.update({ 'settings.reportingIntervalSeconds': 1200 });
    const raised = silenceDeadlineMs(lastSeenAtMs, { intervalSeconds: 1200, announcedIntervalSeconds: 300 });
    expect(raised).toBeGreaterThan(deadline300);
    await vi.waitFor(async () => expect(await deadline()).toBe(raised), { timeout: 120_000, interval: 250 });
    expect((await offlineRef.get()).get('offlineAt')).toBeNull();
    expect((await offlineRef.get()).get('intervalSeconds')).toBe(1200);

    await workspace.update({ 'settings.reportingIntervalSeconds': 60 });
    await vi.waitFor(async () => expect((await agentRef.get()).get('intervalSeconds')).toBe(60), { timeout: 120_000, interval: 250 });
    expect(await deadline()).toBe(raised);
  });
});
