// Self-update's offer and automatic key rotation through ingest, end to end against the emulators
// (docs/architecture.md, "Ingest" and "Agent keys"): the reply offers the bundle the dashboard
// serves (the version and SHA-256 functions/build.mjs baked) only to an agent on another version;
// report.update lands on the agent document; a workspace's settings.keyRotationDays makes ingest ask
// an agent whose key is that old to rotate it, with no report refused on the way, and leaves an
// agent with a fresh key alone.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseApiKey, paths, type AgentUpdateStatus, type FetchAgentKeyResult, type IngestReply } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, describe, expect, it } from 'vitest';
import { enrollAgent, freshReport, ownerWithWorkspace, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminDb, callRaw } from '../../../tests/support/emulators.js';
import { triggerPoll } from '../../../tests/support/report-path.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const SERVED_VERSION = (JSON.parse(readFileSync(new URL('../../../agent/package.json', import.meta.url), 'utf8')) as { version: string }).version;
const SERVED_SHA256 = createHash('sha256')
  .update(readFileSync(new URL('../../../agent/dist/vigil-agent.mjs', import.meta.url)))
  .digest('hex');
/** functions/.env.local, what the emulated functions read as DASHBOARD_URL. */
const DASHBOARD_URL = /^DASHBOARD_URL=(.*)$/m.exec(readFileSync(new URL('../../.env.local', import.meta.url), 'utf8'))![1]!.trim();

const enrolled: EnrolledAgent[] = [];
afterAll(() => Promise.all(enrolled.map((agent) => agent.owner.close())));

async function agent(name: string, existing?: { owner: EnrolledAgent['owner']; workspaceId: string }) {
  const created = await enrollAgent(name, existing);
  enrolled.push(created);
  return created;
}

/** A report sent with `key`: the reply, which must be accepted (no report is refused here). */
async function accepted(key: string, body = freshReport()): Promise<IngestReply> {
  const response = await sendReport(key, body);
  expect(response.status, response.text).toBe(200);
  const reply = response.json!.result as IngestReply;
  expect(reply.accepted).toBe(true);
  return reply;
}

const agentDoc = (target: EnrolledAgent) => adminDb().doc(paths.agent(target.workspaceId, target.agentId)).get();
const keyRef = (key: string) => adminDb().doc(paths.agentKey(parseApiKey(key)!.keyId));

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  // As long as any trigger wait (triggerPoll): the emulator's queue may hold earlier files' triggers.
  const deadline = Date.now() + triggerPoll.timeout;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the update offer', () => {
  it('offers the served version, its SHA-256 and the dashboard URL only to an agent on another version', async () => {
    const web = await agent('offer-web');
    const older = await accepted(web.key, freshReport({ agentVersion: '0.0.1-old' }));
    expect(older.update).toEqual({ version: SERVED_VERSION, sha256: SERVED_SHA256, url: `${DASHBOARD_URL.replace(/\/+$/, '')}/vigil-agent.mjs` });
    expect((await agentDoc(web)).get('agentVersion')).toBe('0.0.1-old');

    const current = await accepted(web.key, freshReport({ agentVersion: SERVED_VERSION }));
    expect(current).not.toHaveProperty('update');
  });

  it("stores the report's update status on the agent, null from a report without one; a backfill report moves nothing", async () => {
    const web = await agent('offer-status');
    const status: AgentUpdateStatus = {
      auto: true,
      channel: 'stable',
      last: { outcome: 'failed', from: '0.0.1-old', to: SERVED_VERSION, at: new Date().toISOString(), reason: 'SHA-256 mismatch <b>x</b>' },
    };
    await accepted(web.key, freshReport({ update: status }));
    expect((await agentDoc(web)).get('update')).toEqual(status);

    await accepted(
      web.key,
      freshReport({ backfill: true, update: { auto: false, channel: '9.9.9' }, collectedAt: new Date(Date.now() - 3_600_000).toISOString() }),
    );
    expect((await agentDoc(web)).get('update')).toEqual(status);

    await accepted(web.key, freshReport());
    expect((await agentDoc(web)).get('update')).toBeNull();
  });
});

