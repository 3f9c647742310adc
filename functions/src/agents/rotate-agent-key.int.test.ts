// rotateAgentKey under the emulators (#15: no command a person copies carries a long-lived secret):
// the reply has no key, only an install command with a token bound to the agent; the old key is
// refused at once; the host's enrollment with that token (install.sh --force-enroll, or vigil-agent
// enroll) gives the same agent a key that ingest accepts; the token works once; a second rotation
// revokes the first one's token; a revoked agent comes back the same way.
import { parseApiKey, parseEnrollmentToken, paths, type EnrollAgentResult, type RotateAgentKeyResult } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { enrollAgent, freshReport, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { emulatorLogFile, enrollHost } from '../../../tests/support/enrollment.js';
import { adminDb, callRaw } from '../../../tests/support/emulators.js';

const enrolled: EnrolledAgent[] = [];
/** Every key and token handed out here: none may appear in the emulators' log. */
const secrets: string[] = [];
afterAll(async () => {
  await Promise.all(enrolled.map((agent) => agent.owner.close()));
  const log = emulatorLogFile();
  if (log) {
    const text = readFileSync(log, 'utf8');
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
});

async function reportingAgent(name: string): Promise<EnrolledAgent> {
  const agent = await enrollAgent(name);
  enrolled.push(agent);
  secrets.push(agent.key, agent.token);
  expect((await sendReport(agent.key, freshReport())).status).toBe(200);
  return agent;
}

async function rotate(agent: EnrolledAgent): Promise<RotateAgentKeyResult> {
  const rotated = await agent.owner.call<RotateAgentKeyResult>('rotateAgentKey', { workspaceId: agent.workspaceId, agentId: agent.agentId });
  secrets.push(rotated.token);
  return rotated;
}

/** The host enrolls with the rotation's token, from the machine it enrolled from before. */
async function enrollAgain(agent: EnrolledAgent, token: string) {
  const response = await enrollHost(token, { machineId: agent.machineId, hostname: 'rotated.internal' });
  const result = response.json?.result as EnrollAgentResult | undefined;
  if (result) secrets.push(result.key);
  return { response, result };
}

const status = async (key: string) => {
  const response = await sendReport(key, freshReport());
  return response.status === 200 ? 'accepted' : response.json?.error?.status;
};
const agentDoc = (agent: EnrolledAgent) => adminDb().doc(paths.agent(agent.workspaceId, agent.agentId)).get();
const keyDoc = (key: string) =>
  adminDb()
    .doc(paths.agentKey(parseApiKey(key)!.keyId))
    .get();

describe('rotateAgentKey', () => {
  it('returns no key, refuses the old key at once, and its command enrolls the same agent once with a key ingest accepts', async () => {
    const agent = await reportingAgent('rotate-web');
    const rotated = await rotate(agent);

    // No key in the reply, nor in the command: a token bound to this agent, and --force-enroll,
    // since the host has a key already, which install.sh would otherwise keep.
    expect(Object.keys(rotated).sort()).toEqual(['agentId', 'expiresAt', 'installCommand', 'token', 'tokenId']);
    expect(JSON.stringify(rotated)).not.toMatch(/vgl_/);
    expect(rotated.installCommand).not.toContain('--key');
    expect(rotated.installCommand).toContain(` --token ${rotated.token} --force-enroll --endpoint `);
    expect(parseEnrollmentToken(rotated.token)?.tokenId).toBe(rotated.tokenId);
    const token = await adminDb().doc(paths.enrollmentToken(agent.workspaceId, rotated.tokenId)).get();
    expect(token.data()).toMatchObject({ agentId: agent.agentId, maxUses: 1, uses: 0, name: 'new key for agent rotate-web', revokedAt: null });
    expect((token.get('expiresAt') as Timestamp).toMillis()).toBe(new Date(rotated.expiresAt).getTime());
    expect(new Date(rotated.expiresAt).getTime() - Date.now()).toBeGreaterThan(23.9 * 3_600_000);

    // The old key is dead at once, for reports and for a key fetch; the agent has no key until its host enrolls.
    expect(await status(agent.key)).toBe('UNAUTHENTICATED');
    expect((await callRaw('fetchAgentKey', { data: {} }, { 'x-vigil-key': agent.key })).json?.error?.status).toBe('UNAUTHENTICATED');
    expect((await keyDoc(agent.key)).get('revokedAt')).toBeInstanceOf(Timestamp);
    expect((await agentDoc(agent)).data()).toMatchObject({ keyId: null, keyPrefix: null, revokedAt: null, status: 'online' });

    // The host runs the command: the same agent, a new key (a re-key: it had one), which reports.
    const first = await enrollAgain(agent, rotated.token);
    expect(first.response.status, first.response.text).toBe(200);
    expect(first.result).toMatchObject({ workspaceId: agent.workspaceId, agentId: agent.agentId, name: 'rotate-web', reused: true });
    const newKey = first.result!.key;
    expect(newKey).not.toBe(agent.key);
    expect(await status(newKey)).toBe('accepted');
    expect((await agentDoc(agent)).data()).toMatchObject({ keyId: parseApiKey(newKey)!.keyId, keyPrefix: first.result!.keyPrefix });
    expect(await status(agent.key)).toBe('UNAUTHENTICATED');

    // The same command again: used up, nothing written, the new key untouched.
    const again = await enrollAgain(agent, rotated.token);
    expect(again.response.json?.error).toMatchObject({ status: 'FAILED_PRECONDITION', details: { reason: 'used up' } });
    expect((await agentDoc(agent)).get('keyId')).toBe(parseApiKey(newKey)!.keyId);
    expect(await status(newKey)).toBe('accepted');
  });

  it('a second rotation revokes the first one’s command: only the newest enrolls', async () => {
    const agent = await reportingAgent('rotate-twice');
    const first = await rotate(agent);
    const second = await rotate(agent);
    const firstToken = await adminDb().doc(paths.enrollmentToken(agent.workspaceId, first.tokenId)).get();
    expect(firstToken.get('revokedBy')).toMatchObject({ uid: agent.owner.user.uid });

    const stale = await enrollAgain(agent, first.token);
    expect(stale.response.json?.error).toMatchObject({ status: 'FAILED_PRECONDITION', details: { reason: 'revoked' } });
    const fresh = await enrollAgain(agent, second.token);
    expect(fresh.response.status, fresh.response.text).toBe(200);
    expect(await status(fresh.result!.key)).toBe('accepted');
  });

  it('brings a revoked agent back: the revocation ends now, and the enrolled key reports', async () => {
    const agent = await reportingAgent('rotate-revoked');
    await agent.owner.call('revokeAgent', { workspaceId: agent.workspaceId, agentId: agent.agentId });
    const revokedAt = (await keyDoc(agent.key)).get('revokedAt') as Timestamp;
    const rotated = await rotate(agent);
    expect((await agentDoc(agent)).data()).toMatchObject({ revokedAt: null, keyId: null });
    // The key revokeAgent revoked keeps the time it was revoked.
    expect((await keyDoc(agent.key)).get('revokedAt')).toEqual(revokedAt);

    const back = await enrollHost(rotated.token, { machineId: agent.machineId, hostname: 'back.internal' });
    expect(back.status, back.text).toBe(200);
    const key = (back.json!.result as EnrollAgentResult).key;
    secrets.push(key);
    expect(await status(key)).toBe('accepted');
    expect(await status(agent.key)).toBe('UNAUTHENTICATED');
  });

  it('is refused to a viewer, writing nothing', async () => {
    const agent = await reportingAgent('rotate-viewer');
    const viewerToken = await agent.owner.user.getIdToken();
    await adminDb().doc(paths.member(agent.workspaceId, agent.owner.user.uid)).update({ role: 'viewer' });
    const refused = await callRaw(
      'rotateAgentKey',
      { data: { workspaceId: agent.workspaceId, agentId: agent.agentId } },
      { authorization: `Bearer ${viewerToken}` },
    );
    expect(refused.json?.error?.status).toBe('PERMISSION_DENIED');
    expect(await status(agent.key)).toBe('accepted');
    const tokens = await adminDb().collection(paths.enrollmentTokens(agent.workspaceId)).where('agentId', '==', agent.agentId).get();
    expect(tokens.docs.map((doc) => doc.id)).toEqual([agent.tokenId]);
  });
});
