// createAgent's install command under the emulators: its token (bound-token.ts) enrolls exactly its
// agent, once; the key that enrollment issues is the agent's, and it reports. A second use, a
// revoked or deleted agent, or a rotation meanwhile: refused, saying why, writing nothing.
import { paths, type CreateAgentResult, type EnrollAgentResult, type RotateAgentKeyResult } from '@vigil/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { freshReport, ownerWithWorkspace, sendReport } from '../../../tests/support/agents.js';
import { emulatorLogFile, enrollHost, newMachineId } from '../../../tests/support/enrollment.js';
import { adminDb, type SignedInClient } from '../../../tests/support/emulators.js';
import { auditEntries } from '../../../tests/support/teams.js';
import { readFileSync } from 'node:fs';

const clients: SignedInClient[] = [];
/** Every key and token handed out here: none may appear in the emulators' log. */
const secrets: string[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  const log = emulatorLogFile();
  if (log) {
    const text = readFileSync(log, 'utf8');
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
});

async function created(name = 'web-1') {
  const { owner, workspaceId } = await ownerWithWorkspace('bound');
  clients.push(owner);
  const agent = await owner.call<CreateAgentResult>('createAgent', { workspaceId, name });
  secrets.push(agent.token);
  return { owner, workspaceId, agent };
}

/** What a refused enrollment could have written: the workspace's agents, keys, enrollments and the token's uses. */
async function footprint(workspaceId: string, tokenId: string) {
  const db = adminDb();
  const agents = await db.collection(paths.agents(workspaceId)).get();
  const keys = await db.collection(paths.agentKeys()).where('workspaceId', '==', workspaceId).get();
  const token = await db.doc(paths.enrollmentToken(workspaceId, tokenId)).get();
  return {
    agents: agents.docs.map((doc) => ({ id: doc.id, keyId: doc.get('keyId') as unknown })),
    keys: keys.size,
    enrollments: (await auditEntries(workspaceId)).filter((entry) => entry.action === 'agent.enrolled').length,
    uses: token.get('uses') as unknown,
  };
}

async function enrollOk(token: string, data: unknown): Promise<EnrollAgentResult> {
  const response = await enrollHost(token, data);
  expect(response.status, response.text).toBe(200);
  const result = response.json?.result as EnrollAgentResult;
  secrets.push(result.key);
  return result;
}

describe("createAgent's bound enrollment token", () => {
  it('enrolls its agent with the key it issues then, which reports; a second use is refused and writes nothing', async () => {
    const { workspaceId, agent } = await created('db-7');
    const machineId = newMachineId();
    const enrolled = await enrollOk(agent.token, { machineId, hostname: 'db-7.internal', labels: { env: 'prod' } });
    expect(enrolled).toMatchObject({ workspaceId, agentId: agent.agentId, name: 'db-7', reused: false });

    const db = adminDb();
    const doc = await db.doc(paths.agent(workspaceId, agent.agentId)).get();
    expect(doc.data()).toMatchObject({ status: 'never-seen', keyPrefix: enrolled.keyPrefix, machineIdHash: machineId, labels: { env: 'prod' } });
    const accepted = await sendReport(enrolled.key, freshReport());
    expect(accepted.status, accepted.text).toBe(200);
    expect((await db.doc(paths.agent(workspaceId, agent.agentId)).get()).get('status')).toBe('online');

    const before = await footprint(workspaceId, agent.tokenId);
    expect(before).toMatchObject({ keys: 1, enrollments: 1, uses: 1 });
    // The same command run again, on this host or another: used up.
    for (const again of [machineId, newMachineId()]) {
      const refused = await enrollHost(agent.token, { machineId: again, hostname: 'db-7.internal' });
      expect(refused.json?.error).toMatchObject({ status: 'FAILED_PRECONDITION', details: { reason: 'used up' } });
      expect(refused.json?.error?.message).toMatch(/install command's enrollment token is used up: it enrolls its agent once, within 24 h/);
    }
    expect(await footprint(workspaceId, agent.tokenId)).toEqual(before);
    // The first key still works.
    expect((await sendReport(enrolled.key, freshReport())).status).toBe(200);
  });

  it('revoking the agent revokes its unused token: the command enrolls nothing', async () => {
    const { owner, workspaceId, agent } = await created('to-revoke');
    await owner.call('revokeAgent', { workspaceId, agentId: agent.agentId });
    const token = await adminDb().doc(paths.enrollmentToken(workspaceId, agent.tokenId)).get();
    expect(token.get('revokedAt')).not.toBeNull();
    expect(token.get('revokedBy')).toMatchObject({ uid: owner.user.uid });

    const before = await footprint(workspaceId, agent.tokenId);
    const refused = await enrollHost(agent.token, { machineId: newMachineId(), hostname: 'h' });
    expect(refused.json?.error).toMatchObject({ status: 'FAILED_PRECONDITION', details: { reason: 'revoked' } });
    expect(await footprint(workspaceId, agent.tokenId)).toEqual(before);
    expect(before).toMatchObject({ agents: [{ id: agent.agentId, keyId: null }], keys: 0, uses: 0 });
  });

  it('a deleted agent is not brought back by its command; a rotation meanwhile revokes the command', async () => {
    const deleted = await created('to-delete');
    await deleted.owner.call('deleteAgent', { workspaceId: deleted.workspaceId, agentId: deleted.agent.agentId });
    const gone = await enrollHost(deleted.agent.token, { machineId: newMachineId(), hostname: 'h' });
    expect(gone.json?.error).toMatchObject({ status: 'FAILED_PRECONDITION', details: { reason: 'for an agent that was deleted' } });
    expect((await footprint(deleted.workspaceId, deleted.agent.tokenId)).agents).toEqual([]);

    const rotated = await created('rotated-first');
    const rotation = await rotated.owner.call<RotateAgentKeyResult>('rotateAgentKey', {
      workspaceId: rotated.workspaceId,
      agentId: rotated.agent.agentId,
    });
    secrets.push(rotation.token);
    const refused = await enrollHost(rotated.agent.token, { machineId: newMachineId(), hostname: 'h' });
    expect(refused.json?.error).toMatchObject({ status: 'FAILED_PRECONDITION', details: { reason: 'revoked' } });
    // The rotation's own command enrolls it: its first key, so not a re-enrollment.
    const enrolled = await enrollOk(rotation.token, { machineId: newMachineId(), hostname: 'h' });
    expect(enrolled).toMatchObject({ agentId: rotated.agent.agentId, reused: false });
    expect((await sendReport(enrolled.key, freshReport())).status).toBe(200);
  });

  it("takes the machine from the agent a fleet token enrolled on it: the host's next fleet enrollment re-keys the bound agent", async () => {
    const { owner, workspaceId, agent } = await created('replacement');
    const fleet = await owner.call<{ token: string }>('createEnrollmentToken', { workspaceId, name: 'fleet' });
    secrets.push(fleet.token);
    const machineId = newMachineId();
    const first = await enrollOk(fleet.token, { machineId, hostname: 'web-9' });
    expect(first.agentId).not.toBe(agent.agentId);

    await enrollOk(agent.token, { machineId, hostname: 'web-9' });
    const db = adminDb();
    expect((await db.doc(paths.agent(workspaceId, first.agentId)).get()).get('machineIdHash')).toBeUndefined();
    const again = await enrollOk(fleet.token, { machineId, hostname: 'web-9' });
    expect(again).toMatchObject({ agentId: agent.agentId, reused: true });
  });
});
