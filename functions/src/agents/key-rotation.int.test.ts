// Key rotation without re-enrolment, end to end through the emulators (docs/architecture.md, "Agent
// keys"): requestKeyRotation → every reply to the current key says rotateKey → fetchAgentKey with
// that key → both keys work → the first report with the new one promotes it and revokes the old one
// → the old one is refused. And the 24 h rule, a repeated fetch, and a dashboard rotation meanwhile.
import { KEY_ROTATION, parseApiKey, paths, type FetchAgentKeyResult, type IngestReply, type RotateAgentKeyResult } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, describe, expect, it } from 'vitest';
import { enrollAgent, freshReport, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminDb, callRaw } from '../../../tests/support/emulators.js';

const enrolled: EnrolledAgent[] = [];
afterAll(() => Promise.all(enrolled.map((agent) => agent.owner.close())));

async function agent(name: string) {
  const created = await enrollAgent(name);
  enrolled.push(created);
  return created;
}

/** A report sent with `key`: the reply when accepted, else the error's status. */
async function report(key: string, body = freshReport()): Promise<IngestReply | string> {
  const response = await sendReport(key, body);
  return (response.json?.result as IngestReply | undefined) ?? response.json?.error?.status ?? response.text;
}

async function fetchKey(key: string | undefined) {
  return callRaw('fetchAgentKey', { data: {} }, key === undefined ? {} : { 'x-vigil-key': key });
}

async function fetched(key: string): Promise<FetchAgentKeyResult> {
  const response = await fetchKey(key);
  expect(response.status, response.text).toBe(200);
  return response.json!.result as FetchAgentKeyResult;
}

const agentDoc = (target: EnrolledAgent) => adminDb().doc(paths.agent(target.workspaceId, target.agentId)).get();
const keyDoc = (key: string) =>
  adminDb()
    .doc(paths.agentKey(parseApiKey(key)!.keyId))
    .get();
const requestRotation = (target: EnrolledAgent) =>
  target.owner.call('requestKeyRotation', { workspaceId: target.workspaceId, agentId: target.agentId });

