import { paths, parseApiKey, parseEnrollmentToken, type CreateAgentResult, type RotateAgentKeyResult } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { hashSecret } from './api-keys.js';
import { enrollAgent, freshReport, ownerWithWorkspace, sendReport } from '../../../tests/support/agents.js';
import { adminDb, callRaw, newSignedInClient, type SignedInClient } from '../../../tests/support/emulators.js';

const clients: SignedInClient[] = [];
afterAll(() => Promise.all(clients.map((client) => client.close())));

async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error('expected the call to fail');
}

describe('agent enrollment callables', () => {
  it('createAgent returns no key: its install command carries a token bound to the agent, whose enrollment issues the key', async () => {
    const { owner, workspaceId } = await ownerWithWorkspace();
    clients.push(owner);
    const created = await owner.call<CreateAgentResult>('createAgent', { workspaceId, name: 'db-1' });
    expect(created).not.toHaveProperty('key');
    expect(created.installCommand).not.toMatch(/vgl_|--key/);
    expect(created.installCommand).toContain(` --token ${created.token} `);
    expect(parseEnrollmentToken(created.token)?.tokenId).toBe(created.tokenId);
    // DASHBOARD_URL comes from functions/.env.local in the emulators: the dev dashboard of `npm start`.
    expect(created.installCommand).toMatch(
      /^f=\$\(mktemp\) && curl -fsSL --proto '=http,https' --proto-redir '=https' -o "\$f" http:\/\/localhost:3000\/install\.sh && /,
    );
    expect(created.installCommand).toContain(' --from http://localhost:3000 ');
    // The SHA-256s the command carries are those of the files Hosting serves (copied from agent/).
    const sha256 = (file: string) =>
      createHash('sha256')
        .update(readFileSync(new URL(file, import.meta.url)))
        .digest('hex');
    expect(created.installCommand).toContain(`echo "${sha256('../../../agent/dist/install.sh')}  $f" | sha256sum -c --quiet -`);
    expect(created.installCommand).toContain(`--sha256 ${sha256('../../../agent/dist/vigil-agent.mjs')};`);
    expect(created.installCommand).toContain('--endpoint http://127.0.0.1:5001/demo-vigil/us-central1/ingestReport');

    const db = adminDb();
    // Never seen and without a key until its host enrolls.
    const before = await db.doc(paths.agent(workspaceId, created.agentId)).get();
    expect(before.data()).toMatchObject({
      name: 'db-1',
      status: 'never-seen',
      keyId: null,
      keyPrefix: null,
      intervalSeconds: 300,
      retentionDays: 30,
    });
    // Never seen: no silence deadline; a new agent is a change the fleet summary counts.
    expect(before.get('offlineAt')).toBeNull();
    expect(before.get('changedAt')).toBeInstanceOf(Timestamp);
    expect((await db.collection(paths.agentKeys()).where('agentId', '==', created.agentId).get()).size).toBe(0);
    const token = await db.doc(paths.enrollmentToken(workspaceId, created.tokenId)).get();
    expect(token.data()).toMatchObject({ agentId: created.agentId, maxUses: 1, uses: 0, name: 'for agent db-1', revokedAt: null });
    const expiresInHours = ((token.get('expiresAt') as Timestamp).toMillis() - Date.now()) / 3_600_000;
    expect(expiresInHours).toBeGreaterThan(23.9);
    expect(expiresInHours).toBeLessThanOrEqual(24);
    expect(new Date(created.expiresAt).getTime()).toBe((token.get('expiresAt') as Timestamp).toMillis());

    // The host's enrollment: the key of exactly this agent, stored as the hash of its secret only.
    const agent = await enrollAgent('db-1', { owner, workspaceId, created });
    const parsed = parseApiKey(agent.key);
    expect(parsed).toBeDefined();
    const keyDoc = await db.doc(paths.agentKey(parsed!.keyId)).get();
    expect(keyDoc.data()).toMatchObject({ workspaceId, agentId: created.agentId, revokedAt: null });
    expect(keyDoc.get('hash')).toBe(hashSecret(parsed!.secret));
    expect(JSON.stringify(keyDoc.data())).not.toContain(parsed!.secret);
    const after = await db.doc(paths.agent(workspaceId, created.agentId)).get();
    expect(after.data()).toMatchObject({ name: 'db-1', status: 'never-seen', keyId: parsed!.keyId, machineIdHash: agent.machineId });
    expect(JSON.stringify(after.data())).not.toContain(parsed!.secret);
    expect((await db.collection(paths.agents(workspaceId)).get()).size).toBe(1);
  });

  it('refuses viewers, members of other workspaces and signed-out callers', async () => {
    const { owner, workspaceId } = await ownerWithWorkspace();
    const stranger = await newSignedInClient('stranger');
    const viewer = await newSignedInClient('viewer');
    clients.push(owner, stranger, viewer);
    await adminDb().doc(paths.member(workspaceId, viewer.user.uid)).set({ role: 'viewer', email: null, notifications: {} });

    expect(await errorOf(viewer.call('createAgent', { workspaceId, name: 'x' }))).toBe('functions/permission-denied');
    expect(await errorOf(stranger.call('createAgent', { workspaceId, name: 'x' }))).toBe('functions/permission-denied');
    const anonymous = await callRaw('createAgent', { data: { workspaceId, name: 'x' } });
    expect(anonymous.json?.error?.status).toBe('UNAUTHENTICATED');
    const agents = await adminDb().collection(paths.agents(workspaceId)).get();
    expect(agents.size).toBe(0);
  });

  it('names the bad field of an invalid request', async () => {
    const { owner, workspaceId } = await ownerWithWorkspace();
    clients.push(owner);
    const response = await callRaw('createAgent', { data: { workspaceId, name: '' } }, { authorization: `Bearer ${await owner.user.getIdToken()}` });
    expect(response.json?.error?.status).toBe('INVALID_ARGUMENT');
    expect(response.json?.error?.message).toMatch(/^Invalid request\. name: /);
    expect(response.json?.error?.details).toMatchObject({ issues: [{ path: 'name' }] });
  });

  it('rotateAgentKey makes the old key stop working; the key its command enrolls works', async () => {
    const agent = await enrollAgent('rotating');
    clients.push(agent.owner);
    expect((await sendReport(agent.key, freshReport())).status).toBe(200);
    const agentRef = adminDb().doc(paths.agent(agent.workspaceId, agent.agentId));
    const before = await agentRef.get();

    const rotated = await agent.owner.call<RotateAgentKeyResult>('rotateAgentKey', {
      workspaceId: agent.workspaceId,
      agentId: agent.agentId,
    });
    // A plain rotation changes nothing the fleet summary counts, nor the silence deadline the report set.
    const after = await agentRef.get();
    expect(after.get('changedAt')).toEqual(before.get('changedAt'));
    expect(after.get('offlineAt')).toEqual(before.get('offlineAt'));
    expect((await sendReport(agent.key, freshReport())).json?.error?.status).toBe('UNAUTHENTICATED');
    // The host runs the rotation's command (functions/src/agents/rotate-agent-key.int.test.ts has the rest).
    const rekeyed = await enrollAgent('rotating', { owner: agent.owner, workspaceId: agent.workspaceId, created: rotated });
    expect(rekeyed.key).not.toBe(agent.key);
    expect((await sendReport(rekeyed.key, freshReport())).status).toBe(200);
  });

  it('revokeAgent stops the key on the next report and keeps the history', async () => {
    const agent = await enrollAgent('revoked');
    clients.push(agent.owner);
    expect((await sendReport(agent.key, freshReport())).status).toBe(200);
    const agentRef = adminDb().doc(paths.agent(agent.workspaceId, agent.agentId));
    const changedBefore = (await agentRef.get()).get('changedAt') as Timestamp;
    await agent.owner.call('revokeAgent', { workspaceId: agent.workspaceId, agentId: agent.agentId });
    // No silence deadline (a revoked agent is never called offline), and the fleet summary's cue.
    const revoked = await agentRef.get();
    expect(revoked.get('revokedAt')).toBeInstanceOf(Timestamp);
    expect(revoked.get('offlineAt')).toBeNull();
    expect((revoked.get('changedAt') as Timestamp).toMillis()).toBeGreaterThan(changedBefore.toMillis());
    const refused = await sendReport(agent.key, freshReport());
    expect(refused.status).toBe(401);
    expect(refused.json?.error?.status).toBe('UNAUTHENTICATED');
    const reports = await adminDb().collection(paths.reports(agent.workspaceId, agent.agentId)).get();
    expect(reports.size).toBe(1);
  });

  it('deleteAgent removes the agent, its key, its reports and its events', async () => {
    const agent = await enrollAgent('doomed');
    clients.push(agent.owner);
    expect((await sendReport(agent.key, freshReport())).status).toBe(200);
    const db = adminDb();
    await db.collection(paths.events(agent.workspaceId)).add({ agentId: agent.agentId, kind: 'test_failed' });
    await db.collection(paths.events(agent.workspaceId)).add({ agentId: 'someone-else', kind: 'test_failed' });

    await agent.owner.call('deleteAgent', { workspaceId: agent.workspaceId, agentId: agent.agentId });
    expect((await db.doc(paths.agent(agent.workspaceId, agent.agentId)).get()).exists).toBe(false);
    expect((await db.collection(paths.reports(agent.workspaceId, agent.agentId)).get()).size).toBe(0);
    expect((await db.doc(paths.agentKey(parseApiKey(agent.key)!.keyId)).get()).exists).toBe(false);
    const events = await db.collection(paths.events(agent.workspaceId)).get();
    expect(events.docs.map((doc) => doc.get('agentId'))).toEqual(['someone-else']);
    expect((await sendReport(agent.key, freshReport())).json?.error?.status).toBe('UNAUTHENTICATED');
    // No agent document is left to carry a changedAt: the workspace tells the fleet summary.
    expect((await db.doc(paths.workspace(agent.workspaceId)).get()).get('fleetChangedAt')).toBeInstanceOf(Timestamp);
  });

  it('answers not-found for an agent that does not exist', async () => {
    const { owner, workspaceId } = await ownerWithWorkspace();
    clients.push(owner);
    expect(await errorOf(owner.call('revokeAgent', { workspaceId, agentId: 'nope' }))).toBe('functions/not-found');
  });
});
