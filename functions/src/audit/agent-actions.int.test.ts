// The agents callables write their audit entries in their own transactions (agent.created,
// agent.key_rotated, agent.revoked, agent.deleted), as the teams callables do.
import { afterAll, describe, expect, it } from 'vitest';
import { enrollAgent, type EnrolledAgent } from '../../../tests/support/agents.js';
import { auditEntries } from '../../../tests/support/teams.js';

const enrolled: EnrolledAgent[] = [];
afterAll(() => Promise.all(enrolled.map((agent) => agent.owner.close())));

describe('the audit log of agent actions', () => {
  it('records create, rotate, revoke and delete by the caller, with the agent named', async () => {
    const agent = await enrollAgent('audited-host');
    enrolled.push(agent);
    const { owner, workspaceId, agentId } = agent;
    const rotated = await owner.call<{ keyPrefix: string }>('rotateAgentKey', { workspaceId, agentId });
    await owner.call('revokeAgent', { workspaceId, agentId });
    await owner.call('deleteAgent', { workspaceId, agentId });
    // A repeated delete (the agent is gone) records nothing more.
    await owner.call('deleteAgent', { workspaceId, agentId });

    const entries = await auditEntries(workspaceId);
    expect(entries.map((entry) => entry.action)).toEqual(['agent.created', 'agent.key_rotated', 'agent.revoked', 'agent.deleted']);
    for (const entry of entries) {
      expect(entry).toMatchObject({ actor: { type: 'user', uid: owner.user.uid }, target: { type: 'agent', id: agentId, name: 'audited-host' } });
    }
    expect(entries[0]).toMatchObject({ after: { name: 'audited-host', keyPrefix: agent.keyPrefix } });
    expect(entries[1]).toMatchObject({ before: { keyPrefix: agent.keyPrefix, revoked: false }, after: { keyPrefix: rotated.keyPrefix } });
  });
});