describe('key rotation through the ingest reply', () => {
  it('asks, fetches, accepts both keys, then the new key promotes itself and the old one is refused', async () => {
    const web = await agent('rotate-web');
    expect(await report(web.key)).not.toHaveProperty('rotateKey');

    expect(await requestRotation(web)).toEqual({ agentId: web.agentId, requested: true });
    expect((await agentDoc(web)).get('keyRotation')).toMatchObject({
      reason: 'dashboard',
      fetchedAt: null,
      requestedBy: { uid: web.owner.user.uid },
    });
    expect(await report(web.key)).toMatchObject({ accepted: true, rotateKey: true });

    const next = await fetched(web.key);
    expect(next.key).not.toBe(web.key);
    expect(next.keyPrefix).toBe(`vgl_${parseApiKey(next.key)!.keyId}_…`);
    // A second fetch moments later issues nothing (a looping caller cannot pile up keys).
    const again = await fetchKey(web.key);
    expect(again.json?.error).toMatchObject({ status: 'RESOURCE_EXHAUSTED', details: { retryAfterSeconds: expect.any(Number) } });
    // The new key cannot fetch: only the current key re-keys an agent.
    expect((await fetchKey(next.key)).json?.error?.status).toBe('FAILED_PRECONDITION');

    // Until the new key is used, the old one still works (and is still asked to rotate).
    const before = await agentDoc(web);
    expect(before.get('pendingKeyId')).toBe(parseApiKey(next.key)!.keyId);
    expect(before.get('keyId')).toBe(parseApiKey(web.key)!.keyId);
    const oldReport = freshReport();
    expect(await report(web.key, oldReport)).toMatchObject({ accepted: true, duplicate: false, rotateKey: true });
    // The same report retried with the new key is the same report: acknowledged, counted once, and
    // a duplicate promotes nothing.
    expect(await report(next.key, oldReport)).toMatchObject({ accepted: true, duplicate: true });
    expect((await agentDoc(web)).get('keyId')).toBe(parseApiKey(web.key)!.keyId);

    const first = await report(next.key);
    expect(first).toMatchObject({ accepted: true, duplicate: false });
    expect(first).not.toHaveProperty('rotateKey');
    const after = await agentDoc(web);
    expect(after.get('keyId')).toBe(parseApiKey(next.key)!.keyId);
    expect(after.get('keyPrefix')).toBe(next.keyPrefix);
    expect(after.get('pendingKeyId')).toBeNull();
    expect(after.get('keyRotation')).toBeNull();
    expect(after.get('receiptSequence')).toBe(before.get('receiptSequence') + 2);
    expect((await keyDoc(web.key)).get('revokedAt')).toBeInstanceOf(Timestamp);
    expect((await keyDoc(next.key)).get('revokedAt')).toBeNull();

    expect(await report(web.key)).toBe('UNAUTHENTICATED');
    expect(await report(next.key)).toMatchObject({ accepted: true });
    expect((await fetchKey(next.key)).json?.error?.status).toBe('FAILED_PRECONDITION');
    expect((await fetchKey(web.key)).json?.error?.status).toBe('UNAUTHENTICATED');

    // Audited: the person's request, then the system's issue, with the reason.
    const audit = await adminDb().collection(paths.audit(web.workspaceId)).where('action', '==', 'agent.key_rotated').get();
    const entries = audit.docs.map((entry) => ({ actor: entry.get('actor.type'), after: entry.get('after') }));
    expect(entries).toEqual(
      expect.arrayContaining([
        { actor: 'user', after: { rotation: 'requested', reason: 'dashboard' } },
        { actor: 'system', after: { rotation: 'issued', reason: 'dashboard', pendingKeyPrefix: next.keyPrefix } },
      ]),
    );
  });

  it('refuses a pending key unused 24 h after its fetch, keeps the old one, and a fresh fetch replaces it', async () => {
    const db = await agent('rotate-late');
    await requestRotation(db);
    const lost = await fetched(db.key);
    const ref = adminDb().doc(paths.agent(db.workspaceId, db.agentId));
    await ref.update({ 'keyRotation.fetchedAt': Timestamp.fromMillis(Date.now() - KEY_ROTATION.pendingKeySeconds * 1000 - 1000) });

    expect(await report(lost.key)).toBe('UNAUTHENTICATED');
    expect(await report(db.key)).toMatchObject({ accepted: true, rotateKey: true });
    const fresh = await fetched(db.key);
    expect((await keyDoc(lost.key)).get('revokedAt')).toBeInstanceOf(Timestamp);
    expect(await report(fresh.key)).toMatchObject({ accepted: true });
    expect((await agentDoc(db)).get('keyId')).toBe(parseApiKey(fresh.key)!.keyId);
    expect(await report(db.key)).toBe('UNAUTHENTICATED');
  });

  it('a fetch repeated before the new key was used (the agent lost it) issues a fresh key and revokes the first', async () => {
    const crashy = await agent('rotate-crash');
    await requestRotation(crashy);
    const lost = await fetched(crashy.key);
    // Past the minimum interval, as the agent's next report would be.
    const ref = adminDb().doc(paths.agent(crashy.workspaceId, crashy.agentId));
    await ref.update({ 'keyRotation.fetchedAt': Timestamp.fromMillis(Date.now() - KEY_ROTATION.minFetchSeconds * 1000) });
    const kept = await fetched(crashy.key);
    expect(await report(lost.key)).toBe('UNAUTHENTICATED');
    expect(await report(kept.key)).toMatchObject({ accepted: true });
    expect((await agentDoc(crashy)).get('keyId')).toBe(parseApiKey(kept.key)!.keyId);
  });

  it('a dashboard rotation (rotateAgentKey) during a pending one ends it: only the key its command enrolls works', async () => {
    const host = await agent('rotate-override');
    await requestRotation(host);
    const pending = await fetched(host.key);
    const rotated = await host.owner.call<RotateAgentKeyResult>('rotateAgentKey', { workspaceId: host.workspaceId, agentId: host.agentId });
    expect(await report(pending.key)).toBe('UNAUTHENTICATED');
    expect(await report(host.key)).toBe('UNAUTHENTICATED');
    expect((await agentDoc(host)).data()).toMatchObject({ keyId: null, pendingKeyId: null, keyRotation: null });
    // Keyless until its host re-enrolls: nothing to ask, and the request writes nothing.
    await expect(requestRotation(host)).rejects.toMatchObject({
      code: 'functions/failed-precondition',
      message: expect.stringMatching(/no key yet/),
    });
    expect((await agentDoc(host)).get('keyRotation')).toBeNull();
    const rekeyed = await enrollAgent('rotate-override', { owner: host.owner, workspaceId: host.workspaceId, created: rotated });
    const reply = await report(rekeyed.key);
    expect(reply).toMatchObject({ accepted: true });
    expect(reply).not.toHaveProperty('rotateKey');
    expect((await agentDoc(host)).get('keyRotation')).toBeNull();
  });

  it('refuses a fetch without a key, with no rotation pending, and a request for a revoked agent; writes nothing', async () => {
    const quiet = await agent('rotate-refusals');
    expect((await fetchKey(undefined)).json?.error?.status).toBe('UNAUTHENTICATED');
    expect((await fetchKey(`vgl_${parseApiKey(quiet.key)!.keyId}_${'A'.repeat(43)}`)).json?.error?.status).toBe('UNAUTHENTICATED');
    expect((await fetchKey(quiet.key)).json?.error?.status).toBe('FAILED_PRECONDITION');
    const keys = await adminDb().collection(paths.agentKeys()).where('agentId', '==', quiet.agentId).get();
    expect(keys.size).toBe(1);

    await quiet.owner.call('revokeAgent', { workspaceId: quiet.workspaceId, agentId: quiet.agentId });
    await expect(requestRotation(quiet)).rejects.toMatchObject({ code: 'functions/failed-precondition' });
    // None pending: null since its enrollment's key (writeRotation), never set by the refused request.
    expect((await agentDoc(quiet)).get('keyRotation')).toBeNull();
  });
});
