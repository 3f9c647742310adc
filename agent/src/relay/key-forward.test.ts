// The relay's /agent-key, in process: a relay on a free port with a real certificate, an uplink
// that answers as fetchAgentKey does (scripted), and the agent's own key rotation (keyFileKeys)
// pinned to the relay, as an agent behind it rotates.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pinnedFetch } from '../delivery/pinned-fetch.js';
import { createLogger } from '../log.js';
import { keyFileKeys } from '../rotation/agent-keys.js';
import { fetchKeyUrlFor } from '../rotation/key-url.js';
import { startTestRelay, testCertificate, KEY_A, type TestRelay } from '../../test/support/relay.js';
import { allowKeyId, denyKeyId, EMPTY_ACCESS_LIST, readAccessList, writeAccessList } from './access-list.js';
import { KEY_FETCH_RATE_LIMIT } from './key-forward.js';
import { REFUSED_KEY_MESSAGE } from './relay-server.js';

const NEW_KEY = `vgl_qrstuvwxyz234567_${'N'.repeat(43)}`;
const ISSUED = { result: { key: NEW_KEY, keyPrefix: 'vgl_qrstuvwxyz234567_…' } };

interface Received {
  path: string;
  method: string;
  agentKey: string | undefined;
  body: string;
}

interface Cloud {
  url: string;
  received: Received[];
  reply: { status: number; body: string } | 'destroy';
  close(): Promise<void>;
}

async function cloud(): Promise<Cloud> {
  const state: Cloud = { url: '', received: [], reply: { status: 200, body: JSON.stringify(ISSUED) }, close: async () => undefined };
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      state.received.push({
        path: request.url ?? '',
        method: request.method ?? '',
        agentKey: request.headers['x-vigil-key'] as string | undefined,
        body,
      });
      if (state.reply === 'destroy') return request.socket.destroy();
      response.writeHead(state.reply.status, { 'content-type': 'application/json' }).end(state.reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/demo-vigil/us-central1/ingestReport`;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

let up: Cloud;
let relay: TestRelay;
const cleanups: Array<() => Promise<void>> = [];
beforeAll(async () => {
  await testCertificate();
}, 60_000);
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setUp() {
  up = await cloud();
  relay = await startTestRelay(up.url);
  cleanups.push(
    () => up.close(),
    () => relay.close(),
  );
}

async function fetchKeyAtRelay(key: string | undefined, body = 'ignored') {
  const response = await pinnedFetch(relay.fingerprint)(fetchKeyUrlFor(relay.endpoint)!, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-vigil-key': key } : {}) },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, json: (await response.json()) as Record<string, { status?: string; message?: string }> };
}

describe('the relay forwards key fetches', () => {
  it("to its uplink's fetchAgentKey with the agent's key and the callable's empty body, and returns the answer as it is", async () => {
    await setUp();
    expect(fetchKeyUrlFor(relay.endpoint)).toBe(`https://127.0.0.1:${relay.port}/agent-key`);
    expect(await fetchKeyAtRelay(KEY_A, '{"data":{"pad":"x"}}')).toEqual({ status: 200, json: ISSUED });
    expect(up.received).toEqual([{ path: '/demo-vigil/us-central1/fetchAgentKey', method: 'POST', agentKey: KEY_A, body: '{"data":{}}' }]);

    const refusal = { error: { status: 'FAILED_PRECONDITION', message: 'No key rotation is pending for this agent.' } };
    up.reply = { status: 400, body: JSON.stringify(refusal) };
    expect(await fetchKeyAtRelay(KEY_A)).toEqual({ status: 400, json: refusal });

    // Key ids are logged, the keys never; nothing is spooled.
    const logs = relay.logs.join('\n');
    expect(logs).toContain('"newKeyId":"qrstuvwxyz234567"');
    expect(logs).not.toContain(NEW_KEY);
    expect(logs).not.toContain(KEY_A);
    expect(await relay.server.health()).toMatchObject({ spooled: 0 });
  });

  it('refuses, forwarding nothing: no key, a malformed one, a key id the access list refuses', async () => {
    await setUp();
    expect(await fetchKeyAtRelay(undefined)).toEqual({ status: 401, json: { error: { status: 'UNAUTHENTICATED', message: REFUSED_KEY_MESSAGE } } });
    expect((await fetchKeyAtRelay('vgl_short')).status).toBe(401);
    await writeAccessList(relay.stateDir, denyKeyId(EMPTY_ACCESS_LIST, 'aaaaaaaaaaaaaaaa'));
    expect((await fetchKeyAtRelay(KEY_A)).status).toBe(401);
    expect(up.received).toEqual([]);
  });

  it('rate-limits key fetches per address, refusals counted too', async () => {
    await setUp();
    expect((await fetchKeyAtRelay(undefined)).status).toBe(401);
    for (let i = 1; i < KEY_FETCH_RATE_LIMIT.burst; i++) expect((await fetchKeyAtRelay(KEY_A)).status).toBe(200);
    expect(await fetchKeyAtRelay(KEY_A)).toMatchObject({ status: 429, json: { error: { status: 'RESOURCE_EXHAUSTED' } } });
    expect(up.received).toHaveLength(KEY_FETCH_RATE_LIMIT.burst - 1);
  });

  it('answers 503 when the cloud does not answer as fetchAgentKey', async () => {
    await setUp();
    up.reply = 'destroy';
    expect(await fetchKeyAtRelay(KEY_A)).toMatchObject({ status: 503, json: { error: { status: 'UNAVAILABLE' } } });
    up.reply = { status: 502, body: '<html>bad gateway</html>' };
    expect(await fetchKeyAtRelay(KEY_A)).toMatchObject({ status: 503 });
  });

  it('lets the new key id through an allowlist that named the old one, so the rotated agent keeps reporting', async () => {
    await setUp();
    await writeAccessList(relay.stateDir, allowKeyId(EMPTY_ACCESS_LIST, 'aaaaaaaaaaaaaaaa'));
    expect((await fetchKeyAtRelay(KEY_A)).status).toBe(200);
    expect((await readAccessList(relay.stateDir)).allow).toEqual(['aaaaaaaaaaaaaaaa', 'qrstuvwxyz234567']);
    expect(relay.logs.join('\n')).toContain('its new key id is allowed like the old one');
  });

  it("for the agent's own rotation pinned to the relay: the new key lands in the key file, the old one in .previous", async () => {
    await setUp();
    const dir = await mkdtemp(path.join(tmpdir(), 'vigil-key-relay-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const keyFile = path.join(dir, 'key');
    await writeFile(keyFile, `${KEY_A}\n`, { mode: 0o600 });
    const lines: string[] = [];
    const keys = keyFileKeys({
      keyFile,
      key: KEY_A,
      fetchUrl: fetchKeyUrlFor(relay.endpoint),
      fetch: pinnedFetch(relay.fingerprint),
      timeoutMs: 10_000,
      log: createLogger('debug', (line) => lines.push(line)),
    });
    await keys.accepted(KEY_A, true);
    expect(await keys.current()).toBe(NEW_KEY);
    expect(await readFile(keyFile, 'utf8')).toBe(`${NEW_KEY}\n`);
    expect(await readFile(`${keyFile}.previous`, 'utf8')).toBe(`${KEY_A}\n`);
    expect(up.received.map((request) => request.path)).toEqual(['/demo-vigil/us-central1/fetchAgentKey']);
    expect(lines.join('\n')).not.toContain(NEW_KEY);
  });
});