describe('automatic key rotation (settings.keyRotationDays)', () => {
  it('asks an agent whose key is older than the setting to rotate, audits it once, and refuses no report; a fresh key is not asked', async () => {
    const { owner, workspaceId } = await ownerWithWorkspace('auto-rotate');
    const old = await agent('auto-rotate-old', { owner, workspaceId });
    const fresh = await agent('auto-rotate-fresh', { owner, workspaceId });
    // The key's issue time is its key document's createdAt; set back before any report, so no
    // instance has cached the key yet.
    await keyRef(old.key).update({ createdAt: Timestamp.fromMillis(Date.now() - 31 * DAY_MS) });
    expect(await accepted(old.key)).not.toHaveProperty('rotateKey');

    await adminDb().doc(paths.workspace(workspaceId)).update({ 'settings.keyRotationDays': 30 });
    for (const target of [old, fresh]) {
      await until(
        () => agentDoc(target),
        (doc) => doc.get('keyRotationDays') === 30,
        'onWorkspaceWritten to copy keyRotationDays',
      );
    }

    const asked = await accepted(old.key);
    expect(asked.rotateKey).toBe(true);
    // The pending rotation rides in the ticket now (its Timestamps one level down).
    expect(asked.ticket).toMatch(/^v2\./);
    const requested = await agentDoc(old);
    expect(requested.get('keyRotation')).toMatchObject({ reason: 'automatic', fetchedAt: null });
    expect((requested.get('keyRotation') as { requestedAt: Timestamp }).requestedAt.toMillis()).toBeGreaterThan(Date.now() - 60_000);

    // Asked again by the next reply, without another request or audit entry.
    const again = await accepted(old.key);
    expect(again.rotateKey).toBe(true);
    const entries = await adminDb()
      .collection(paths.audit(workspaceId))
      .where('target.id', '==', old.agentId)
      .where('action', '==', 'agent.key_rotated')
      .get();
    expect(entries.docs.map((entry) => entry.data())).toMatchObject([
      { actor: { type: 'system' }, after: { rotation: 'requested', reason: 'automatic', keyRotationDays: 30 } },
    ]);

    // The rest is the existing path: fetch with the current key, report with the new one.
    const fetched = await callRaw('fetchAgentKey', { data: {} }, { 'x-vigil-key': old.key });
    expect(fetched.status, fetched.text).toBe(200);
    const next = (fetched.json!.result as FetchAgentKeyResult).key;
    expect(await accepted(old.key)).toMatchObject({ rotateKey: true });
    const promoted = await accepted(next);
    expect(promoted).not.toHaveProperty('rotateKey');
    const after = await agentDoc(old);
    expect(after.get('keyId')).toBe(parseApiKey(next)!.keyId);
    expect(after.get('keyRotation')).toBeNull();
    // The new key is fresh: not asked again.
    expect(await accepted(next)).not.toHaveProperty('rotateKey');

    // The agent with a fresh key in the same workspace is never asked.
    expect(await accepted(fresh.key)).not.toHaveProperty('rotateKey');
    expect((await agentDoc(fresh)).get('keyRotation') ?? null).toBeNull();
  });

  it('turning the setting off stops asking agents whose rotation is not requested yet', async () => {
    const { owner, workspaceId } = await ownerWithWorkspace('auto-rotate-off');
    await adminDb().doc(paths.workspace(workspaceId)).update({ 'settings.keyRotationDays': 7 });
    const web = await agent('auto-rotate-off', { owner, workspaceId });
    expect((await agentDoc(web)).get('keyRotationDays')).toBe(7);
    await keyRef(web.key).update({ createdAt: Timestamp.fromMillis(Date.now() - 8 * DAY_MS) });
    await adminDb().doc(paths.workspace(workspaceId)).update({ 'settings.keyRotationDays': null });
    await until(
      () => agentDoc(web),
      (doc) => doc.get('keyRotationDays') === null,
      'onWorkspaceWritten to turn it off',
    );
    expect(await accepted(web.key)).not.toHaveProperty('rotateKey');
    expect((await agentDoc(web)).get('keyRotation') ?? null).toBeNull();
  });
});
