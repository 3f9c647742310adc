// The membership callables under the emulators: roles, the last owner, removal and leaving, with
// what a removed member can still read (nothing) and be mailed (nothing).
import { paths } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { doc, getDoc, getFirestore, connectFirestoreEmulator } from 'firebase/firestore';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { enrollAgent } from '../../../tests/support/agents.js';
import { adminDb, callRaw, type SignedInClient } from '../../../tests/support/emulators.js';
import { loadFunctionParams } from '../../../tests/support/function-params.js';
import { messagesTo } from '../../../tests/support/mail-sink.js';
import { auditEntries, failure, newTeam, poll, type Team } from '../../../tests/support/teams.js';

const teams: Team[] = [];
beforeAll(() => loadFunctionParams());
afterAll(() => Promise.all(teams.flatMap((team) => team.clients).map((client) => client.close())));

async function team() {
  const created = await newTeam();
  teams.push(created);
  return created;
}

async function roleOf(workspaceId: string, client: SignedInClient) {
  return (await adminDb().doc(paths.member(workspaceId, client.user.uid)).get()).get('role') as unknown;
}

/** The workspace document, read as `client` under the rules. */
function readWorkspaceAs(client: SignedInClient, workspaceId: string) {
  const db = getFirestore(client.app);
  const host = process.env.FIRESTORE_EMULATOR_HOST ?? '127.0.0.1:8080';
  const [hostname, port] = [host.slice(0, host.lastIndexOf(':')), Number(host.slice(host.lastIndexOf(':') + 1))];
  try {
    connectFirestoreEmulator(db, hostname, port);
  } catch {
    // Already connected by an earlier read with this client.
  }
  return getDoc(doc(db, paths.workspace(workspaceId)));
}

describe('setMemberRole', () => {
  it('admins promote viewers to admin, never touch owners nor make owners; each change is audited', async () => {
    const { workspaceId, owner, add } = await team();
    const admin = await add('admin');
    const viewer = await add('viewer');
    expect(await admin.call('setMemberRole', { workspaceId, uid: viewer.user.uid, role: 'admin' })).toEqual({ uid: viewer.user.uid, role: 'admin' });
    expect(await roleOf(workspaceId, viewer)).toBe('admin');
    expect(await failure(admin.call('setMemberRole', { workspaceId, uid: viewer.user.uid, role: 'viewer' }))).toMatchObject({
      code: 'functions/permission-denied',
      message: 'Admins can change viewers only; ask an owner.',
    });
    expect(await failure(admin.call('setMemberRole', { workspaceId, uid: owner.user.uid, role: 'viewer' }))).toMatchObject({
      code: 'functions/permission-denied',
    });
    const another = await add('viewer');
    expect(await failure(admin.call('setMemberRole', { workspaceId, uid: another.user.uid, role: 'owner' }))).toMatchObject({
      code: 'functions/permission-denied',
      message: 'Only an owner can make someone an owner.',
    });
    expect(await failure(another.call('setMemberRole', { workspaceId, uid: another.user.uid, role: 'admin' }))).toMatchObject({
      code: 'functions/permission-denied',
    });
    const anonymous = await callRaw('setMemberRole', { data: { workspaceId, uid: another.user.uid, role: 'admin' } });
    expect(anonymous.json?.error?.status).toBe('UNAUTHENTICATED');
    expect(await roleOf(workspaceId, another)).toBe('viewer');

    const audit = await auditEntries(workspaceId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'member.role_changed',
      actor: { type: 'user', uid: admin.user.uid },
      target: { type: 'member', id: viewer.user.uid, name: viewer.user.email },
      before: { role: 'viewer' },
      after: { role: 'admin' },
    });
  });

  it('keeps at least one owner: the last owner hands over first, then may step down', async () => {
    const { workspaceId, owner, add } = await team();
    const admin = await add('admin');
    expect(await failure(owner.call('setMemberRole', { workspaceId, uid: owner.user.uid, role: 'admin' }))).toMatchObject({
      code: 'functions/failed-precondition',
      message: 'A workspace always keeps at least one owner: make another member owner first.',
    });
    expect(await failure(owner.call('leaveWorkspace', { workspaceId }))).toMatchObject({
      code: 'functions/failed-precondition',
      message: expect.stringMatching(/last owner/),
    });
    await owner.call('setMemberRole', { workspaceId, uid: admin.user.uid, role: 'owner' });
    await owner.call('setMemberRole', { workspaceId, uid: owner.user.uid, role: 'viewer' });
    expect([await roleOf(workspaceId, admin), await roleOf(workspaceId, owner)]).toEqual(['owner', 'viewer']);
    // The new owner is now the last one.
    expect(await failure(admin.call('setMemberRole', { workspaceId, uid: admin.user.uid, role: 'admin' }))).toMatchObject({
      code: 'functions/failed-precondition',
    });
    // Two owners demoting each other at once: one wins, the workspace keeps an owner.
    await admin.call('setMemberRole', { workspaceId, uid: owner.user.uid, role: 'owner' });
    await Promise.allSettled([
      owner.call('setMemberRole', { workspaceId, uid: admin.user.uid, role: 'viewer' }),
      admin.call('setMemberRole', { workspaceId, uid: owner.user.uid, role: 'viewer' }),
    ]);
    const owners = await adminDb().collection(paths.members(workspaceId)).where('role', '==', 'owner').get();
    expect(owners.size).toBe(1);
  });
});

