// The relay's /enroll, in process: a relay on a free port with a real certificate, an uplink that
// answers as enrollAgent does (scripted), and the real `vigil-agent enroll` pinned to the relay.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pinnedFetch } from '../delivery/pinned-fetch.js';
import { Output, testCli } from '../../test/support/cli.js';
import { startTestRelay, testCertificate, type TestRelay } from '../../test/support/relay.js';
import { runCli } from '../cli/cli.js';
import { EXIT } from '../cli/exit-codes.js';
import { MACHINE_ID_FILE_VARIABLE } from '../enroll/machine-id.js';
import { allowKeyId, EMPTY_ACCESS_LIST, writeAccessList } from './access-list.js';
import { ENROLL_RATE_LIMIT, REFUSED_TOKEN_MESSAGE } from './enroll-forward.js';

const TOKEN = `vgle_abcdefghijklmnop_${'T'.repeat(43)}`;
const NEW_KEY = `vgl_qrstuvwxyz234567_${'N'.repeat(43)}`;
const ENROLLED = {
  result: {
    workspaceId: 'ws1',
    agentId: 'agent1',
    name: 'web-1',
    key: NEW_KEY,
    keyPrefix: 'vgl_qrstuvwxyz234567_…',
    reportingIntervalSeconds: 300,
    reused: false,
  },
};

interface Received {
  path: string;
  token: string | undefined;
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
  const state: Cloud = { url: '', received: [], reply: { status: 200, body: JSON.stringify(ENROLLED) }, close: async () => undefined };
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      state.received.push({
        path: request.url ?? '',
        token: request.headers['x-vigil-enrollment-token'] as string | undefined,
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

async function enrollAtRelay(body: string, token = TOKEN) {
  const response = await pinnedFetch(relay.fingerprint)(`https://127.0.0.1:${relay.port}/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-vigil-enrollment-token': token } : {}) },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  return {
    status: response.status,
    json: (await response.json()) as Record<string, { status?: string; message?: string }>,
    headers: response.headers,
  };
}

const BODY = JSON.stringify({ data: { machineId: 'a'.repeat(64), hostname: 'web-1', agentVersion: '9.9.9-test' } });

describe('the relay forwards enrollments', () => {
  it("to its uplink's enrollAgent, with the token and the body as they came, and returns the cloud's answer as it is", async () => {
    await setUp();
    const answer = await enrollAtRelay(BODY);
    expect(answer).toMatchObject({ status: 200, json: ENROLLED });
    expect(up.received).toEqual([{ path: '/demo-vigil/us-central1/enrollAgent', token: TOKEN, agentKey: undefined, body: BODY }]);

    const refusal = { error: { status: 'FAILED_PRECONDITION', message: 'This enrollment token has expired.' } };
    up.reply = { status: 400, body: JSON.stringify(refusal) };
    expect(await enrollAtRelay(BODY)).toMatchObject({ status: 400, json: refusal });

    // The key id is logged, the key and the token never; nothing is spooled.
    const logs = relay.logs.join('\n');
    expect(logs).toContain('"keyId":"qrstuvwxyz234567"');
    expect(logs).not.toContain(NEW_KEY);
    expect(logs).not.toContain(TOKEN);
    expect((await readdir(path.join(relay.stateDir, 'spool'))).filter((name) => name.endsWith('.json') && name !== 'state.json')).toEqual([]);
  });

  it('names the relay allow command when its access list would refuse the new key id', async () => {
    await setUp();
    await writeAccessList(relay.stateDir, allowKeyId(EMPTY_ACCESS_LIST, 'aaaaaaaaaaaaaaaa'));
    expect((await enrollAtRelay(BODY)).status).toBe(200);
    expect(relay.logs.join('\n')).toContain('its reports are refused here until: vigil-agent relay allow qrstuvwxyz234567');
  });

  it('refuses, forwarding nothing: no token or a malformed one, a body not {"data"}, a body over the limit', async () => {
    await setUp();
    expect(await enrollAtRelay(BODY, '')).toMatchObject({
      status: 403,
      json: { error: { status: 'PERMISSION_DENIED', message: REFUSED_TOKEN_MESSAGE } },
    });
    expect(await enrollAtRelay(BODY, 'vgl_notatokenatall_x')).toMatchObject({ status: 403 });
    expect(await enrollAtRelay('[1]')).toMatchObject({ status: 400, json: { error: { status: 'INVALID_ARGUMENT' } } });
    expect(await enrollAtRelay(JSON.stringify({ data: { pad: 'x'.repeat(9000) } }))).toMatchObject({ status: 413 });
    expect(up.received).toEqual([]);
  });

  it('answers 503 when the cloud does not answer, and spools nothing', async () => {
    await setUp();
    up.reply = 'destroy';
    expect(await enrollAtRelay(BODY)).toMatchObject({ status: 503, json: { error: { status: 'UNAVAILABLE' } } });
    up.reply = { status: 502, body: '<html>bad gateway</html>' };
    expect(await enrollAtRelay(BODY)).toMatchObject({ status: 503 });
    expect(await relay.server.health()).toMatchObject({ spooled: 0 });
  });

  it('rate-limits enrollments per address, tighter than reports', async () => {
    await setUp();
    for (let i = 0; i < ENROLL_RATE_LIMIT.burst; i++) expect((await enrollAtRelay(BODY)).status).toBe(200);
    const limited = await enrollAtRelay(BODY);
    expect(limited).toMatchObject({ status: 429, json: { error: { status: 'RESOURCE_EXHAUSTED' } } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(up.received).toHaveLength(ENROLL_RATE_LIMIT.burst);
  });

  it('for vigil-agent enroll pinned to the relay, which writes the relay endpoint and its pin into the config', async () => {
    await setUp();
    const cli = testCli();
    const dir = await mkdtemp(path.join(tmpdir(), 'vigil-enroll-relay-'));
    cleanups.push(async () => {
      cli.cleanup();
      await rm(dir, { recursive: true, force: true });
    });
    await writeFile(path.join(dir, 'machine-id'), '0123456789abcdef0123456789abcdef\n');
    cli.deps.env = { [MACHINE_ID_FILE_VARIABLE]: path.join(dir, 'machine-id'), VIGIL_ENROLLMENT_TOKEN: TOKEN };
    cli.deps.stdout = new Output();
    const configPath = path.join(dir, 'agent.yaml');
    const code = await runCli(['enroll', '--config', configPath, '--endpoint', relay.endpoint, '--relay-fingerprint', relay.fingerprint], cli.deps);
    expect(code).toBe(EXIT.ok);
    expect(up.received.map((request) => request.path)).toEqual(['/demo-vigil/us-central1/enrollAgent']);
    const config = await readFile(configPath, 'utf8');
    expect(config).toContain(`endpoint: ${relay.endpoint}\n`);
    expect(config).toContain(`relay_fingerprint: "${relay.fingerprint}"`);
    expect(await readFile(path.join(dir, 'key'), 'utf8')).toBe(`${NEW_KEY}\n`);
  });
});
