// Silence detection against the emulators: which agents the schedule calls offline, when it says
// that happened, and that it reads only the overdue ones. The handler runs in-process (it is a plain
// function of the time); agents are made "silent" by dating their last report in the past with the
// deadline ingest would have stored with it (tests/support/silence.ts), so other files' agents are
// judged at the real time. Where a test needs a fleet of its own, it runs the detector at a clock a
// month back, which no other file's agent is overdue by.
import { paths, type RotateAgentKeyResult } from '@vigil/schema';
import { Timestamp, type DocumentReference } from 'firebase-admin/firestore';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { enrollAgent, freshReport, ownerWithWorkspace, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminDb, type SignedInClient } from '../../../tests/support/emulators.js';
import { triggerPoll } from '../../../tests/support/report-path.js';
import { lastSeenAgo } from '../../../tests/support/silence.js';
import { detectSilentAgents } from './detect-silent-agents.js';
import { backfillSilenceDeadlines } from './silence-backfill.js';
import { DEFAULT_RETENTION_DAYS } from './retention.js';
import { OFFLINE_GRACE_SECONDS, silenceDeadlineMs } from './silence.js';

const poll = triggerPoll;
const day = 86_400_000;
const clients: SignedInClient[] = [];
afterAll(() => Promise.all(clients.map((client) => client.close())));

async function reportingAgent(name: string, existing?: EnrolledAgent) {
  const agent = await enrollAgent(name, existing);
  clients.push(agent.owner);
  expect((await sendReport(agent.key, freshReport({ host: { hostname: name } }))).status).toBe(200);
  return agent;
}

const agentRef = (agent: EnrolledAgent) => adminDb().doc(paths.agent(agent.workspaceId, agent.agentId));
const lastSeen = (agent: EnrolledAgent, msAgo: number) => lastSeenAgo(agentRef(agent), msAgo);

async function offlineEvents(workspaceId: string, agentId: string) {
  const events = await adminDb().collection(paths.events(workspaceId)).where('agentId', '==', agentId).get();
  return events.docs.filter((event) => event.get('kind') === 'agent_offline');
}
const offlineEventsOf = (agent: EnrolledAgent) => offlineEvents(agent.workspaceId, agent.agentId);

const status = async (agent: EnrolledAgent) => (await agentRef(agent).get()).get('status');

/**
 * An agent document as ingest leaves it after a report received at `seenMs` (the fields silence
 * reads); `legacy`: as ingest wrote it before offlineAt existed, without the field.
 */
async function writtenAgent(
  workspaceId: string,
  name: string,
  seenMs: number,
  { legacy = false, ...fields }: { legacy?: boolean } & Record<string, unknown> = {},
): Promise<DocumentReference> {
  const ref = adminDb().collection(paths.agents(workspaceId)).doc();
  const deadline = Timestamp.fromMillis(silenceDeadlineMs(seenMs, { intervalSeconds: 300, announcedIntervalSeconds: 300 }));
  await ref.set({
    name,
    status: 'online',
    revokedAt: null,
    intervalSeconds: 300,
    announcedIntervalSeconds: 300,
    lastSeenAt: Timestamp.fromMillis(seenMs),
    ...(legacy ? {} : { offlineAt: deadline }),
    host: { hostname: name },
    ...fields,
  });
  return ref;
}

