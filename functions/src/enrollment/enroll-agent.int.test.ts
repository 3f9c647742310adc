// enrollAgent under the emulators, called as a host calls it: plain HTTP, the token in the
// X-Vigil-Enrollment-Token header, no sign-in. One machine gives one agent however often it
// enrolls; every refusal says what is wrong and writes nothing; the key it hands out works with
// ingestReport and is never logged.
import { LIMITS, paths, parseApiKey, parseEnrollmentToken, type EnrollAgentResult } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { freshReport, ownerWithWorkspace, sendReport } from '../../../tests/support/agents.js';
import { createToken, emulatorLogFile, enrollHost, newMachineId } from '../../../tests/support/enrollment.js';
import { adminDb, type SignedInClient } from '../../../tests/support/emulators.js';
import { auditEntries } from '../../../tests/support/teams.js';

const clients: SignedInClient[] = [];
/** Every agent key handed out here: none may appear in the emulators' log. */
const issuedKeys: string[] = [];
afterAll(() => Promise.all(clients.map((client) => client.close())));

async function workspaceWithToken(input: { maxUses?: number | null; labels?: Record<string, string> } = {}) {
  const { owner, workspaceId } = await ownerWithWorkspace('enroll');
  clients.push(owner);
  const created = await createToken(owner, { workspaceId, name: 'fleet', ...input });
  return { owner, workspaceId, ...created };
}

async function enrolled(token: string, data: unknown): Promise<EnrollAgentResult> {
  const response = await enrollHost(token, data);
  expect(response.status, response.text).toBe(200);
  const result = response.json?.result as EnrollAgentResult;
  issuedKeys.push(result.key);
  return result;
}

/**
 * What an enrollment writes, counted: the workspace's agents, their keys, its agent.enrolled entries
 * and the token's uses. Counts, not a snapshot of the documents: the workspace's own triggers
 * (onWorkspaceWritten after bootstrap) may still be touching a new agent meanwhile.
 */
async function footprint(workspaceId: string, tokenId: string) {
  const db = adminDb();
  const agents = await db.collection(paths.agents(workspaceId)).get();
  const keys = await db.collection(paths.agentKeys()).where('workspaceId', '==', workspaceId).get();
  const enrollments = (await auditEntries(workspaceId)).filter((entry) => entry.action === 'agent.enrolled');
  const token = await db.doc(paths.enrollmentToken(workspaceId, tokenId)).get();
  return {
    agents: agents.size,
    keys: keys.size,
    enrollments: enrollments.length,
    uses: token.get('uses') as unknown,
    lastUsedAt: token.get('lastUsedAt') as unknown,
  };
}

async function agentsOf(workspaceId: string) {
  return (await adminDb().collection(paths.agents(workspaceId)).get()).docs;
}

