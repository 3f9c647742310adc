// The triggers that audit what clients write directly under the rules, driven by signed-in web
// clients as the dashboard writes (the real rules, the real triggers).
import { DEFAULT_NOTIFICATION_PREFERENCES, DEFAULT_WORKSPACE_SETTINGS, paths } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { connectFirestoreEmulator, deleteDoc, doc, getFirestore, serverTimestamp, setDoc, updateDoc, type Firestore } from 'firebase/firestore';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { enrollAgent } from '../../../tests/support/agents.js';
import { adminDb, type SignedInClient } from '../../../tests/support/emulators.js';
import { auditEntries, newTeam, poll, type Team } from '../../../tests/support/teams.js';

const teams: Team[] = [];
afterAll(() => Promise.all(teams.flatMap((team) => team.clients).map((client) => client.close())));

const connected = new WeakMap<SignedInClient, Firestore>();
/** The client's Firestore, under the rules, as the dashboard has it. */
function dbOf(client: SignedInClient): Firestore {
  const existing = connected.get(client);
  if (existing) return existing;
  const db = getFirestore(client.app);
  const host = process.env.FIRESTORE_EMULATOR_HOST ?? '127.0.0.1:8080';
  connectFirestoreEmulator(db, host.slice(0, host.lastIndexOf(':')), Number(host.slice(host.lastIndexOf(':') + 1)));
  connected.set(client, db);
  return db;
}

async function entriesFor(workspaceId: string, action: string, count = 1) {
  let found: Array<Record<string, unknown>> = [];
  await vi.waitFor(async () => {
    found = (await auditEntries(workspaceId)).filter((entry) => entry.action === action);
    expect(found.length).toBeGreaterThanOrEqual(count);
  }, poll);
  return found;
}

describe('the audit log of client writes', () => {
  it('records a rename and a settings change with before and after, and who wrote them as far as the platform says', async () => {
    const created = await newTeam();
    teams.push(created);
    const { workspaceId, owner } = created;
    const settings = { ...DEFAULT_WORKSPACE_SETTINGS, retentionDays: 90, auditRetentionDays: 400 };
    await updateDoc(doc(dbOf(owner), paths.workspace(workspaceId)), { name: 'Ops EU', settings });

    const [renamed] = await entriesFor(workspaceId, 'workspace.renamed');
    const [changed] = await entriesFor(workspaceId, 'workspace.settings_changed');
    expect(renamed).toMatchObject({ target: { type: 'workspace', id: workspaceId, name: 'Ops EU' }, after: { name: 'Ops EU' } });
    expect(changed).toMatchObject({ before: { settings: DEFAULT_WORKSPACE_SETTINGS }, after: { settings } });
    // The new audit retention applies to the entry recording it.
    expect((changed!.expireAt as Timestamp).toMillis() - (changed!.at as Timestamp).toMillis()).toBeCloseTo(400 * 86_400_000, -5);
    // The Functions emulator passes every Firestore write with authType "unknown" and the placeholder
    // authId "fake-auth-id@gmail.com" (seen by logging the event in this very test), not the writer's
    // uid. The placeholder names no member, so the entry says the writer is unknown instead of
    // recording a person who did not write (audit-client-writes.ts actorOf). Deployed, an authId that
    // is a member's uid is recorded as that member; anything else stays unknown.
    expect(renamed!.actor).toEqual({ type: 'unknown' });
    expect(changed!.actor).toEqual({ type: 'unknown' });
  });

  it('records notification choices, an acknowledgement and check marks under the writer the rules pin', async () => {
    const created = await newTeam();
    teams.push(created);
    const { workspaceId, owner, add } = created;
    const viewer = await add('viewer');
    const admin = await add('admin');

    await updateDoc(doc(dbOf(viewer), paths.member(workspaceId, viewer.user.uid)), {
      notifications: { ...DEFAULT_NOTIFICATION_PREFERENCES, agent_online: 'off' },
    });
    const [notifications] = await entriesFor(workspaceId, 'notifications.changed');
    expect(notifications).toMatchObject({
      actor: { type: 'user', uid: viewer.user.uid, email: viewer.user.email },
      target: { type: 'member', id: viewer.user.uid },
      after: { notifications: { agent_online: 'off' } },
    });

    const agent = await enrollAgent('audited-1', { owner, workspaceId });
    const eventId = `${agent.agentId}_audit-${Date.now()}_test_failed`;
    await adminDb()
      .doc(paths.event(workspaceId, eventId))
      .create({
        kind: 'test_failed',
        agentId: agent.agentId,
        agentName: 'audited-1',
        hostname: 'audited-1',
        solutionIds: ['clamav'],
        reportId: null,
        createdAt: Timestamp.now(),
        details: {},
        acknowledgedAt: null,
        acknowledgedBy: null,
        email: { state: 'skipped', at: null, error: null },
      });
    await updateDoc(doc(dbOf(admin), paths.event(workspaceId, eventId)), { acknowledgedBy: admin.user.uid, acknowledgedAt: serverTimestamp() });
    const [ack] = await entriesFor(workspaceId, 'event.acknowledged');
    expect(ack).toMatchObject({ actor: { type: 'user', uid: admin.user.uid }, target: { type: 'event', id: eventId, name: 'audited-1' } });

    const markRef = doc(dbOf(admin), paths.testAck(workspaceId, agent.agentId, 'clamav', 'eicar-detected'));
    await setDoc(markRef, {
      solutionId: 'clamav',
      testId: 'eicar-detected',
      acknowledgedBy: admin.user.uid,
      acknowledgedAt: serverTimestamp(),
      failingSince: '2026-12-01T00:00:00Z',
    });
    const [checked] = await entriesFor(workspaceId, 'test.checked');
    expect(checked).toMatchObject({
      actor: { type: 'user', uid: admin.user.uid },
      target: { type: 'test', id: `${agent.agentId}/clamav~eicar-detected` },
      after: { solutionId: 'clamav', testId: 'eicar-detected' },
    });
    await deleteDoc(doc(dbOf(owner), paths.testAck(workspaceId, agent.agentId, 'clamav', 'eicar-detected')));
    const [unchecked] = await entriesFor(workspaceId, 'test.unchecked');
    expect(unchecked).toMatchObject({ before: { acknowledgedBy: admin.user.uid } });
    // Undo carries no signature the rules pin, so its writer is the auth context's: unknown here (above).
    expect(unchecked!.actor).toEqual({ type: 'unknown' });
  });
});