describe('silent agents', () => {
  it('never calls a revoked agent offline, however long it stays silent', async () => {
    const revoked = await reportingAgent('revoked-silent-1');
    const control = await reportingAgent('still-enrolled-silent-1', revoked);
    await revoked.owner.call('revokeAgent', { workspaceId: revoked.workspaceId, agentId: revoked.agentId });
    expect((await agentRef(revoked).get()).get('offlineAt')).toBeNull();
    await lastSeen(revoked, 10 * day);
    await lastSeen(control, 10 * day);

    await detectSilentAgents();
    expect(await status(control)).toBe('offline');
    expect(await offlineEventsOf(control)).toHaveLength(1);
    expect(await status(revoked)).toBe('online');
    expect(await offlineEventsOf(revoked)).toHaveLength(0);
  });

  it('clears a revoked agent whose deadline is due, and never raises its agent_offline', async () => {
    const agent = await reportingAgent('revoked-due-1');
    await agent.owner.call('revokeAgent', { workspaceId: agent.workspaceId, agentId: agent.agentId });
    // A deadline that is due all the same (as a report accepted just before the revocation could leave).
    await agentRef(agent).update({
      lastSeenAt: Timestamp.fromMillis(Date.now() - day),
      offlineAt: Timestamp.fromMillis(Date.now() - day + 16 * 60_000),
    });

    await detectSilentAgents();
    const after = await agentRef(agent).get();
    expect(after.get('offlineAt')).toBeNull();
    expect(after.get('status')).toBe('online');
    expect(await offlineEventsOf(agent)).toHaveLength(0);
    // Cleared, so no later run finds it again.
    const due = await adminDb().collectionGroup('agents').where('offlineAt', '<=', Timestamp.now()).get();
    expect(due.docs.map((doc) => doc.ref.path)).not.toContain(agentRef(agent).path);
  });

  it('dates agent_offline when the agent became overdue, not when the schedule noticed', async () => {
    const agent = await reportingAgent('overdue-1');
    const seen = await lastSeen(agent, 60 * 60_000);

    const before = Date.now();
    await detectSilentAgents();
    const [event] = await offlineEventsOf(agent);
    const expected = seen + (3 * 300 + OFFLINE_GRACE_SECONDS) * 1000;
    expect(event!.get('occurredAt')).toBe(new Date(expected).toISOString());
    expect(event!.get('details.lastSeenAt')).toBe(new Date(seen).toISOString());
    // Retention's TTL field: the run's time plus the workspace's retention (30 days by default).
    const expireAt = (event!.get('expireAt') as Timestamp).toMillis();
    expect(expireAt).toBeGreaterThanOrEqual(before + DEFAULT_RETENTION_DAYS * day);
    expect(expireAt).toBeLessThanOrEqual(Date.now() + DEFAULT_RETENTION_DAYS * day);
    // Offline: no deadline left to watch, and the fleet summary's cue.
    const after = await agentRef(agent).get();
    expect(after.get('offlineAt')).toBeNull();
    expect((after.get('changedAt') as Timestamp).toMillis()).toBeGreaterThanOrEqual(before - 5_000);
  });

  it('keeps a healthy agent online when its workspace lowers the interval (300 s -> 60 s)', async () => {
    const agent = await reportingAgent('interval-lowered-1');
    const ref = agentRef(agent);
    // Ingest told the agent 300 s in its reply to that report.
    expect((await ref.get()).get('announcedIntervalSeconds')).toBe(300);
    await adminDb().doc(paths.workspace(agent.workspaceId)).update({ 'settings.reportingIntervalSeconds': 60 });
    await vi.waitFor(async () => expect((await ref.get()).get('intervalSeconds')).toBe(60), poll);

    // Five minutes without a report: five of the new intervals, but the agent still waits its 300 s.
    await lastSeen(agent, 5 * 60_000);
    await detectSilentAgents();
    expect(await status(agent)).toBe('online');
    // Past 3 × 300 s and the grace it is silent.
    await lastSeen(agent, (3 * 300 + OFFLINE_GRACE_SECONDS) * 1000 + 5_000);
    await detectSilentAgents();
    expect(await status(agent)).toBe('offline');
  });

  it('moves a due deadline out instead of calling the agent offline when its interval grew meanwhile', async () => {
    const agent = await reportingAgent('interval-raised-1');
    const ref = agentRef(agent);
    // Seen 20 minutes ago every 300 s: due. But the workspace now wants 3600 s, so silence.ts waits 3 hours.
    const seen = await lastSeen(agent, 20 * 60_000);
    await ref.update({ intervalSeconds: 3600 });

    await detectSilentAgents();
    const after = await ref.get();
    expect(after.get('status')).toBe('online');
    expect((after.get('offlineAt') as Timestamp).toMillis()).toBe(seen + (3 * 3600 + OFFLINE_GRACE_SECONDS) * 1000);
    expect(await offlineEventsOf(agent)).toHaveLength(0);
  });

  it('reads only the overdue agents: 50 online agents with future deadlines and 2 overdue, 2 checked', async () => {
    const { owner, workspaceId } = await ownerWithWorkspace('fleet-owner');
    clients.push(owner);
    const clock = Date.now() - 30 * day;
    await detectSilentAgents(clock); // settles anything left overdue by that clock, so the count below is this fleet's
    await Promise.all(Array.from({ length: 50 }, (_, index) => writtenAgent(workspaceId, `healthy-${index}`, clock - 60_000)));
    const overdue = await Promise.all([writtenAgent(workspaceId, 'overdue-a', clock - day), writtenAgent(workspaceId, 'overdue-b', clock - 2 * day)]);

    expect(await detectSilentAgents(clock)).toEqual({ checked: 2, markedOffline: 2 });
    for (const ref of overdue) {
      expect((await ref.get()).get('status')).toBe('offline');
      expect(await offlineEvents(workspaceId, ref.id)).toHaveLength(1);
    }
    const online = await adminDb().collection(paths.agents(workspaceId)).where('status', '==', 'online').count().get();
    expect(online.data().count).toBe(50);
    // A second run finds nothing: settled agents leave the query.
    expect(await detectSilentAgents(clock)).toEqual({ checked: 0, markedOffline: 0 });
  });

  it('raises no agent_offline when rotateAgentKey lifts the revocation of an agent that fell silent while revoked', async () => {
    const agent = await reportingAgent('revoked-then-rotated-1');
    const ref = { workspaceId: agent.workspaceId, agentId: agent.agentId };
    await agent.owner.call('revokeAgent', ref);
    await lastSeen(agent, 10 * day);
    const rotated = await agent.owner.call<RotateAgentKeyResult>('rotateAgentKey', ref);

    await detectSilentAgents();
    expect(await offlineEventsOf(agent)).toHaveLength(0);
    // Silent for ten days, so it is offline now, quietly, and nobody watches its deadline until it reports.
    const after = await agentRef(agent).get();
    expect(after.get('revokedAt')).toBeNull();
    expect(after.get('status')).toBe('offline');
    expect(after.get('offlineAt')).toBeNull();

    // Its host enrolls with the rotation's command; its next report brings it back online with a
    // deadline, as for any offline agent.
    const rekeyed = await enrollAgent(agent.agentId, { owner: agent.owner, workspaceId: agent.workspaceId, created: rotated });
    expect((await sendReport(rekeyed.key, freshReport())).status).toBe(200);
    expect(await status(agent)).toBe('online');
  });

  it('keeps the deadline an agent would have had when a revocation is lifted before it was overdue', async () => {
    const agent = await reportingAgent('revoked-briefly-1');
    const ref = { workspaceId: agent.workspaceId, agentId: agent.agentId };
    const seen = await lastSeen(agent, 60_000);
    await agent.owner.call('revokeAgent', ref);
    await agent.owner.call('rotateAgentKey', ref);
    const after = await agentRef(agent).get();
    expect(after.get('status')).toBe('online');
    expect((after.get('offlineAt') as Timestamp).toMillis()).toBe(seen + (3 * 300 + OFFLINE_GRACE_SECONDS) * 1000);
  });

  it('backfills the deadline of agent documents written before offlineAt existed, once', async () => {
    const { owner, workspaceId } = await ownerWithWorkspace('legacy-owner');
    clients.push(owner);
    const db = adminDb();
    const seen = Date.now() - 60 * 60_000;
    // As older ingest wrote them: online, no offlineAt field at all.
    const healthySeen = Date.now() - 60_000;
    const silent = await writtenAgent(workspaceId, 'legacy-silent', seen, { legacy: true });
    const revoked = await writtenAgent(workspaceId, 'legacy-revoked', seen, { legacy: true, revokedAt: Timestamp.now() });
    const healthy = await writtenAgent(workspaceId, 'legacy-healthy', healthySeen, { legacy: true });
    expect((await silent.get()).get('offlineAt')).toBeUndefined();
    // As on a deployment that never ran it (an earlier file's run may have).
    await db.doc(paths.silenceBackfill()).delete();

    await detectSilentAgents();
    expect((await silent.get()).get('status')).toBe('offline');
    expect(await offlineEvents(workspaceId, silent.id)).toHaveLength(1);
    expect((await revoked.get()).get('offlineAt')).toBeNull();
    expect(await offlineEvents(workspaceId, revoked.id)).toHaveLength(0);
    expect((await healthy.get()).get('status')).toBe('online');
    expect((await healthy.get()).get('offlineAt')).toEqual(Timestamp.fromMillis(silenceDeadlineMs(healthySeen, { intervalSeconds: 300 })));
    const marker = await db.doc(paths.silenceBackfill()).get();
    expect(marker.get('doneAt')).toBeInstanceOf(Timestamp);

    // Done: a document without the field written now is left to its next report.
    const later = await writtenAgent(workspaceId, 'legacy-later', seen, { legacy: true });
    await detectSilentAgents();
    expect((await later.get()).get('offlineAt')).toBeUndefined();
    expect((await later.get()).get('status')).toBe('online');
  });

  it('backfills page after page, each starting after the document path the last one ended at', async () => {
    const { owner, workspaceId } = await ownerWithWorkspace('legacy-pages-owner');
    clients.push(owner);
    const seen = Date.now() - 60_000;
    const legacy = await Promise.all(
      Array.from({ length: 5 }, (_, index) => writtenAgent(workspaceId, `legacy-page-${index}`, seen, { legacy: true })),
    );
    await adminDb().doc(paths.silenceBackfill()).delete();

    // Two agents a page: every online agent of the emulator, over many pages, each after the last's path.
    const run = await backfillSilenceDeadlines(adminDb(), Date.now() + 60_000, 2);
    expect(run.done).toBe(true);
    expect(run.set).toBeGreaterThanOrEqual(5);
    const online = await adminDb().collectionGroup('agents').where('status', '==', 'online').count().get();
    expect(run.read).toBe(online.data().count);
    for (const ref of legacy) {
      expect((await ref.get()).get('offlineAt')).toEqual(Timestamp.fromMillis(silenceDeadlineMs(seen, { intervalSeconds: 300 })));
    }
  });
});
