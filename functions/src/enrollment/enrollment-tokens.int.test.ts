// createEnrollmentToken, revokeEnrollmentToken and setAgentLabels under the emulators: who may call
// them, what they store (never the token's secret in anything a client reads), and their audit entries.
import { paths, parseEnrollmentToken, type SetAgentLabelsResult } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../agents/api-keys.js';
import { enrollAgent } from '../../../tests/support/agents.js';
import { createToken, enrollHost, newMachineId } from '../../../tests/support/enrollment.js';
import { adminDb, callRaw } from '../../../tests/support/emulators.js';
import { auditEntries, failure, newTeam, type Team } from '../../../tests/support/teams.js';

const teams: Team[] = [];
afterAll(() => Promise.all(teams.flatMap((team) => team.clients).map((client) => client.close())));

async function team() {
  const created = await newTeam();
  teams.push(created);
  return created;
}

const DAY = 86_400_000;

describe('createEnrollmentToken', () => {
  it('returns the token once with its install command, and stores only the hash of its secret where no client reads', async () => {
    const { owner, workspaceId } = await team();
    const before = Date.now();
    const created = await createToken(owner, { workspaceId, name: 'web fleet', maxUses: 50, labels: { env: 'prod' } });
    const parts = parseEnrollmentToken(created.token);
    expect(parts?.tokenId).toBe(created.tokenId);
    expect(Date.parse(created.expiresAt) - before).toBeGreaterThanOrEqual(7 * DAY - 60_000);
    expect(Date.parse(created.expiresAt) - before).toBeLessThanOrEqual(7 * DAY + 60_000);
    // The one line for every host: install.sh with --token, never a key.
    expect(created.installCommand).toContain(
      `sudo sh "$f" --token ${created.token} --endpoint http://127.0.0.1:5001/demo-vigil/us-central1/ingestReport `,
    );
    expect(created.installCommand).not.toContain('--key');

    const metadata = await adminDb().doc(paths.enrollmentToken(workspaceId, created.tokenId)).get();
    expect(metadata.data()).toMatchObject({
      name: 'web fleet',
      createdBy: { uid: owner.user.uid, email: owner.user.email },
      maxUses: 50,
      uses: 0,
      labels: { env: 'prod' },
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(metadata.get('createdAt')).toBeInstanceOf(Timestamp);
    expect((metadata.get('expiresAt') as Timestamp).toDate().toISOString()).toBe(created.expiresAt);
    expect(JSON.stringify(metadata.data())).not.toContain(parts!.secret);
    expect(JSON.stringify(metadata.data())).not.toContain(hashSecret(parts!.secret));

    const secret = await adminDb().doc(paths.enrollmentSecret(created.tokenId)).get();
    expect(secret.data()).toMatchObject({ workspaceId, hash: hashSecret(parts!.secret) });
    expect(JSON.stringify(secret.data())).not.toContain(parts!.secret);

    const [entry] = (await auditEntries(workspaceId)).filter((e) => e.action === 'enrollment_token.created');
    expect(entry).toMatchObject({
      actor: { type: 'user', uid: owner.user.uid },
      target: { type: 'enrollment_token', id: created.tokenId, name: 'web fleet' },
      after: { name: 'web fleet', expiresAt: created.expiresAt, maxUses: 50, labels: { env: 'prod' } },
    });
    expect(JSON.stringify(entry)).not.toContain(parts!.secret);
  });

  it('takes an expiry date, and refuses one in the past or beyond 365 days', async () => {
    const { owner, workspaceId } = await team();
    const at = new Date(Date.now() + 30 * DAY).toISOString();
    expect((await createToken(owner, { workspaceId, name: 'dated', expiresAt: at })).expiresAt).toBe(at);
    const past = await failure(createToken(owner, { workspaceId, name: 'x', expiresAt: new Date(Date.now() - DAY).toISOString() }));
    expect(past).toEqual({ code: 'functions/invalid-argument', message: 'Invalid request. expiresAt: expiresAt must be in the future' });
    const far = await failure(createToken(owner, { workspaceId, name: 'x', expiresAt: new Date(Date.now() + 400 * DAY).toISOString() }));
    expect(far.message).toBe('Invalid request. expiresAt: expiresAt must be at most 365 days from now');
    const bad = await failure(createToken(owner, { workspaceId, name: 'x', labels: { env: 'a\nb' } }));
    expect(bad.message).toMatch(/^Invalid request\. labels: the value of label "env" must be printable/);
  });

  it('lets owners and admins make tokens, not viewers, strangers or the signed-out', async () => {
    const { workspaceId, add } = await team();
    const admin = await add('admin');
    const viewer = await add('viewer');
    const stranger = (await team()).owner;
    expect((await createToken(admin, { workspaceId, name: 'by admin' })).tokenId).toMatch(/^[a-z2-7]{16}$/);
    expect((await failure(createToken(viewer, { workspaceId, name: 'x' }))).code).toBe('functions/permission-denied');
    expect((await failure(createToken(stranger, { workspaceId, name: 'x' }))).code).toBe('functions/permission-denied');
    const anonymous = await callRaw('createEnrollmentToken', { data: { workspaceId, name: 'x' } });
    expect(anonymous.json?.error?.status).toBe('UNAUTHENTICATED');
    const tokens = await adminDb().collection(paths.enrollmentTokens(workspaceId)).get();
    expect(tokens.docs.map((doc) => doc.get('name'))).toEqual(['by admin']);
  });
});

describe('revokeEnrollmentToken', () => {
  it('stops the token, keeps the agents it enrolled, and audits once however often it is called', async () => {
    const { owner, workspaceId, add } = await team();
    const viewer = await add('viewer');
    const created = await createToken(owner, { workspaceId, name: 'to revoke' });
    const host = await enrollHost(created.token, { machineId: newMachineId(), hostname: 'kept' });
    expect(host.status, host.text).toBe(200);

    expect((await failure(viewer.call('revokeEnrollmentToken', { workspaceId, tokenId: created.tokenId }))).code).toBe('functions/permission-denied');
    expect(await owner.call('revokeEnrollmentToken', { workspaceId, tokenId: created.tokenId })).toEqual({ tokenId: created.tokenId, revoked: true });
    expect(await owner.call('revokeEnrollmentToken', { workspaceId, tokenId: created.tokenId })).toEqual({ tokenId: created.tokenId, revoked: true });
    const metadata = await adminDb().doc(paths.enrollmentToken(workspaceId, created.tokenId)).get();
    expect(metadata.get('revokedAt')).toBeInstanceOf(Timestamp);
    expect(metadata.get('revokedBy')).toEqual({ uid: owner.user.uid, email: owner.user.email });
    expect((await adminDb().collection(paths.agents(workspaceId)).get()).size).toBe(1);

    const revocations = (await auditEntries(workspaceId)).filter((e) => e.action === 'enrollment_token.revoked');
    expect(revocations).toHaveLength(1);
    expect(revocations[0]).toMatchObject({
      actor: { type: 'user', uid: owner.user.uid },
      target: { type: 'enrollment_token', id: created.tokenId, name: 'to revoke' },
      before: { uses: 1 },
    });
    expect((await failure(owner.call('revokeEnrollmentToken', { workspaceId, tokenId: 'abcdefghijklmnop' }))).code).toBe('functions/not-found');
  });
});

describe('setAgentLabels', () => {
  it('replaces the labels, audited with before and after; the same labels again record nothing', async () => {
    const { owner, workspaceId, add } = await team();
    const admin = await add('admin');
    const viewer = await add('viewer');
    const agent = await enrollAgent('labelled', { owner, workspaceId });
    const ref = { workspaceId, agentId: agent.agentId };

    expect(await admin.call<SetAgentLabelsResult>('setAgentLabels', { ...ref, labels: { env: 'prod', role: 'db' } })).toEqual({
      agentId: agent.agentId,
      labels: { env: 'prod', role: 'db' },
    });
    expect((await adminDb().doc(paths.agent(workspaceId, agent.agentId)).get()).get('labels')).toEqual({ env: 'prod', role: 'db' });
    await admin.call('setAgentLabels', { ...ref, labels: { role: 'db', env: 'prod' } });
    // Keys left out are removed.
    await owner.call('setAgentLabels', { ...ref, labels: { env: 'staging' } });
    expect((await adminDb().doc(paths.agent(workspaceId, agent.agentId)).get()).get('labels')).toEqual({ env: 'staging' });

    const changes = (await auditEntries(workspaceId)).filter((e) => e.action === 'agent.labels_changed');
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatchObject({
      actor: { type: 'user', uid: admin.user.uid },
      target: { type: 'agent', id: agent.agentId, name: 'labelled' },
      before: { labels: {} },
      after: { labels: { env: 'prod', role: 'db' } },
    });
    expect(changes[1]).toMatchObject({ before: { labels: { env: 'prod', role: 'db' } }, after: { labels: { env: 'staging' } } });

    expect((await failure(viewer.call('setAgentLabels', { ...ref, labels: {} }))).code).toBe('functions/permission-denied');
    const bad = await failure(owner.call('setAgentLabels', { ...ref, labels: { '-x': 'y' } }));
    expect(bad).toMatchObject({ code: 'functions/invalid-argument', message: expect.stringMatching(/^Invalid request\. labels: label key "-x"/) });
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']));
    expect((await failure(owner.call('setAgentLabels', { ...ref, labels: many }))).message).toBe(
      'Invalid request. labels: at most 20 labels, not 21',
    );
    expect((await failure(owner.call('setAgentLabels', { workspaceId, agentId: 'nope', labels: {} }))).code).toBe('functions/not-found');
    expect((await adminDb().doc(paths.agent(workspaceId, agent.agentId)).get()).get('labels')).toEqual({ env: 'staging' });
  });
});

describe('ids in the enrollment callables', () => {
  const BAD_IDS = ['a/b', '../x', '..', '__x__', ''];

  async function expectInvalid(call: Promise<unknown>, field: string) {
    const refused = await failure(call);
    expect(refused.code).toBe('functions/invalid-argument');
    expect(refused.message).toMatch(new RegExp(`^Invalid request\\. ${field}: must be a document id: `));
  }

  it.each(BAD_IDS)('refuse workspaceId, tokenId or agentId %j, naming the field, and change nothing', async (bad) => {
    const { owner, workspaceId } = await team();
    const agent = await enrollAgent('ids-labels', { owner, workspaceId });
    const created = await createToken(owner, { workspaceId, name: 'ids' });
    await expectInvalid(createToken(owner, { workspaceId: bad, name: 'x' }), 'workspaceId');
    await expectInvalid(owner.call('revokeEnrollmentToken', { workspaceId: bad, tokenId: created.tokenId }), 'workspaceId');
    await expectInvalid(owner.call('revokeEnrollmentToken', { workspaceId, tokenId: bad }), 'tokenId');
    await expectInvalid(owner.call('setAgentLabels', { workspaceId: bad, agentId: agent.agentId, labels: { env: 'x' } }), 'workspaceId');
    await expectInvalid(owner.call('setAgentLabels', { workspaceId, agentId: bad, labels: { env: 'x' } }), 'agentId');
    const tokens = await adminDb().collection(paths.enrollmentTokens(workspaceId)).get();
    // The fleet token, and the used token bound to the agent (createAgent's install command).
    const fleet = tokens.docs.filter((doc) => doc.get('agentId') === undefined);
    expect(fleet.map((doc) => [doc.id, doc.get('revokedAt')])).toEqual([[created.tokenId, null]]);
    expect((await adminDb().doc(paths.agent(workspaceId, agent.agentId)).get()).get('labels')).toEqual({});
  });
});
