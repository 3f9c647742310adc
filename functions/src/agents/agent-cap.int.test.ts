// The cap on agents per workspace. MAX_AGENTS_PER_WORKSPACE keeps its default (1,000) in the
// emulators; these tests lower the cap for their own workspace only, through the workspace's
// `maxAgents` override, which only the Admin SDK can write (as the operator would).
import { paths } from '@vigil/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { ownerWithWorkspace } from '../../../tests/support/agents.js';
import { adminDb, callRaw, type SignedInClient } from '../../../tests/support/emulators.js';

const clients: SignedInClient[] = [];
afterAll(() => Promise.all(clients.map((client) => client.close())));

async function createAgent(owner: SignedInClient, workspaceId: string, name: string) {
  return callRaw('createAgent', { data: { workspaceId, name } }, { authorization: `Bearer ${await owner.user.getIdToken()}` });
}

async function countOf(workspaceId: string) {
  const db = adminDb();
  const agents = await db.collection(paths.agents(workspaceId)).get();
  // createAgent issues no key: each agent it made has its install command's bound token.
  const tokens = await db.collection(paths.enrollmentTokens(workspaceId)).get();
  return { agents: agents.size, tokens: tokens.docs.filter((token) => typeof token.get('agentId') === 'string').length };
}

describe('agents per workspace', () => {
  it('createAgent refuses beyond the limit with resource-exhausted, and enrolls nothing', async () => {
    const { owner, workspaceId } = await ownerWithWorkspace('cap');
    clients.push(owner);
    await adminDb().doc(paths.workspace(workspaceId)).update({ maxAgents: 2 });

    expect((await createAgent(owner, workspaceId, 'web-1')).status).toBe(200);
    expect((await createAgent(owner, workspaceId, 'web-2')).status).toBe(200);
    const refused = await createAgent(owner, workspaceId, 'web-3');
    expect(refused.json?.error?.status, refused.text).toBe('RESOURCE_EXHAUSTED');
    expect(refused.json?.error?.message).toBe(
      'This workspace has reached its limit of 2 agents. Delete an agent it no longer needs, or ask the operator of this Vigil to raise the limit.',
    );
    expect(refused.json?.error?.details).toEqual({ limit: 2, agents: 2 });
    expect(await countOf(workspaceId)).toEqual({ agents: 2, tokens: 2 });
  });

  it('counts revoked agents too, and a raised limit lets one more in', async () => {
    const { owner, workspaceId } = await ownerWithWorkspace('cap-revoked');
    clients.push(owner);
    await adminDb().doc(paths.workspace(workspaceId)).update({ maxAgents: 1 });
    const first = await owner.call<{ agentId: string }>('createAgent', { workspaceId, name: 'old-host' });
    await owner.call('revokeAgent', { workspaceId, agentId: first.agentId });
    expect((await createAgent(owner, workspaceId, 'new-host')).json?.error?.status).toBe('RESOURCE_EXHAUSTED');

    await adminDb().doc(paths.workspace(workspaceId)).update({ maxAgents: 2 });
    expect((await createAgent(owner, workspaceId, 'new-host')).status).toBe(200);
    expect((await countOf(workspaceId)).agents).toBe(2);
  });

  it('a limit of 0 closes enrollment; other workspaces keep the default', async () => {
    const closed = await ownerWithWorkspace('cap-closed');
    const open = await ownerWithWorkspace('cap-open');
    clients.push(closed.owner, open.owner);
    await adminDb().doc(paths.workspace(closed.workspaceId)).update({ maxAgents: 0 });

    const refused = await createAgent(closed.owner, closed.workspaceId, 'web-1');
    expect(refused.json?.error?.status).toBe('RESOURCE_EXHAUSTED');
    expect(refused.json?.error?.message).toBe('This workspace may not enroll agents. Ask the operator of this Vigil to raise the limit.');
    expect((await createAgent(open.owner, open.workspaceId, 'web-1')).status).toBe(200);
  });

  it('concurrent enrollments do not overshoot the limit: the count is read in the transaction', async () => {
    const { owner, workspaceId } = await ownerWithWorkspace('cap-race');
    clients.push(owner);
    await adminDb().doc(paths.workspace(workspaceId)).update({ maxAgents: 3 });
    const results = await Promise.all(Array.from({ length: 6 }, (_, index) => createAgent(owner, workspaceId, `racer-${index}`)));
    const statuses = results.map((result) => result.json?.error?.status ?? 'OK').sort();
    expect(statuses.filter((status) => status === 'OK')).toHaveLength(3);
    expect(statuses.filter((status) => status !== 'OK')).toEqual(['RESOURCE_EXHAUSTED', 'RESOURCE_EXHAUSTED', 'RESOURCE_EXHAUSTED']);
    expect(await countOf(workspaceId)).toEqual({ agents: 3, tokens: 3 });
  });

  it('a malformed override is ignored: MAX_AGENTS_PER_WORKSPACE applies', async () => {
    const { owner, workspaceId } = await ownerWithWorkspace('cap-malformed');
    clients.push(owner);
    await adminDb().doc(paths.workspace(workspaceId)).update({ maxAgents: 'none' });
    expect((await createAgent(owner, workspaceId, 'web-1')).status).toBe(200);
  });
});
