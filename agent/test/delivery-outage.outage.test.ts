// The promise, proven against the real ingest: the Functions emulator stops while an agent
// keeps producing reports, and comes back; afterwards every report produced is stored, exactly once.
//
// This test starts and stops emulators itself, so it runs outside `scripts/emulators.mjs exec`
// (vitest project `outage`). firebase-tools cannot stop one emulator of a running suite, so Auth and
// Firestore run in one suite that stays up, and Functions in a second suite (its own hub) that the
// test stops with SIGINT and starts again: a functions outage with the database untouched.
import { paths } from '@vigil/schema';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { enrollAgent } from '../../tests/support/agents.js';
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
import { adminDb, FUNCTIONS_ORIGIN } from '../../tests/support/emulators.js';
import { createDelivery, type DeliveryConfig, type DeliveryOutcome } from '../src/delivery/index.js';
import { createLogger } from '../src/log.js';
import { changingReport } from './support/changing-report.js';

/** The agent's tick while the Functions emulator shuts down: reports keep coming, as from a running daemon. */
const TICK_MS = 250;

let work: string;
let functions: EmulatorSuite | undefined;

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

let functionsConfig: string;

beforeAll(async () => {
  buildFunctions();
  await takeEmulatorLock();
  await useEmulatorsInThisProcess();
  work = await mkdtemp(path.join(tmpdir(), 'vigil-outage-'));
  await startEmulatorSuite({ name: 'auth+firestore', only: ['auth', 'firestore'] });
  functionsConfig = await functionsOnlyConfig();
  functions = await startFunctions(functionsConfig);
}, 1_500_000);

afterAll(async () => {
  await stopEveryEmulator();
  await releaseEmulatorLock();
  if (work) await rm(work, { recursive: true, force: true });
}, 120_000);

