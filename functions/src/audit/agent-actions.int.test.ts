// The agents callables write their audit entries in their own transactions (agent.created,
// agent.key_rotated, agent.revoked, agent.deleted), as the teams callables do.
// (agent.enrolled is the host's, with createAgent's token: functions/src/enrollment.)
import type { RotateAgentKeyResult } from '@vigil/schema';
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
    const rotated = await owner.call<RotateAgentKeyResult>('rotateAgentKey', { workspaceId, agentId });
    await owner.call('revokeAgent', { workspaceId, agentId });
    await owner.call('deleteAgent', { workspaceId, agentId });
    // A repeated delete (the agent is gone) records nothing more.
    await owner.call('deleteAgent', { workspaceId, agentId });

    const all = await auditEntries(workspaceId);
    // The host's enrollment with the install command's token comes between, by no person (the enrollment tests check it).
    expect(all.map((entry) => entry.action)).toEqual(['agent.created', 'agent.enrolled', 'agent.key_rotated', 'agent.revoked', 'agent.deleted']);
    const entries = all.filter((entry) => entry.action !== 'agent.enrolled');
    for (const entry of entries) {
      expect(entry).toMatchObject({ actor: { type: 'user', uid: owner.user.uid }, target: { type: 'agent', id: agentId, name: 'audited-host' } });
    }
    // createAgent issues no key: the entry names the install command's token and its expiry.
    expect(entries[0]).toMatchObject({ after: { name: 'audited-host', tokenId: agent.tokenId, expiresAt: agent.expiresAt } });
    // A rotation issues no key either: its entry names the old key and the new command's token.
    expect(entries[1]).toMatchObject({
      before: { keyPrefix: agent.keyPrefix, revoked: false },
      after: { keyPrefix: null, revoked: false, tokenId: rotated.tokenId, expiresAt: rotated.expiresAt },
    });
  });
});
