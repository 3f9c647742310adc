// createWorkspace under the emulators: the caller owns the new workspace, the mirror lists it, the
// audit log starts with its creation; a user's workspaces are capped.
import { paths, WORKSPACES_PER_USER } from '@vigil/schema';
import { enrollAgent, freshReport, sendReport } from '../../../tests/support/agents.js';
import { createToken, enrollHost, newMachineId } from '../../../tests/support/enrollment.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { adminAuth, adminDb, callRaw, newSignedInClient, type SignedInClient } from '../../../tests/support/emulators.js';
import { auditEntries, failure, newTeam, poll } from '../../../tests/support/teams.js';

const clients: SignedInClient[] = [];
afterAll(() => Promise.all(clients.map((client) => client.close())));

describe('createWorkspace', () => {
  it('makes the caller the owner of a new workspace with default settings, audited', async () => {
    const user = await newSignedInClient('creator');
    clients.push(user);
    const { workspaceId, role } = await user.call<{ workspaceId: string; role: string }>('createWorkspace', { name: '  Ops EU  ' });
    expect(role).toBe('owner');
    const workspace = await adminDb().doc(paths.workspace(workspaceId)).get();
    expect(workspace.data()).toMatchObject({ name: 'Ops EU', createdBy: user.user.uid, settings: { retentionDays: 30 } });
    expect((await adminDb().doc(paths.member(workspaceId, user.user.uid)).get()).get('role')).toBe('owner');
    await vi.waitFor(async () => expect((await adminDb().doc(paths.user(user.user.uid)).get()).get(`workspaces.${workspaceId}`)).toBe('owner'), poll);
    expect(await auditEntries(workspaceId)).toMatchObject([
      { action: 'workspace.created', actor: { type: 'user', uid: user.user.uid }, target: { type: 'workspace', id: workspaceId, name: 'Ops EU' } },
    ]);
  });

  it('refuses a bad name, a signed-out caller and the workspace beyond the limit', async () => {
    const user = await newSignedInClient('many');
    clients.push(user);
    expect(await failure(user.call('createWorkspace', { name: '   ' }))).toMatchObject({ code: 'functions/invalid-argument' });
    expect(await failure(user.call('createWorkspace', { name: 'x'.repeat(101) }))).toMatchObject({ code: 'functions/invalid-argument' });
    expect((await callRaw('createWorkspace', { data: { name: 'x' } })).json?.error?.status).toBe('UNAUTHENTICATED');
    // The workspaces they created already, written as createWorkspace would.
    const batch = adminDb().batch();
    for (let index = 0; index < WORKSPACES_PER_USER; index += 1) {
      batch.set(adminDb().collection(paths.workspaces()).doc(), { name: `w${index}`, createdBy: user.user.uid });
    }
    await batch.commit();
    expect(await failure(user.call('createWorkspace', { name: 'one more' }))).toMatchObject({
      code: 'functions/resource-exhausted',
      message: expect.stringMatching(/20 workspaces/),
    });
    const mine = await adminDb().collection(paths.workspaces()).where('createdBy', '==', user.user.uid).count().get();
    expect(mine.data().count).toBe(WORKSPACES_PER_USER);
  });
});

