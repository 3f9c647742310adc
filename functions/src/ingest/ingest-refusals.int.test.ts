// What a caller without a working key, or with an oversized body, costs. The handler runs in this
// process against the emulator, so its Firestore reads are counted the way bench/ingest.mjs counts
// them (the RPC funnel of @google-cloud/firestore), and its per-instance caches are this process's.
import { request as httpRequest } from 'node:http';
import { LIMITS, parseApiKey, paths } from '@vigil/schema';
import { FieldValue } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { diffCounts, snapshotCounts } from '../../../bench/count-ops-entry.js';
import { freshReport } from '../../../tests/support/agents.js';
import { FUNCTIONS_ORIGIN, adminDb } from '../../../tests/support/emulators.js';
import { ingestRequest, useCountedIngest } from '../../../tests/support/ingest-in-process.js';
import { ingestReport } from './ingest-report.js';

const { agent: enrolledAgent } = useCountedIngest();

/** The handler's outcome (its HttpsError code, or "ok") and the documents it read. */
async function ingestCounted(key: string, data: unknown) {
  const before = snapshotCounts();
  const outcome = await ingestReport(ingestRequest(key, data)).then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? String(error),
  );
  return { outcome, reads: diffCounts(snapshotCounts(), before).reads };
}

const randomKeyId = () => Array.from({ length: 16 }, () => 'abcdefghijklmnopqrstuvwxyz234567'[Math.floor(Math.random() * 32)]).join('');

describe('refused keys', () => {
  it('reads the key document once for an unknown key, then refuses it again without reading', async () => {
    const unknown = `vgl_${randomKeyId()}_${'B'.repeat(43)}`;
    expect(await ingestCounted(unknown, freshReport())).toEqual({ outcome: 'unauthenticated', reads: 1 });
    expect(await ingestCounted(unknown, freshReport())).toEqual({ outcome: 'unauthenticated', reads: 0 });
  });

  it('refuses a revoked key again without reading', async () => {
    const revoked = await enrolledAgent('refused-revoked');
    expect((await ingestCounted(revoked.key, freshReport())).outcome).toBe('ok');
    await revoked.owner.call('revokeAgent', { workspaceId: revoked.workspaceId, agentId: revoked.agentId });
    expect((await ingestCounted(revoked.key, freshReport())).outcome).toBe('unauthenticated');
    expect(await ingestCounted(revoked.key, freshReport())).toEqual({ outcome: 'unauthenticated', reads: 0 });
  });

  it('reads a key document once for wrong secrets too, and then only the agent for the right one', async () => {
    const target = await enrolledAgent('refused-wrong-secret');
    const { keyId } = parseApiKey(target.key)!;
    const wrong = `vgl_${keyId}_${'D'.repeat(43)}`;
    expect(await ingestCounted(wrong, freshReport())).toEqual({ outcome: 'unauthenticated', reads: 1 });
    expect(await ingestCounted(wrong, freshReport())).toEqual({ outcome: 'unauthenticated', reads: 0 });
    expect(await ingestCounted(target.key, freshReport())).toEqual({ outcome: 'ok', reads: 1 });
  });

  it('never lets a wrong secret lock out the key it names', async () => {
    const victim = await enrolledAgent('refused-victim');
    const { keyId } = parseApiKey(victim.key)!;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await ingestCounted(`vgl_${keyId}_${'C'.repeat(43)}`, freshReport())).outcome).toBe('unauthenticated');
    }
    expect((await ingestCounted(victim.key, freshReport())).outcome).toBe('ok');
  });
});

describe('stored documents that fail their schema', () => {
  // Refused like missing ones (ingest-report.ts readKey, readAgent): nothing stored, nothing remembered as good.
  it('refuses a key whose agent document fails the schema ingest reads it by, and stores nothing', async () => {
    const agent = await enrolledAgent('refused-malformed-agent');
    await adminDb().doc(paths.agent(agent.workspaceId, agent.agentId)).update({ intervalSeconds: '300' });
    const report = freshReport();
    expect((await ingestCounted(agent.key, report)).outcome).toBe('unauthenticated');
    expect(
      (
        await adminDb()
          .doc(paths.report(agent.workspaceId, agent.agentId, report.reportId))
          .get()
      ).exists,
    ).toBe(false);
  });

  it('refuses a key whose key document fails agentKeySchema, and stores nothing', async () => {
    const agent = await enrolledAgent('refused-malformed-key');
    await adminDb()
      .doc(paths.agentKey(parseApiKey(agent.key)!.keyId))
      .update({ createdAt: FieldValue.delete() });
    const report = freshReport();
    expect((await ingestCounted(agent.key, report)).outcome).toBe('unauthenticated');
    expect(
      (
        await adminDb()
          .doc(paths.report(agent.workspaceId, agent.agentId, report.reportId))
          .get()
      ).exists,
    ).toBe(false);
  });
});

/** POSTs `body` to the running ingestReport as one request, chunked (no Content-Length) when asked. */
function post(body: string, headers: Record<string, string>, chunked: boolean): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${FUNCTIONS_ORIGIN}/ingestReport`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers, ...(chunked ? {} : { 'content-length': String(Buffer.byteLength(body)) }) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on('error', reject);
    const chunkSize = chunked ? 64 * 1024 : body.length;
    for (let offset = 0; offset < body.length; offset += chunkSize) request.write(body.slice(offset, offset + chunkSize));
    request.end();
  });
}

describe('oversized bodies', () => {
  const oversized = JSON.stringify({ data: { ...freshReport(), padding: 'z'.repeat(LIMITS.reportBytes) } });

  it('are refused with invalid-argument before the key is even looked at', async () => {
    const cases: Array<Record<string, string>> = [{}, { 'x-vigil-key': 'not-a-key' }, { 'x-vigil-key': `vgl_${randomKeyId()}_${'B'.repeat(43)}` }];
    for (const headers of cases) {
      const response = await post(oversized, headers, false);
      expect(response.status, JSON.stringify(headers)).toBe(400);
      expect(JSON.parse(response.text).error).toMatchObject({ status: 'INVALID_ARGUMENT', message: expect.stringMatching(/limit is 262144/) });
    }
  });

  it('are refused the same way when sent chunked, without a Content-Length', async () => {
    const response = await post(oversized, { 'x-vigil-key': `vgl_${randomKeyId()}_${'B'.repeat(43)}` }, true);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).error.status).toBe('INVALID_ARGUMENT');
  });

  it('are refused in the handler from the declared length, before any read', async () => {
    const unknown = `vgl_${randomKeyId()}_${'B'.repeat(43)}`;
    const request = ingestRequest(unknown, freshReport());
    (request.rawRequest.headers as Record<string, string>)['content-length'] = String(40 * 1024 * 1024);
    const before = snapshotCounts();
    await expect(ingestReport(request)).rejects.toMatchObject({ code: 'invalid-argument' });
    expect(diffCounts(snapshotCounts(), before).reads).toBe(0);
  });
});
