// Ids in callable requests are document ids, checked by one schema (firestoreIdSchema): a path in
// their place ("a/b", "../x") is refused as invalid-argument naming the field, and changes nothing.
import { paths } from '@vigil/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { enrollAgent } from '../../../tests/support/agents.js';
import { adminDb, callRaw, type SignedInClient } from '../../../tests/support/emulators.js';

const clients: SignedInClient[] = [];
afterAll(() => Promise.all(clients.map((client) => client.close())));

const AGENT_CALLABLES = ['revokeAgent', 'deleteAgent', 'rotateAgentKey'] as const;
const BAD_IDS = ['a/b', '../x', '..', '__x__', ''];

async function callAs(owner: SignedInClient, name: string, data: unknown) {
  return callRaw(name, { data }, { authorization: `Bearer ${await owner.user.getIdToken()}` });
}

function expectInvalid(response: Awaited<ReturnType<typeof callRaw>>, field: string) {
  expect(response.json?.error?.status, response.text).toBe('INVALID_ARGUMENT');
  expect(response.json?.error?.message).toMatch(new RegExp(`^Invalid request\\. ${field}: must be a document id: `));
  expect(response.json?.error?.details).toMatchObject({ issues: [{ path: field }] });
}

describe('ids in callable requests', () => {
  it.each(BAD_IDS)('createAgent refuses workspaceId %j and enrolls nothing', async (workspaceId) => {
    const agent = await enrollAgent('ids-create');
    clients.push(agent.owner);
    expectInvalid(await callAs(agent.owner, 'createAgent', { workspaceId, name: 'x' }), 'workspaceId');
    expectInvalid(await callAs(agent.owner, 'createAgent', { workspaceId: `${agent.workspaceId}/agents/y`, name: 'x' }), 'workspaceId');
    const agents = await adminDb().collection(paths.agents(agent.workspaceId)).get();
    expect(agents.docs.map((doc) => doc.id)).toEqual([agent.agentId]);
  });

  it.each(AGENT_CALLABLES)('%s refuses a bad workspaceId or agentId, naming the field, and changes nothing', async (name) => {
    const agent = await enrollAgent(`ids-${name}`);
    clients.push(agent.owner);
    const agentRef = adminDb().doc(paths.agent(agent.workspaceId, agent.agentId));
    const before = await agentRef.get();

    for (const bad of BAD_IDS) {
      expectInvalid(await callAs(agent.owner, name, { workspaceId: bad, agentId: agent.agentId }), 'workspaceId');
      expectInvalid(await callAs(agent.owner, name, { workspaceId: agent.workspaceId, agentId: bad }), 'agentId');
    }
    // A path that climbs back to the real agent is still not an id.
    expectInvalid(await callAs(agent.owner, name, { workspaceId: agent.workspaceId, agentId: `x/../${agent.agentId}` }), 'agentId');

    const after = await agentRef.get();
    expect(after.exists).toBe(true);
    expect(after.updateTime?.isEqual(before.updateTime!)).toBe(true);
  });
});
