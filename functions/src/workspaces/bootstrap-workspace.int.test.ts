import { paths } from '@vigil/schema';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { adminDb, callRaw, newSignedInClient, type SignedInClient } from '../../../tests/support/emulators.js';

const clients: SignedInClient[] = [];
afterAll(() => Promise.all(clients.map((client) => client.close())));

async function client() {
  const created = await newSignedInClient('bootstrap');
  clients.push(created);
  return created;
}

describe('bootstrapWorkspace (callable) and onMemberWritten (trigger)', () => {
  it('gives a new user an owned workspace, and the trigger mirrors it into users/{uid}', async () => {
    const alice = await client();
    const result = await alice.call<{ workspaceId: string; role: string; created: boolean }>('bootstrapWorkspace');
    expect(result).toMatchObject({ role: 'owner', created: true });

    const db = adminDb();
    const workspace = await db.doc(paths.workspace(result.workspaceId)).get();
    expect(workspace.get('createdBy')).toBe(alice.user.uid);
    expect(workspace.get('settings')).toEqual({ retentionDays: 30, reportingIntervalSeconds: 300, failedTestThreshold: 1 });
    expect((await db.doc(paths.member(result.workspaceId, alice.user.uid)).get()).get('role')).toBe('owner');

    // The trigger's effect: the membership shows up in the user's profile.
    await vi.waitFor(
      async () => {
        const profile = await db.doc(paths.user(alice.user.uid)).get();
        expect(profile.get('workspaces')).toEqual({ [result.workspaceId]: 'owner' });
      },
      { timeout: 120_000, interval: 200 },
    );
  });

  it('returns the same workspace on every later sign-in, even when two calls race', async () => {
    const bob = await client();
    const [first, second] = await Promise.all([
      bob.call<{ workspaceId: string }>('bootstrapWorkspace'),
      bob.call<{ workspaceId: string }>('bootstrapWorkspace'),
    ]);
    expect(first.workspaceId).toBe(second.workspaceId);
    const again = await bob.call<{ workspaceId: string; created: boolean }>('bootstrapWorkspace');
    expect(again).toMatchObject({ workspaceId: first.workspaceId, created: false });
    const owned = await adminDb().collection('workspaces').where('createdBy', '==', bob.user.uid).get();
    expect(owned.size).toBe(1);
  });

  it('refuses a caller who is not signed in, and a forged token, with unauthenticated', async () => {
    const anonymous = await callRaw('bootstrapWorkspace', { data: {} });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json?.error?.status).toBe('UNAUTHENTICATED');

    const forged = await callRaw('bootstrapWorkspace', { data: {} }, { authorization: 'Bearer not-a-token' });
    expect(forged.status).toBe(401);
    expect(forged.json?.error?.status).toBe('UNAUTHENTICATED');
  });

  it('removes the mirrored membership when the member document goes', async () => {
    const carol = await client();
    const { workspaceId } = await carol.call<{ workspaceId: string }>('bootstrapWorkspace');
    const db = adminDb();
    await vi.waitFor(
      async () => {
        expect((await db.doc(paths.user(carol.user.uid)).get()).get(`workspaces.${workspaceId}`)).toBe('owner');
      },
      { timeout: 120_000, interval: 200 },
    );
    await db.doc(paths.member(workspaceId, carol.user.uid)).delete();
    await vi.waitFor(
      async () => {
        expect((await db.doc(paths.user(carol.user.uid)).get()).get('workspaces')).toEqual({});
      },
      { timeout: 120_000, interval: 200 },
    );
  });
});
