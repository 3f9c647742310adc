// Silence detection against the emulators: which agents the schedule calls offline, and when it
// says that happened. The handler runs in-process (it is a plain function of the time); agents are
// made "silent" by moving their lastSeenAt back, so other files' agents are judged at the real time.
import { paths } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, describe, expect, it } from 'vitest';
import { enrollAgent, freshReport, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminDb } from '../../../tests/support/emulators.js';
import { detectSilentAgents } from './detect-silent-agents.js';
import { OFFLINE_GRACE_SECONDS } from './silence.js';

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
});