describe('removeMember and leaveWorkspace', () => {
  it('a removed member loses access at once and gets no more mail from the workspace', async () => {
    const { workspaceId, owner, add } = await team();
    const viewer = await add('viewer');
    expect((await readWorkspaceAs(viewer, workspaceId)).exists()).toBe(true);
    const agent = await enrollAgent('team-mail-1', { owner, workspaceId });

    expect(await owner.call('removeMember', { workspaceId, uid: viewer.user.uid })).toEqual({ uid: viewer.user.uid, role: null });
    expect((await adminDb().doc(paths.member(workspaceId, viewer.user.uid)).get()).exists).toBe(false);
    await expect(readWorkspaceAs(viewer, workspaceId)).rejects.toMatchObject({ code: 'permission-denied' });

    // An event raised after the removal is mailed to the owner, never to the removed viewer.
    const ref = adminDb().doc(paths.event(workspaceId, `${agent.agentId}_removed-${Date.now()}_test_failed`));
    await ref.create({
      kind: 'test_failed',
      agentId: agent.agentId,
      agentName: 'team-mail-1',
      hostname: 'team-mail-1',
      solutionIds: ['clamav'],
      reportId: null,
      createdAt: Timestamp.now(),
      occurredAt: new Date().toISOString(),
      details: { tests: [{ solutionId: 'clamav', testId: 'eicar-detected', type: 'security', message: 'not detected' }] },
      acknowledgedAt: null,
      acknowledgedBy: null,
      email: { state: 'pending', at: null, error: null },
    });
    await vi.waitFor(async () => expect((await ref.get()).get('email.state')).toBe('sent'), poll);
    expect((await ref.get()).get('email.recipients')).toBe(1);
    expect(await messagesTo(owner.user.email!)).toHaveLength(1);
    expect(await messagesTo(viewer.user.email!)).toHaveLength(0);

    expect((await auditEntries(workspaceId)).find((entry) => entry.action === 'member.removed')).toMatchObject({
      actor: { type: 'user', uid: owner.user.uid },
      target: { type: 'member', id: viewer.user.uid },
      before: { role: 'viewer' },
    });
  });

  it('admins remove viewers only; nobody removes the last owner; removing oneself is leaving', async () => {
    const { workspaceId, owner, add } = await team();
    const admin = await add('admin');
    const otherAdmin = await add('admin');
    const viewer = await add('viewer');
    expect(await failure(admin.call('removeMember', { workspaceId, uid: otherAdmin.user.uid }))).toMatchObject({
      code: 'functions/permission-denied',
    });
    expect(await failure(admin.call('removeMember', { workspaceId, uid: owner.user.uid }))).toMatchObject({ code: 'functions/permission-denied' });
    expect(await failure(viewer.call('removeMember', { workspaceId, uid: admin.user.uid }))).toMatchObject({ code: 'functions/permission-denied' });
    expect(await failure(owner.call('removeMember', { workspaceId, uid: owner.user.uid }))).toMatchObject({ code: 'functions/invalid-argument' });
    expect(await failure(owner.call('removeMember', { workspaceId, uid: 'nobody-here' }))).toMatchObject({ code: 'functions/not-found' });
    await admin.call('removeMember', { workspaceId, uid: viewer.user.uid });
    expect(await roleOf(workspaceId, viewer)).toBeUndefined();
  });

  it('a sign-in (bootstrapWorkspace) marks the member active in each of their workspaces', async () => {
    const { workspaceId, add } = await team();
    const viewer = await add('viewer');
    expect((await adminDb().doc(paths.member(workspaceId, viewer.user.uid)).get()).get('lastActiveAt')).toBeUndefined();
    await vi.waitFor(
      async () => expect((await adminDb().doc(paths.user(viewer.user.uid)).get()).get(`workspaces.${workspaceId}`)).toBe('viewer'),
      poll,
    );
    const before = Date.now();
    await viewer.call('bootstrapWorkspace');
    const lastActiveAt = (await adminDb().doc(paths.member(workspaceId, viewer.user.uid)).get()).get('lastActiveAt') as Timestamp;
    expect(lastActiveAt.toMillis()).toBeGreaterThanOrEqual(before - 5_000);
  });

  it('anyone but the last owner leaves; the mirror drops the workspace', async () => {
    const { workspaceId, add } = await team();
    const viewer = await add('viewer');
    await vi.waitFor(
      async () => expect((await adminDb().doc(paths.user(viewer.user.uid)).get()).get(`workspaces.${workspaceId}`)).toBe('viewer'),
      poll,
    );
    expect(await viewer.call('leaveWorkspace', { workspaceId })).toEqual({ uid: viewer.user.uid, role: null });
    expect(await roleOf(workspaceId, viewer)).toBeUndefined();
    await vi.waitFor(
      async () => expect((await adminDb().doc(paths.user(viewer.user.uid)).get()).get(`workspaces.${workspaceId}`)).toBeUndefined(),
      poll,
    );
    expect(await failure(viewer.call('leaveWorkspace', { workspaceId }))).toMatchObject({ code: 'functions/not-found' });
    expect((await auditEntries(workspaceId)).map((entry) => entry.action)).toEqual(['member.left']);
  });
});
