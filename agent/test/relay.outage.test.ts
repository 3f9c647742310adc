// The relay's promise, proven against the real ingest: agents → relay → Functions emulator. The
// Functions emulator stops during the run and comes back; afterwards every report the agents produced
// is stored exactly once, although the agents never spooled one (the relay did). Along the way: a
// denied key is answered at the relay and never forwarded, an oversized and a garbage request are
// refused, and a client that never finishes its request does not hold up another.
//
// Like delivery-outage.outage.test.ts this starts and stops emulators itself (vitest project
// `outage`, outside `scripts/emulators.mjs exec`, under the emulator lock): Auth and Firestore in one
// suite that stays up, Functions in a second one that stops alone.
import { paths, parseApiKey } from '@vigil/schema';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  buildFunctions,
  functionsOnlyConfig,
  FUNCTIONS_ONLY_PORTS,
  releaseEmulatorLock,
  startEmulatorSuite,
  stopEveryEmulator,
  takeEmulatorLock,
  useEmulatorsInThisProcess,
  type EmulatorSuite,
} from '../../tests/support/agent-emulators.js';
import { enrollAgent, type EnrolledAgent } from '../../tests/support/agents.js';
import { adminDb, FUNCTIONS_ORIGIN } from '../../tests/support/emulators.js';
import { createDelivery, type Delivery, type DeliveryOutcome } from '../src/delivery/index.js';
import { SEND_SPACING_MS } from '../src/delivery/pacing.js';
import { pinnedFetch } from '../src/delivery/pinned-fetch.js';
import { RealHost } from '../src/host/real-host.js';
import { createLogger } from '../src/log.js';
import { changingReport } from './support/changing-report.js';
import { denyKeyId, EMPTY_ACCESS_LIST, writeAccessList } from '../src/relay/access-list.js';
import { loadOrCreateCertificate } from '../src/relay/certificate.js';
import { loadOrCreateSecret } from '../src/relay/key-sealing.js';
import { createRelayServer, MAX_BODY_BYTES, type RelayServer } from '../src/relay/relay-server.js';
import { rawRequest } from './support/relay.js';

let work: string;
let functions: EmulatorSuite | undefined;
let functionsConfig: string;
let relay: RelayServer | undefined;

function startFunctions(configFile: string) {
  return startEmulatorSuite({
    name: 'functions',
    only: ['functions'],
    configFile,
    extraPorts: [FUNCTIONS_ONLY_PORTS.hub, FUNCTIONS_ONLY_PORTS.logging],
    hubPort: FUNCTIONS_ONLY_PORTS.hub,
    env: {
      FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST!,
      FIREBASE_AUTH_EMULATOR_HOST: process.env.FIREBASE_AUTH_EMULATOR_HOST!,
    },
    probeFunction: 'ingestReport',
  });
}

beforeAll(async () => {
  buildFunctions();
  await takeEmulatorLock();
  await useEmulatorsInThisProcess();
  work = await mkdtemp(path.join(tmpdir(), 'vigil-relay-outage-'));
  await startEmulatorSuite({ name: 'auth+firestore', only: ['auth', 'firestore'] });
  functionsConfig = await functionsOnlyConfig();
  functions = await startFunctions(functionsConfig);
}, 1_500_000);

afterAll(async () => {
  await relay?.close(0);
  await stopEveryEmulator();
  await releaseEmulatorLock();
  if (work) await rm(work, { recursive: true, force: true });
}, 120_000);

interface TestAgent {
  name: string;
  enrolled: EnrolledAgent;
  delivery: Delivery;
  produced: string[];
  outcomes: DeliveryOutcome[];
}

