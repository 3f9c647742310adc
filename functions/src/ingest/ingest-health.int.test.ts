// The agent's own health through the running ingest: stored on the agent document as `health`,
// order-safe like the other facts, the last crash kept after the report that carried it.
import { paths, type AgentHealth } from '@vigil/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { enrollAgent, freshReport, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminDb } from '../../../tests/support/emulators.js';

const enrolled: EnrolledAgent[] = [];
afterAll(() => Promise.all(enrolled.map((agent) => agent.owner.close())));

const crash = {
  at: '2026-11-27T11:30:00.000Z',
  kind: 'uncaughtException' as const,
  message: 'TypeError: boom',
  stack: 'TypeError: boom\n    at tick (/usr/local/lib/vigil/vigil-agent.mjs:1:2)',
  version: '0.1.0',
};

function health(overrides: Partial<AgentHealth> = {}): AgentHealth {
  return {
    version: '0.1.0',
    uptimeSeconds: 60,
    plugins: [{ id: 'clamav', status: 'found', durationMs: 812 }],
    pluginErrors: 0,
    spool: { reports: 1, bytes: 2048, dropped: 0 },
    ...overrides,
  };
}

describe('ingestReport: agent health', () => {
  it('stores the newest health, keeps the last crash, and ignores backfilled older reports', async () => {
    const web = await enrollAgent('healthy');
    enrolled.push(web);
    const agentDoc = () => adminDb().doc(paths.agent(web.workspaceId, web.agentId)).get();

    const withCrash = freshReport({ collectedAt: '2026-11-27T12:00:00Z', agentHealth: health({ crashes: 1, lastCrash: crash }) });
    expect((await sendReport(web.key, withCrash)).status).toBe(200);
    expect((await agentDoc()).get('health')).toEqual(health({ crashes: 1, lastCrash: crash }));

    const next = freshReport({ collectedAt: '2026-11-27T12:05:00Z', agentHealth: health({ uptimeSeconds: 360 }) });
    expect((await sendReport(web.key, next)).status).toBe(200);
    expect((await agentDoc()).get('health')).toEqual(health({ uptimeSeconds: 360, lastCrash: crash }));

    const late = freshReport({ collectedAt: '2026-11-27T11:00:00Z', backfill: true, agentHealth: health({ uptimeSeconds: 1 }) });
    expect((await sendReport(web.key, late)).status).toBe(200);
    expect((await agentDoc()).get('health.uptimeSeconds')).toBe(360);

    const optedOut = freshReport({ collectedAt: '2026-11-27T12:10:00Z' });
    expect((await sendReport(web.key, optedOut)).status).toBe(200);
    expect((await agentDoc()).get('health')).toBeNull();
  });

  it('refuses a health block beyond its limits, naming the path', async () => {
    const web = await enrollAgent('oversized-health');
    enrolled.push(web);
    const report = freshReport({ agentHealth: health({ lastCrash: { ...crash, stack: 'x'.repeat(8193) } }) });
    const response = await sendReport(web.key, report);
    expect(response.json?.error?.status).toBe('INVALID_ARGUMENT');
    expect(response.json?.error?.details).toMatchObject({ issues: [{ path: 'agentHealth.lastCrash.stack' }] });
  });
});