describe('deleteWorkspace', () => {
  it('needs an owner and the exact name; then revokes every key and deletes everything, and the members lose it', async () => {
    const team = await newTeam();
    clients.push(...team.clients);
    const { workspaceId, owner } = team;
    const admin = await team.add('admin');
    const viewer = await team.add('viewer');
    clients.push(admin, viewer);
    const agent = await enrollAgent('doomed-1', { owner, workspaceId });
    expect((await sendReport(agent.key, freshReport())).json?.error).toBeUndefined();
    await owner.call('inviteMember', { workspaceId, email: `pending-${Date.now()}@vigil.test`, role: 'viewer' });
    const name = (await adminDb().doc(paths.workspace(workspaceId)).get()).get('name') as string;

    expect(await failure(admin.call('deleteWorkspace', { workspaceId, confirmName: name }))).toMatchObject({ code: 'functions/permission-denied' });
    expect(await failure(owner.call('deleteWorkspace', { workspaceId, confirmName: name.toUpperCase() + 'x' }))).toMatchObject({
      code: 'functions/failed-precondition',
      message: expect.stringMatching(/type its name exactly/),
    });
    expect((await adminDb().doc(paths.workspace(workspaceId)).get()).exists).toBe(true);
    expect((await adminDb().collection(paths.agentKeys()).where('workspaceId', '==', workspaceId).get()).size).toBe(1);

    expect(await owner.call('deleteWorkspace', { workspaceId, confirmName: name })).toEqual({ workspaceId, deleted: true });
    for (const path of [paths.workspace(workspaceId), paths.member(workspaceId, viewer.user.uid), paths.agent(workspaceId, agent.agentId)]) {
      expect((await adminDb().doc(path).get()).exists).toBe(false);
    }
    for (const path of [
      paths.members(workspaceId),
      paths.agents(workspaceId),
      paths.invitations(workspaceId),
      paths.audit(workspaceId),
      paths.events(workspaceId),
    ]) {
      expect((await adminDb().collection(path).get()).size).toBe(0);
    }
    expect((await adminDb().collection(paths.agentKeys()).where('workspaceId', '==', workspaceId).get()).size).toBe(0);
    // The host's next report is refused: its key is gone.
    expect((await sendReport(agent.key, freshReport())).json?.error?.status).toBe('UNAUTHENTICATED');
    await vi.waitFor(
      async () => expect((await adminDb().doc(paths.user(viewer.user.uid)).get()).get(`workspaces.${workspaceId}`)).toBeUndefined(),
      poll,
    );
  });
});

describe('deleteWorkspace and enrollment', () => {
  it('deletes the enrollment tokens first: none of them can enroll a host into the deleted workspace, and no secret is left behind', async () => {
    const team = await newTeam();
    clients.push(...team.clients);
    const { workspaceId, owner } = team;
    const { tokenId, token } = await createToken(owner, { workspaceId, name: 'fleet', expiresInDays: 7, maxUses: null, labels: {} });
    expect((await adminDb().doc(paths.enrollmentSecret(tokenId)).get()).exists).toBe(true);
    const name = (await adminDb().doc(paths.workspace(workspaceId)).get()).get('name') as string;

    expect(await owner.call('deleteWorkspace', { workspaceId, confirmName: name })).toEqual({ workspaceId, deleted: true });
    expect((await adminDb().doc(paths.enrollmentSecret(tokenId)).get()).exists).toBe(false);
    const refused = await enrollHost(token, { machineId: newMachineId(), hostname: 'late-host' });
    expect(refused.json?.error?.status).toBe('PERMISSION_DENIED');
    expect((await adminDb().collection(paths.agents(workspaceId)).get()).size).toBe(0);
  });
});

describe('deleteAccount', () => {
  it('is refused while the user is the last owner of a workspace, then leaves every workspace and deletes the account', async () => {
    const team = await newTeam();
    clients.push(...team.clients);
    const { workspaceId, owner } = team;
    const viewer = await team.add('viewer');
    await vi.waitFor(
      async () => expect((await adminDb().doc(paths.user(viewer.user.uid)).get()).get(`workspaces.${workspaceId}`)).toBe('viewer'),
      poll,
    );

    expect(await failure(owner.call('deleteAccount'))).toMatchObject({
      code: 'functions/failed-precondition',
      message: expect.stringMatching(/^You are the last owner of 1 workspace: make another member owner, or delete it, first\./),
    });
    expect((await adminDb().doc(paths.member(workspaceId, owner.user.uid)).get()).exists).toBe(true);
    expect((await adminAuth().getUser(owner.user.uid)).uid).toBe(owner.user.uid);

    expect(await viewer.call('deleteAccount')).toEqual({ uid: viewer.user.uid, deleted: true });
    expect((await adminDb().doc(paths.member(workspaceId, viewer.user.uid)).get()).exists).toBe(false);
    expect((await adminDb().doc(paths.user(viewer.user.uid)).get()).exists).toBe(false);
    await expect(adminAuth().getUser(viewer.user.uid)).rejects.toMatchObject({ code: 'auth/user-not-found' });
    expect((await auditEntries(workspaceId)).find((entry) => entry.action === 'member.left')).toMatchObject({
      actor: { type: 'user', uid: viewer.user.uid },
      before: { role: 'viewer' },
      after: { accountDeleted: true },
    });
  });
});