describe('agents behind a relay across an emulator outage', () => {
  it('stores every report exactly once, refuses what it must, and keeps serving', async () => {
    const logLines: string[] = [];
    const log = createLogger('debug', (line) => logLines.push(line));

    // The relay, as `vigil-agent relay` builds it: a self-signed certificate made by openssl, the
    // sealing secret, the uplink to the ingest. Its fetch notes which key ids it forwards.
    const stateDir = path.join(work, 'relay');
    const certificate = await loadOrCreateCertificate(new RealHost(), { stateDir });
    const forwardedKeyIds: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      forwardedKeyIds.push(parseApiKey(new Headers(init?.headers).get('x-vigil-key'))?.keyId ?? '?');
      return fetch(input, init);
    };
    relay = await createRelayServer({
      cert: certificate.cert,
      key: certificate.key,
      stateDir,
      uplinkUrl: `${FUNCTIONS_ORIGIN}/ingestReport`,
      spoolLimits: { maxReports: 1_000, maxBytes: 64 * 1024 * 1024 },
      keyQuota: { maxReports: 1_000, maxBytes: 64 * 1024 * 1024 },
      // Every agent here comes from 127.0.0.1: one bucket for all of them.
      rateLimit: { perMinute: 6_000, burst: 1_000 },
      secret: await loadOrCreateSecret(stateDir),
      log,
      version: 'outage-test',
      fetch: recordingFetch,
      timeouts: { bodyMs: 2_000, uplinkMs: 5_000 },
      backoff: { baseMs: 500, capMs: 2_000, floorMs: 200 },
    });
    const port = await relay.listen('127.0.0.1', 0);
    const endpoint = `https://127.0.0.1:${port}/ingest`;

    const makeAgent = async (name: string): Promise<TestAgent> => {
      const enrolled = await enrollAgent(name);
      const delivery = createDelivery(
        {
          endpoint,
          key: enrolled.key,
          spoolDir: path.join(work, `spool-${name}`),
          maxSpooledReports: 500,
          maxSpoolBytes: 50 * 1024 * 1024,
          requestTimeoutMs: 30_000,
          pinnedFingerprint: certificate.fingerprint,
        },
        { log },
      );
      return { name, enrolled, delivery, produced: [], outcomes: [] };
    };
    const agents = [await makeAgent('relay-host-a'), await makeAgent('relay-host-b')];
    const denied = await makeAgent('relay-host-denied');
    const deniedKeyId = parseApiKey(denied.enrolled.key)!.keyId;
    await writeAccessList(stateDir, denyKeyId(EMPTY_ACCESS_LIST, deniedKeyId));

    const tick = async (agent: TestAgent) => {
      const { spooled, dropped } = await agent.delivery.status();
      // Each report's content is new, so the ingest must store every one (support/changing-report.ts).
      const report = changingReport({ delivery: { spooled, dropped } });
      agent.produced.push(report.reportId);
      const outcome = await agent.delivery.submit(report);
      agent.outcomes.push(outcome);
      return outcome;
    };
    const tickAll = () => Promise.all(agents.map((agent) => tick(agent)));
    const post = (body: string, key = agents[0]!.enrolled.key) =>
      pinnedFetch(certificate.fingerprint)(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', 'x-vigil-key': key }, body });

    // 1. The ingest works: reports go straight through the relay, the ingest's answer comes back.
    for (let round = 0; round < 3; round += 1) {
      for (const outcome of await tickAll()) {
        expect(outcome.error).toBeUndefined();
        expect(outcome).toMatchObject({ spooled: 0, delivered: [expect.any(String)] });
      }
    }
    expect(await relay.health()).toMatchObject({ ok: true, uplink: 'reachable', spooled: 0, dropped: 0 });

    // 2. A denied key is answered at the relay: the agent hears its key was refused, nothing is forwarded.
    const refused = await tick(denied);
    expect(refused.error?.kind).toBe('unauthenticated');
    expect(forwardedKeyIds).not.toContain(deniedKeyId);

    // 3. Garbage and oversized requests are refused at the relay, and nothing of them is forwarded.
    const forwardedBefore = forwardedKeyIds.length;
    const garbage = await post('{"data": {"reportId": ');
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toEqual({ error: { status: 'INVALID_ARGUMENT', message: 'The request body is not JSON.' } });
    const oversized = await rawRequest(
      port,
      `POST /ingest HTTP/1.1\r\nHost: relay\r\nX-Vigil-Key: ${agents[0]!.enrolled.key}\r\nContent-Type: application/json\r\nContent-Length: ${MAX_BODY_BYTES * 4}\r\n\r\n`,
      'x'.repeat(64 * 1024),
    );
    expect(oversized.status).toBe(413);
    expect(forwardedKeyIds.length).toBe(forwardedBefore);

    // 4. A client that never finishes its request: the others are served meanwhile, and it is cut off.
    const stalled = rawRequest(
      port,
      `POST /ingest HTTP/1.1\r\nHost: relay\r\nX-Vigil-Key: ${agents[1]!.enrolled.key}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n`,
      '{"data": {"reportId": "r-never-finished"',
    );
    const servedAt = Date.now();
    for (const outcome of await tickAll()) expect(outcome.error).toBeUndefined();
    // Well under the stalled client's 10 s; each agent may first wait out its own pacing (one spacing).
    expect(Date.now() - servedAt).toBeLessThan(2_000 + SEND_SPACING_MS);
    const cut = await stalled;
    expect(cut.status).toBe(408);

    // 5. The Functions emulator stops. The relay spools and answers "accepted": the agents spool nothing.
    const running = functions!;
    functions = undefined;
    await running.stop();
    for (let round = 0; round < 3; round += 1) {
      for (const outcome of await tickAll()) {
        expect(outcome.error).toBeUndefined();
        expect(outcome.spooled).toBe(0);
        expect(outcome.delivered).toHaveLength(1);
      }
    }
    const during = await relay.health();
    expect(during).toMatchObject({ ok: true, uplink: 'unreachable', spooled: 6, dropped: 0 });
    // The keys wait sealed: no spooled file holds a key or its secret.
    const spoolDir = path.join(stateDir, 'spool');
    const spooledFiles = (await readdir(spoolDir)).filter((name) => /^\d{16}-/.test(name));
    expect(spooledFiles).toHaveLength(6);
    for (const file of spooledFiles) {
      const text = await readFile(path.join(spoolDir, file), 'utf8');
      for (const agent of agents) expect(text).not.toContain(parseApiKey(agent.enrolled.key)!.secret);
    }

    // 6. The Functions emulator comes back: the relay delivers its spool by itself (each agent newest first, the rest as backfill).
    functions = await startFunctions(functionsConfig);
    await vi.waitFor(async () => expect(await relay!.health()).toMatchObject({ uplink: 'reachable', spooled: 0, dropped: 0 }), {
      timeout: 60_000,
      interval: 500,
    });
    for (const outcome of await tickAll()) {
      expect(outcome.error).toBeUndefined();
      expect(outcome.spooled).toBe(0);
    }

    // 7. Every report produced is stored once under its own agent; the denied agent's never reached it.
    for (const agent of agents) {
      const stored = await adminDb().collection(paths.reports(agent.enrolled.workspaceId, agent.enrolled.agentId)).get();
      expect(new Set(agent.produced).size).toBe(agent.produced.length);
      expect(stored.docs.map((doc) => doc.id).sort()).toEqual([...agent.produced].sort());
      for (const doc of stored.docs) expect(doc.get('reportId')).toBe(doc.id);
      const agentDoc = await adminDb().doc(paths.agent(agent.enrolled.workspaceId, agent.enrolled.agentId)).get();
      expect(agentDoc.get('lastReportId')).toBe(agent.produced.at(-1));
    }
    const deniedStored = await adminDb().collection(paths.reports(denied.enrolled.workspaceId, denied.enrolled.agentId)).get();
    expect(deniedStored.size).toBe(0);
    expect(forwardedKeyIds).not.toContain(deniedKeyId);

    // No key in any log line, the agents' or the relay's.
    const logText = logLines.join('\n');
    for (const agent of [...agents, denied]) expect(logText).not.toContain(parseApiKey(agent.enrolled.key)!.secret);
    for (const agent of [...agents, denied]) await agent.enrolled.owner.close();
  }, 600_000);
});