describe('delivery across an emulator outage', () => {
  it('loses no report and stores none twice', async () => {
    const agent = await enrollAgent('outage-host');
    const logLines: string[] = [];
    const config: DeliveryConfig = {
      endpoint: `${FUNCTIONS_ORIGIN}/ingestReport`,
      key: agent.key,
      spoolDir: path.join(work, 'spool'),
      maxSpooledReports: 500,
      maxSpoolBytes: 50 * 1024 * 1024,
      requestTimeoutMs: 5_000,
    };
    // The real fetch, with a hook that fires while a request is on its way (step 2).
    let duringNextRequest: (() => void) | undefined;
    /** Every report the ingest accepted (HTTP 200), in order, with its backfill flag as sent. */
    const accepted: Array<{ reportId: string; backfill: boolean }> = [];
    const fetchWithHook: typeof fetch = (input, init) => {
      const answer = fetch(input, init);
      const hook = duringNextRequest;
      duringNextRequest = undefined;
      // A few milliseconds in: the request has reached ingestReport, which is still at work.
      if (hook) setTimeout(hook, 15);
      const { data } = JSON.parse(String(init?.body)) as { data: { reportId: string; backfill?: boolean } };
      return answer.then((response) => {
        if (response.status === 200) accepted.push({ reportId: data.reportId, backfill: data.backfill === true });
        return response;
      });
    };
    const delivery = createDelivery(config, { log: createLogger('debug', (line) => logLines.push(line)), fetch: fetchWithHook });

    const produced: string[] = [];
    const outcomes: DeliveryOutcome[] = [];
    /** One agent tick: the report carries the backlog, as the agent's core puts it there. */
    const tick = async () => {
      const { spooled, dropped } = await delivery.status();
      // Each report's content is new, so the ingest must store every one (support/changing-report.ts).
      const report = changingReport({ delivery: { spooled, dropped } });
      produced.push(report.reportId);
      const outcome = await delivery.submit(report);
      outcomes.push(outcome);
      return outcome;
    };

    // 1. The ingest works: every report goes straight through.
    for (let count = 0; count < 4; count += 1) {
      const outcome = await tick();
      expect(outcome.error).toBeUndefined();
      expect(outcome.spooled).toBe(0);
    }

    // 2. The Functions emulator stops while a report is in flight and the agent keeps ticking. The
    //    report in flight may be stored without its reply arriving, or refused, or never reach it:
    //    in every case the agent keeps it until an answer says it is stored.
    let stopped = false;
    let stopping: Promise<unknown> = Promise.resolve();
    const running = functions!;
    functions = undefined;
    duringNextRequest = () => {
      stopping = running.stop().then(() => (stopped = true));
    };
    await tick();
    for (let count = 0; count < 10 && !stopped; count += 1) {
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
      await tick();
    }
    await stopping;

    // 3. Down: every report is spooled and the outcome says why.
    for (let count = 0; count < 3; count += 1) {
      const outcome = await tick();
      expect(outcome.delivered).toEqual([]);
      expect(outcome.error?.kind).toBe('network');
    }
    const backlog = await delivery.status();
    expect(backlog.spooled).toBeGreaterThanOrEqual(3);
    expect(backlog.dropped).toBe(0);
    expect(delivery.nextRetryDelayMs()).toBeGreaterThan(0);
    // A copy of the spool as it is now: later sent again, as after a crash between send and removal.
    const spoolCopy = path.join(work, 'spool-copy');
    await cp(config.spoolDir, spoolCopy, { recursive: true });

    // 4. The Functions emulator comes back; the agent flushes its spool: the newest report first, as
    //    the present, then the rest as backfill, newest to oldest.
    const deliveredSoFar = new Set(outcomes.flatMap((outcome) => outcome.delivered));
    const waiting = produced.filter((id) => !deliveredSoFar.has(id));
    const flushesFrom = outcomes.length;
    const acceptedFrom = accepted.length;
    functions = await startFunctions(functionsConfig);
    await vi.waitFor(
      async () => {
        const outcome = await delivery.flush();
        outcomes.push(outcome);
        expect(outcome.error).toBeUndefined();
        expect(outcome.spooled).toBe(0);
      },
      { timeout: 60_000, interval: 1_000 },
    );
    expect(outcomes.slice(flushesFrom).flatMap((outcome) => outcome.delivered)).toEqual([...waiting].reverse());
    // The first report the ingest accepted after the outage is the newest one, not marked backfill.
    expect(accepted.slice(acceptedFrom)).toEqual([...waiting].reverse().map((reportId, index) => ({ reportId, backfill: index > 0 })));
    const afterwards = await tick();
    expect(afterwards).toMatchObject({ spooled: 0, dropped: 0 });
    expect(afterwards.delivered).toEqual([produced.at(-1)]);

    // 5. The same reports sent again (a restarted agent with an old spool): acknowledged, not stored again.
    const resent = await createDelivery({ ...config, spoolDir: spoolCopy }, { log: createLogger('warn', (line) => logLines.push(line)) }).flush();
    expect(resent.error).toBeUndefined();
    expect(resent.delivered.length).toBe(backlog.spooled);
    expect((await readdir(spoolCopy)).filter((name) => name.endsWith('.json') && name !== 'state.json')).toEqual([]);

    // 6. Every report produced is stored, exactly once, under its own id.
    const stored = await adminDb().collection(paths.reports(agent.workspaceId, agent.agentId)).get();
    const storedIds = stored.docs.map((doc) => doc.id);
    expect(new Set(produced).size).toBe(produced.length);
    expect([...storedIds].sort()).toEqual([...produced].sort());
    for (const doc of stored.docs) expect(doc.get('reportId')).toBe(doc.id);
    const delivered = outcomes.flatMap((outcome) => outcome.delivered);
    expect(new Set(delivered)).toEqual(new Set(produced));
    // The backlog travelled with the reports: the ones built during the outage said how much waited.
    expect(Math.max(...stored.docs.map((doc) => Number(doc.get('delivery.spooled') ?? 0)))).toBeGreaterThanOrEqual(3);
    const agentDoc = await adminDb().doc(paths.agent(agent.workspaceId, agent.agentId)).get();
    expect(agentDoc.get('lastReportId')).toBe(produced.at(-1));

    // The key never reached the log.
    expect(logLines.join('\n')).not.toContain(agent.key);
    await agent.owner.close();
  }, 600_000);
});
