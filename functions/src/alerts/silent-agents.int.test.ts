// Silence detection against the emulators: which agents the schedule calls offline, and when it
// says that happened. The handler runs in-process (it is a plain function of the time); agents are
// made "silent" by moving their lastSeenAt back, so other files' agents are judged at the real time.
import { paths } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { enrollAgent, freshReport, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminDb } from '../../../tests/support/emulators.js';
import { detectSilentAgents } from './detect-silent-agents.js';
import { OFFLINE_GRACE_SECONDS } from './silence.js';

const poll = { timeout: 60_000, interval: 250 };
const enrolled: EnrolledAgent[] = [];
afterAll(() => Promise.all(enrolled.map((agent) => agent.owner.close())));

async function reportingAgent(name: string, existing?: EnrolledAgent) {
  const agent = await enrollAgent(name, existing);
  enrolled.push(agent);
  expect((await sendReport(agent.key, freshReport({ host: { hostname: name } }))).status).toBe(200);
  return agent;
}

async function lastSeen(agent: EnrolledAgent, msAgo: number) {
  const at = Timestamp.fromMillis(Date.now() - msAgo);
  await adminDb().doc(paths.agent(agent.workspaceId, agent.agentId)).update({ lastSeenAt: at });
  return at.toMillis();
}

async function offlineEvents(agent: EnrolledAgent) {
  const events = await adminDb().collection(paths.events(agent.workspaceId)).where('agentId', '==', agent.agentId).get();
  return events.docs.filter((event) => event.get('kind') === 'agent_offline');
}

const status = async (agent: EnrolledAgent) => (await adminDb().doc(paths.agent(agent.workspaceId, agent.agentId)).get()).get('status');

describe('silent agents', () => {
  it('never calls a revoked agent offline, however long it stays silent', async () => {
    const revoked = await reportingAgent('revoked-silent-1');
    const control = await reportingAgent('still-enrolled-silent-1', revoked);
    await revoked.owner.call('revokeAgent', { workspaceId: revoked.workspaceId, agentId: revoked.agentId });
    const tenDays = 10 * 86_400_000;
    await lastSeen(revoked, tenDays);
    await lastSeen(control, tenDays);

    await detectSilentAgents();
    expect(await status(control)).toBe('offline');
    expect(await offlineEvents(control)).toHaveLength(1);
    expect(await status(revoked)).toBe('online');
    expect(await offlineEvents(revoked)).toHaveLength(0);
  });

  it('dates agent_offline when the agent became overdue, not when the schedule noticed', async () => {
    const agent = await reportingAgent('overdue-1');
    const seen = await lastSeen(agent, 60 * 60_000);

    await detectSilentAgents();
    const [event] = await offlineEvents(agent);
    const expected = seen + (3 * 300 + OFFLINE_GRACE_SECONDS) * 1000;
    expect(event!.get('occurredAt')).toBe(new Date(expected).toISOString());
    expect(event!.get('details.lastSeenAt')).toBe(new Date(seen).toISOString());
  });

  it('keeps a healthy agent online when its workspace lowers the interval (300 s -> 60 s)', async () => {
    const agent = await reportingAgent('interval-lowered-1');
    const agentRef = adminDb().doc(paths.agent(agent.workspaceId, agent.agentId));
    // Ingest told the agent 300 s in its reply to that report.
    expect((await agentRef.get()).get('announcedIntervalSeconds')).toBe(300);
    await adminDb().doc(paths.workspace(agent.workspaceId)).update({ 'settings.reportingIntervalSeconds': 60 });
    await vi.waitFor(async () => expect((await agentRef.get()).get('intervalSeconds')).toBe(60), poll);

    // Five minutes without a report: five of the new intervals, but the agent still waits its 300 s.
    await lastSeen(agent, 5 * 60_000);
    await detectSilentAgents();
    expect(await status(agent)).toBe('online');
    // Past 3 × 300 s and the grace it is silent.
    await lastSeen(agent, (3 * 300 + OFFLINE_GRACE_SECONDS) * 1000 + 5_000);
    await detectSilentAgents();
    expect(await status(agent)).toBe('offline');
  });
});
