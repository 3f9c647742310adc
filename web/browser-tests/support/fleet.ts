// A fleet written straight into Firestore (Admin SDK, as ingest leaves agents), and the
// summarizeFleets schedule run on demand: the overview shows the summary that schedule writes,
// every minute in production, here only when a test asks.
import { paths, type EventKind } from '@vigil/schema';
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { adminDb, callRaw } from '../../../tests/support/emulators';

/** Runs summarizeFleets now in the functions emulator (the emulator-only runSchedule callable). */
export async function summarizeFleetsNow(): Promise<void> {
  const response = await callRaw('runSchedule', { data: { name: 'summarizeFleets' } });
  const run = (response.json?.result as { result?: { leftOver?: number } } | undefined)?.result;
  if (response.status !== 200 || run?.leftOver !== 0) throw new Error(`summarizeFleets did not finish: ${response.status} ${response.text}`);
}

export interface SeededAgent {
  status: 'online' | 'offline' | 'never-seen';
  testsPassed: number;
  testsFailed: number;
  solutions: string[];
}

/** Agent i of a seeded fleet: a fixed mix of statuses, solutions and failures (no randomness). */
export function seededAgent(index: number): SeededAgent {
  const status = index % 10 === 9 ? 'never-seen' : index % 10 === 8 ? 'offline' : 'online';
  const solutions = status === 'never-seen' ? [] : index % 2 === 0 ? ['ufw', 'sshd'] : ['clamav'];
  const failed = status !== 'never-seen' && index % 7 === 0 ? 1 + (index % 3) : 0;
  return { status, solutions, testsPassed: solutions.length * 4 - failed, testsFailed: failed };
}

/** `count` agents (and `events` events, every third acknowledged) in the workspace; changedAt set, as ingest sets it. */
export async function seedFleet(workspaceId: string, count: number, events = 0): Promise<SeededAgent[]> {
  const db = adminDb();
  const writer = db.bulkWriter();
  const now = Date.now();
  const agents = Array.from({ length: count }, (_, index) => seededAgent(index));
  const writes: Promise<unknown>[] = [];
  agents.forEach((agent, index) => {
    const seen = agent.status !== 'never-seen';
    writes.push(
      writer.set(db.doc(paths.agent(workspaceId, `fleet-${String(index).padStart(4, '0')}`)), {
        name: `fleet-${String(index).padStart(4, '0')}`,
        description: '',
        status: agent.status,
        createdAt: Timestamp.fromMillis(now - 86_400_000),
        createdBy: 'browser-test',
        intervalSeconds: 300,
        keyId: null,
        keyPrefix: null,
        revokedAt: null,
        lastSeenAt: seen ? Timestamp.fromMillis(now - (agent.status === 'offline' ? 3_600_000 + index * 1000 : 60_000)) : null,
        lastReportId: null,
        agentVersion: seen ? '0.1.0' : null,
        host: seen ? { hostname: `fleet-${index}.example` } : null,
        summary: { solutions: agent.solutions, testsPassed: agent.testsPassed, testsFailed: agent.testsFailed },
        changedAt: FieldValue.serverTimestamp(),
      }),
    );
  });
  const kind: EventKind = 'agent_offline';
  for (let index = 0; index < events; index += 1) {
    writes.push(
      writer.set(db.doc(paths.event(workspaceId, `fleet-event-${index}`)), {
        kind,
        agentId: 'fleet-0008',
        agentName: 'fleet-0008',
        hostname: 'fleet-8.example',
        solutionIds: [],
        reportId: null,
        createdAt: Timestamp.fromMillis(now - index * 60_000),
        details: { lastSeenAt: new Date(now - 3_600_000).toISOString(), missedIntervals: 12 },
        acknowledgedAt: index % 3 === 0 ? Timestamp.fromMillis(now) : null,
        acknowledgedBy: index % 3 === 0 ? 'browser-test' : null,
      }),
    );
  }
  await writer.close();
  await Promise.all(writes);
  return agents;
}
