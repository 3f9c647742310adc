// The updater against a real local HTTP server and a real state directory.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.js';
import { createUpdater, type UpdaterConfig } from './updater.js';
import { readState, updateDirFor, writeState, activated, EMPTY_STATE } from './update-state.js';
import type { LaunchInfo } from './launcher.js';

const BUNDLE = Buffer.from('export async function vigilAgentMain() { return 0; }\n');
const SHA = createHash('sha256').update(BUNDLE).digest('hex');
const NOW = new Date('2026-01-02T03:04:05.000Z');
let server: Server;
let requests = 0;
let origin: string;
let stateDir: string;
let config: UpdaterConfig;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests++;
    if (request.url === '/vigil-agent.mjs') response.end(BUNDLE);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'vigil-updater-'));
  config = {
    autoUpdate: true,
    updateChannel: 'stable',
    endpoint: 'https://x.example/ingestReport',
    relayFingerprint: undefined,
    allowInsecureHttp: false,
  };
  requests = 0;
});
afterEach(() => rm(stateDir, { recursive: true, force: true }));

const env = () => ({ VIGIL_STATE_DIR: stateDir });
const updater = (launch?: LaunchInfo) =>
  createUpdater({ config: () => config, version: '0.1.0', launch, env: env(), log: () => silentLogger, now: () => NOW });
const offer = (sha256 = SHA) => ({ version: '0.2.0', sha256, url: `${origin}/vigil-agent.mjs` });

describe('createUpdater', () => {
  it('installs a verified offer on trial and asks for a restart; the reports then say the policy and nothing yet', async () => {
    expect(await updater().consider(offer(), 300)).toBe(true);
    const state = await readState(updateDirFor(env()));
    expect(state.active).toEqual({ version: '0.2.0', sha256: SHA, from: '0.1.0', at: NOW.toISOString(), trial: { starts: 0, deadlineSeconds: 900 } });
    expect(existsSync(path.join(updateDirFor(env()), SHA, 'vigil-agent.mjs'))).toBe(true);
    expect(await updater().status()).toEqual({ auto: true, channel: 'stable' });
  });

  it('a wrong SHA-256 changes nothing but last (failed, with the reason), and the same offer waits', async () => {
    const wrong = 'e'.repeat(64);
    expect(await updater().consider(offer(wrong), 300)).toBe(false);
    const state = await readState(updateDirFor(env()));
    expect(state.active).toBeUndefined();
    expect(await updater().status()).toEqual({
      auto: true,
      channel: 'stable',
      last: {
        outcome: 'failed',
        from: '0.1.0',
        to: '0.2.0',
        at: NOW.toISOString(),
        reason: `its SHA-256 is ${SHA.slice(0, 12)}…, not eeeeeeeeeeee… as offered`,
      },
    });
    expect(requests).toBe(1);
    expect(await updater().consider(offer(wrong), 300)).toBe(false);
    expect(requests).toBe(1);
  });

  it('downloads nothing with auto_update off or a pin elsewhere, and says the policy', async () => {
    config = { ...config, autoUpdate: false, updateChannel: '0.1.0' };
    expect(await updater().consider(offer(), 300)).toBe(false);
    config = { ...config, autoUpdate: true };
    expect(await updater().consider(offer(), 300)).toBe(false);
    expect(requests).toBe(0);
    expect(await updater().status()).toEqual({ auto: true, channel: '0.1.0' });
  });

  it('a version on trial reports updated; its first accepted report confirms it and removes bundles no longer needed', async () => {
    const updateDir = updateDirFor(env());
    await mkdir(path.join(updateDir, SHA), { recursive: true });
    const stale = path.join(updateDir, 'd'.repeat(64));
    await mkdir(stale);
    await writeState(updateDir, activated(EMPTY_STATE, { version: '0.2.0', sha256: SHA }, '0.1.0', 900, NOW));
    const launched = updater({ version: '0.2.0', sha256: SHA, updateDir, onTrial: true });
    const updated = { outcome: 'updated', from: '0.1.0', to: '0.2.0', at: NOW.toISOString() };
    expect(await launched.status()).toEqual({ auto: true, channel: 'stable', last: updated });
    await launched.reportAccepted();
    const state = await readState(updateDir);
    expect(state.active?.trial).toBeUndefined();
    expect(state.last).toEqual(updated);
    expect(await readdir(updateDir)).toEqual(expect.arrayContaining([SHA, 'state.json']));
    expect(existsSync(stale)).toBe(false);
  });
});
