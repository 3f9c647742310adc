import { paths } from '@vigil/schema';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { enrollAgent, freshReport, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminDb } from '../../../tests/support/emulators.js';

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
    const next = freshReport();
    const reply = await sendReport(web.key, next);
    expect((reply.json?.result as { intervalSeconds: number }).intervalSeconds).toBe(900);
    const stored = await db.doc(paths.report(web.workspaceId, web.agentId, next.reportId)).get();
    expect(stored.get('failedTestThreshold')).toBe(3);
    expect(stored.get('agentName')).toBe('settings-1');
  });
});