describe('enrollAgent', () => {
  it('enrolls a machine once: the same machine again gets its agent back with a new key, another machine its own agent', async () => {
    const { workspaceId, token, tokenId } = await workspaceWithToken({ labels: { env: 'prod', team: 'ops' } });
    const machineId = newMachineId();

    const first = await enrolled(token, { machineId, hostname: 'web-1.example.com', agentVersion: '1.4.0', labels: { env: 'dev', rack: '12' } });
    expect(first).toMatchObject({ workspaceId, name: 'web-1.example.com', reportingIntervalSeconds: 300, reused: false });
    expect(parseApiKey(first.key)).toBeDefined();
    expect(first.keyPrefix).toBe(`vgl_${parseApiKey(first.key)!.keyId}_…`);

    const agent = await adminDb().doc(paths.agent(workspaceId, first.agentId)).get();
    expect(agent.data()).toMatchObject({
      name: 'web-1.example.com',
      status: 'never-seen',
      agentVersion: '1.4.0',
      // The token's labels win over the host's on a shared key; the host's own stay.
      labels: { env: 'prod', team: 'ops', rack: '12' },
      machineIdHash: machineId,
      enrolledBy: { tokenId },
      keyId: parseApiKey(first.key)!.keyId,
      revokedAt: null,
      offlineAt: null,
    });
    expect(JSON.stringify(agent.data())).not.toContain(parseApiKey(first.key)!.secret);

    const again = await enrolled(token, { machineId, hostname: 'renamed-host' });
    expect(again).toMatchObject({ workspaceId, agentId: first.agentId, name: 'web-1.example.com', reused: true });
    expect(again.key).not.toBe(first.key);
    expect(await agentsOf(workspaceId)).toHaveLength(1);
    // The first key stopped working (a rotation), the new one works.
    expect((await sendReport(first.key, freshReport())).json?.error?.status).toBe('UNAUTHENTICATED');
    expect(
      (
        await adminDb()
          .doc(paths.agentKey(parseApiKey(first.key)!.keyId))
          .get()
      ).get('revokedAt'),
    ).toBeInstanceOf(Timestamp);

    const other = await enrolled(token, { machineId: newMachineId(), hostname: 'web-2' });
    expect(other.agentId).not.toBe(first.agentId);
    expect(other.reused).toBe(false);
    expect(await agentsOf(workspaceId)).toHaveLength(2);

    const tokenDoc = await adminDb().doc(paths.enrollmentToken(workspaceId, tokenId)).get();
    expect(tokenDoc.get('uses')).toBe(3);
    expect(tokenDoc.get('lastUsedAt')).toBeInstanceOf(Timestamp);

    const enrollments = (await auditEntries(workspaceId)).filter((entry) => entry.action === 'agent.enrolled');
    expect(enrollments).toHaveLength(3);
    expect(enrollments[0]).toMatchObject({
      actor: { type: 'system' },
      target: { type: 'agent', id: first.agentId, name: 'web-1.example.com' },
      after: { reused: false, tokenId, tokenName: 'fleet', keyPrefix: first.keyPrefix, labels: { env: 'prod', team: 'ops', rack: '12' } },
    });
    expect(enrollments[1]).toMatchObject({ target: { id: first.agentId }, after: { reused: true, keyPrefix: again.keyPrefix } });
    expect(JSON.stringify(enrollments)).not.toContain(parseApiKey(first.key)!.secret);
  });

  it("hands out a key that ingestReport takes, and the labels survive the agent's reports", async () => {
    const { workspaceId, token } = await workspaceWithToken({ labels: { env: 'staging' } });
    const result = await enrolled(token, { machineId: newMachineId(), hostname: 'db-1' });
    const reply = await sendReport(result.key, freshReport());
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json?.result).toMatchObject({ accepted: true, intervalSeconds: result.reportingIntervalSeconds });
    const agent = await adminDb().doc(paths.agent(workspaceId, result.agentId)).get();
    expect(agent.get('status')).toBe('online');
    expect(agent.get('labels')).toEqual({ env: 'staging' });
    // The agents list filters by a label: an equality query on labels.<key>.
    const filtered = await adminDb().collection(paths.agents(workspaceId)).where('labels.env', '==', 'staging').get();
    expect(filtered.docs.map((doc) => doc.id)).toEqual([result.agentId]);
  });

  it('lifts the revocation of a revoked machine that enrolls again, as a rotation does', async () => {
    const { owner, workspaceId, token } = await workspaceWithToken();
    const machineId = newMachineId();
    const first = await enrolled(token, { machineId, hostname: 'web-9' });
    await owner.call('revokeAgent', { workspaceId, agentId: first.agentId });
    const again = await enrolled(token, { machineId, hostname: 'web-9' });
    expect(again).toMatchObject({ agentId: first.agentId, reused: true });
    expect((await adminDb().doc(paths.agent(workspaceId, first.agentId)).get()).get('revokedAt')).toBeNull();
    expect((await sendReport(again.key, freshReport())).status).toBe(200);
  });

  it('refuses a token that is used up with failed-precondition, creating nothing', async () => {
    const { workspaceId, token, tokenId } = await workspaceWithToken({ maxUses: 1 });
    await enrolled(token, { machineId: newMachineId(), hostname: 'only-one' });
    const before = await footprint(workspaceId, tokenId);
    expect(before).toMatchObject({ agents: 1, keys: 1, enrollments: 1, uses: 1 });
    const refused = await enrollHost(token, { machineId: newMachineId(), hostname: 'one-too-many' });
    expect(refused.json?.error, refused.text).toMatchObject({
      status: 'FAILED_PRECONDITION',
      message: 'This enrollment token is used up. Ask an owner or admin of the workspace for a new one.',
      details: { reason: 'used up' },
    });
    expect(await footprint(workspaceId, tokenId)).toEqual(before);
  });

  it('refuses a revoked token and an expired one, saying which', async () => {
    const { owner, workspaceId, token, tokenId } = await workspaceWithToken();
    await owner.call('revokeEnrollmentToken', { workspaceId, tokenId });
    const revoked = await enrollHost(token, { machineId: newMachineId(), hostname: 'late' });
    expect(revoked.json?.error).toMatchObject({
      status: 'FAILED_PRECONDITION',
      message: expect.stringMatching(/^This enrollment token is revoked\./),
    });

    const second = await createToken(owner, { workspaceId, name: 'short-lived', expiresInDays: 1 });
    await adminDb()
      .doc(paths.enrollmentToken(workspaceId, second.tokenId))
      .update({ expiresAt: Timestamp.fromMillis(Date.now() - 1000) });
    const expired = await enrollHost(second.token, { machineId: newMachineId(), hostname: 'late' });
    expect(expired.json?.error).toMatchObject({ status: 'FAILED_PRECONDITION', details: { reason: 'expired' } });
    expect(await agentsOf(workspaceId)).toHaveLength(0);
  });

  it('gives one answer for a wrong secret, an unknown token, a malformed one and none, and writes nothing', async () => {
    const { workspaceId, token, tokenId } = await workspaceWithToken();
    const before = await footprint(workspaceId, tokenId);
    const parts = parseEnrollmentToken(token)!;
    const wrongSecret = `vgle_${parts.tokenId}_${'A'.repeat(43)}`;
    const unknown = `vgle_${'a'.repeat(16)}_${parts.secret}`;
    const data = { machineId: newMachineId(), hostname: 'intruder' };
    for (const presented of [wrongSecret, unknown, 'vgle_nope', `vgl_${parts.tokenId}_${parts.secret}`, undefined]) {
      const refused = await enrollHost(presented, data);
      expect(refused.status).toBe(403);
      expect(refused.json?.error).toEqual({ status: 'PERMISSION_DENIED', message: 'The enrollment token is missing, unknown or wrong.' });
    }
    expect(await footprint(workspaceId, tokenId)).toEqual(before);
    expect(before).toMatchObject({ agents: 0, keys: 0, enrollments: 0, uses: 0, lastUsedAt: null });
  });

  it('refuses bad and oversized input with invalid-argument naming the field', async () => {
    const { workspaceId, token } = await workspaceWithToken({ labels: Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`t${i}`, 'x'])) });
    const rawId = await enrollHost(token, { machineId: '0123456789abcdef0123456789abcdef', hostname: 'h' });
    expect(rawId.json?.error).toMatchObject({ status: 'INVALID_ARGUMENT', message: expect.stringMatching(/^Invalid request\. machineId: /) });
    const badLabel = await enrollHost(token, { machineId: newMachineId(), hostname: 'h', labels: { 'Bad Key': 'x' } });
    expect(badLabel.json?.error).toMatchObject({
      status: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^Invalid request\. labels: label key "Bad Key"/),
    });
    // 15 of the token's and 6 of the host's: more than an agent may carry.
    const tooMany = await enrollHost(token, {
      machineId: newMachineId(),
      hostname: 'h',
      labels: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`h${i}`, 'x'])),
    });
    expect(tooMany.json?.error).toMatchObject({
      status: 'INVALID_ARGUMENT',
      message: "Invalid request. labels: the host's labels and the token's make 21; an agent has at most 20",
    });
    const huge = await enrollHost(token, { machineId: newMachineId(), hostname: 'h', padding: 'x'.repeat(LIMITS.reportBytes) });
    expect(huge.json?.error).toMatchObject({
      status: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^The request is \d+ bytes; the limit is 8192\.$/),
    });
    expect(await agentsOf(workspaceId)).toHaveLength(0);
  });

  it('rate-limits enrollments per token with resource-exhausted and a retry hint', async () => {
    const { workspaceId, token, tokenId } = await workspaceWithToken();
    // An empty bucket, as after a burst of enrollments. Stamped 10 minutes ahead, so it refills
    // nothing however long the callable takes to run (a clock ahead refills nothing).
    await adminDb()
      .doc(paths.enrollmentToken(workspaceId, tokenId))
      .update({ enrollBudget: { tokens: 0, updatedAtMs: Date.now() + 600_000 } });
    const limited = await enrollHost(token, { machineId: newMachineId(), hostname: 'eager' });
    expect(limited.json?.error).toMatchObject({ status: 'RESOURCE_EXHAUSTED', details: { retryAfterSeconds: 1 } });
    expect(await agentsOf(workspaceId)).toHaveLength(0);
  });

  it("keeps to the workspace's agent cap, counting no use when refused", async () => {
    const { workspaceId, token, tokenId } = await workspaceWithToken();
    await adminDb().doc(paths.workspace(workspaceId)).update({ maxAgents: 0 });
    const refused = await enrollHost(token, { machineId: newMachineId(), hostname: 'no-room' });
    expect(refused.json?.error).toMatchObject({ status: 'RESOURCE_EXHAUSTED', details: { limit: 0, agents: 0 } });
    expect((await adminDb().doc(paths.enrollmentToken(workspaceId, tokenId)).get()).get('uses')).toBe(0);
  });

  it('never writes an agent key or an enrollment token into the log', async () => {
    const { token } = await workspaceWithToken();
    await enrolled(token, { machineId: newMachineId(), hostname: 'quiet' });
    const logFile = emulatorLogFile();
    expect(logFile, 'run under scripts/emulators.mjs exec --log FILE, so the functions log can be read').toBeDefined();
    // The functions' output reaches the file asynchronously.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const log = readFileSync(logFile!, 'utf8');
    expect(log).toContain('Beginning execution of "us-central1-enrollAgent"');
    expect(issuedKeys.length).toBeGreaterThan(5);
    for (const key of issuedKeys) {
      expect(log).not.toContain(parseApiKey(key)!.secret);
    }
    expect(log).not.toContain(parseEnrollmentToken(token)!.secret);
  });
});
