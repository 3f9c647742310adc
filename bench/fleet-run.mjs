#!/usr/bin/env node
// The fleet cost benchmark proper (issue #13). It runs INSIDE the emulators; start it with
// `node bench/fleet.mjs`, which builds what it serves and wraps this file in the harness with the
// function workers pointed at the counting proxy (bench/lib/functions-through-proxy.cjs).
//
// 1. Starts the counting proxy (bench/lib/firestore-proxy.mjs) in front of the Firestore emulator:
//    one port for every function worker, one for this script's own Admin SDK ("bench setup").
//    A self-check writes, reads, queries and deletes a known number of documents through it.
// 2. Setup (not costed): a user, bootstrapWorkspace, --hosts agents (createAgent), each host's
//    first report, then waits until the emulators are idle.
// 3. Opens the dashboard's overview in headless Chromium, signed in (--dashboard on).
// 4. The measured window: every host sends a realistic report (bench/lib/fleet-reports.mjs) every
//    --interval seconds for --duration seconds, through the real ingestReport with its key; the
//    schedules run through runSchedule on their cadence compressed by 300 / --interval, the daily
//    ones once; then waits until every trigger the window caused has run.
// 5. Counts: the proxy's reads, writes and deletes by function (every function worker, whatever it
//    serves), invocations and their durations from the functions emulator's log, CPU by process,
//    the dashboard's reads (its own counter), the documents stored; scales them to one host-month
//    at 300 s and prices them (bench/lib/cost-model.mjs, bench/lib/prices.mjs).
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseSchedule } from '../scripts/lib/app-engine-schedule.mjs';
import { listSchedules, runScheduleNow } from '../scripts/lib/schedules.mjs';
import {
  callAs,
  callHttp,
  describeFailure,
  exitWithHarness,
  integerOption,
  measuredCode,
  pool,
  signUp,
  sleep,
  waitForQuiet,
  watchFunctionsBundle,
} from './bench-lib.mjs';
import { costModel, formatReport } from './lib/cost-model.mjs';
import { loadReportPhase } from './lib/report-phase-bundle.mjs';
import { countsBetween, startCountingProxy } from './lib/firestore-proxy.mjs';
import { collectFixtureReport, simulatedHost } from './lib/fleet-reports.mjs';
import { deployedResources } from './lib/prices.mjs';
import { cpuByFunction, invocationsIn } from './lib/functions-activity.mjs';
import { proxySelfCheck } from './lib/proxy-self-check.mjs';
import { storedDocuments } from './lib/stored-documents.mjs';
import { cpuByKind } from './process-cpu.mjs';
import { loadIngestInstances, spreadOverInstances } from './lib/instance-probe.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.dirname(BENCH_DIR);
const BUILD_DIR = path.join(BENCH_DIR, '.build');

const { values: opts } = parseArgs({
  options: {
    hosts: { type: 'string', default: '1000' },
    interval: { type: 'string', default: '10' },
    duration: { type: 'string', default: '180' },
    'change-rate': { type: 'string', default: '0.02' },
    'failing-share': { type: 'string', default: '0.05' },
    dashboard: { type: 'string', default: 'on' },
    'functions-port': { type: 'string' },
    'bench-port': { type: 'string' },
    'functions-log': { type: 'string' },
    'summary-file': { type: 'string' },
    'model-hosts': { type: 'string', default: '1000,100000' },
    slots: { type: 'string', default: 'on' },
  },
});
const HOSTS = integerOption(opts, 'hosts');
const INTERVAL_S = integerOption(opts, 'interval');
const DURATION_S = integerOption(opts, 'duration');
const CHANGE_RATE = Number(opts['change-rate']);
const FAILING_SHARE = Number(opts['failing-share']);
const DASHBOARD_ON = opts.dashboard === 'on';
const FUNCTIONS_PORT = integerOption(opts, 'functions-port');
const BENCH_PORT = integerOption(opts, 'bench-port');
const FUNCTIONS_LOG = opts['functions-log'];
// Fleet sizes the cost model prices Cloud Functions at (instances shared by concurrent reports).
const MODEL_HOSTS = opts['model-hosts'].split(',').map(Number);
if (!MODEL_HOSTS.every((value) => Number.isInteger(value) && value > 0)) {
  console.error(`--model-hosts must be positive whole numbers separated by commas, got ${opts['model-hosts']}`);
  process.exit(2);
}
const DEPLOYED_INTERVAL_S = 300;
const COMPRESSION = DEPLOYED_INTERVAL_S / INTERVAL_S;

const upstream = process.env.FIRESTORE_EMULATOR_HOST;
if (!upstream || !FUNCTIONS_LOG) {
  console.error('Run `node bench/fleet.mjs` (it starts the emulators, the log and the proxy wiring).');
  process.exit(2);
}
if (process.env.VIGIL_FLEET_FUNCTIONS_FIRESTORE !== `127.0.0.1:${FUNCTIONS_PORT}`) {
  console.error('The function workers are not pointed at the proxy (VIGIL_FLEET_FUNCTIONS_FIRESTORE): run `node bench/fleet.mjs`.');
  process.exit(2);
}
exitWithHarness();
const log = (...parts) => console.log('[fleet]', ...parts);

// ---- 1. The proxy, and this script's Admin SDK through its own port ----

let scheduleRunning;
const proxy = await startCountingProxy({
  upstream,
  listeners: [
    { port: FUNCTIONS_PORT, caller: 'functions' },
    { port: BENCH_PORT, caller: 'bench setup' },
  ],
  // runSchedule runs every schedule's handler: name the schedule it is running (runs never overlap).
  labelFor: (name) => (name === 'runSchedule' && scheduleRunning ? `schedule ${scheduleRunning}` : name),
});
process.env.FIRESTORE_EMULATOR_HOST = `127.0.0.1:${BENCH_PORT}`;
const { initializeApp } = await import('firebase-admin/app');
const { getFirestore } = await import('firebase-admin/firestore');
const { getAuth } = await import('firebase-admin/auth');
initializeApp({ projectId: process.env.GCLOUD_PROJECT || 'demo-vigil' });
const db = getFirestore();
const selfCheck = await proxySelfCheck(db, proxy);
log(`proxy self-check: ${selfCheck.ok ? 'ok' : 'CHECK FAILED'} (${selfCheck.lines.join('; ')})`);

// ---- 2. Setup ----

const functionsBundle = watchFunctionsBundle();
const template = collectFixtureReport(REPO_ROOT, BUILD_DIR);
const runId = Date.now().toString(36);
const hosts = Array.from({ length: HOSTS }, (_, index) =>
  simulatedHost({ template, index, runId, changeRate: CHANGE_RATE, failingShare: FAILING_SHARE }),
);
log(`report template: ${template.solutions.length} solutions from agent/fixtures, ${JSON.stringify(template).length} bytes as JSON`);
const perHost = Math.floor(DURATION_S / INTERVAL_S);
if (perHost + 1 > 29) log(`warning: ${perHost + 1} reports per host exceed what one agent's token bucket allows in a burst; expect refusals`);

log(`setup: one user, a workspace and ${HOSTS} agents…`);
const user = await signUp('fleet');
await getAuth().updateUser(user.uid, { emailVerified: true });
const { workspaceId } = await callAs(user.idToken, 'bootstrapWorkspace', {});
// Room for the fleet, one probe agent and the two hosts spread over instances after the window,
// whatever MAX_AGENTS_PER_WORKSPACE is (the operator's override), and for the agents of retried
// createAgent calls (below) that had created theirs before they timed out.
await db.doc(`workspaces/${workspaceId}`).update({ maxAgents: HOSTS + 3 + 20 });
// createAgent updates the workspace in a transaction: concurrent calls may time out on its lock in
// the emulator, so a failed one is tried again (setup, not measured).
async function createAgent(name) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await withKey(await callAs(user.idToken, 'createAgent', { workspaceId, name }), name);
    } catch (error) {
      if (attempt >= 4) throw error;
      await sleep(500 * attempt);
    }
  }
}
/**
 * The agent's key: createAgent's own, or, where createAgent hands out a single-use enrollment token
 * bound to the agent instead, the key enrollAgent returns for it (as install.sh --token does; the
 * header is ENROLLMENT_TOKEN_HEADER, schema/src/constants/protocol.ts).
 */
async function withKey(created, name) {
  if (typeof created.key === 'string' || typeof created.token !== 'string') return created;
  const machineId = createHash('sha256').update(`vigil:bench-${runId}-${name}`).digest('hex');
  const reply = await callHttp('enrollAgent', { machineId, hostname: name }, { 'x-vigil-enrollment-token': created.token });
  const key = reply.json?.result?.key;
  if (reply.status !== 200 || typeof key !== 'string') throw new Error(`enrollAgent with the created agent's token answered HTTP ${reply.status}`);
  return { ...created, key };
}
const agents = await pool(
  hosts.map((host) => () => createAgent(host.hostname)),
  4,
);
// The probe: one more host, used after the window for the per-report figures, changed and not.
hosts.push(simulatedHost({ template, index: HOSTS, runId, changeRate: 0, failingShare: 0 }));
agents.push(await createAgent(hosts[HOSTS].hostname));

const sent = { accepted: 0, changed: 0, refused: 0, failures: new Map() };
/** Each host's latest ticket, sent with its next report as the agent does (X-Vigil-Ticket). */
const tickets = new Map();
/**
 * Each host's report slot as ingest's latest reply gave it (nextReportInSeconds, report-phase.ts),
 * as a phase into the compressed interval: the slot's moment on the server's clock (this machine's)
 * into the deployed interval, divided by the compression, so the hosts keep the phases ingest gives.
 */
const slotPhases = new Map();
async function send(index, measured, force) {
  const { report, changed } = hosts[index].next(new Date().toISOString(), INTERVAL_S, force);
  const ticket = tickets.get(index);
  const reply = await callHttp('ingestReport', report, { 'x-vigil-key': agents[index].key, ...(ticket ? { 'x-vigil-ticket': ticket } : {}) });
  const ok = reply.status === 200 && reply.json?.result?.accepted === true;
  if (typeof reply.json?.result?.ticket === 'string') tickets.set(index, reply.json.result.ticket);
  else tickets.delete(index);
  const wait = reply.json?.result?.nextReportInSeconds;
  if (typeof wait === 'number') slotPhases.set(index, (((Date.now() / 1000 + wait) % DEPLOYED_INTERVAL_S) / COMPRESSION) * 1000);
  if (!measured) return ok;
  if (ok) {
    sent.accepted += 1;
    if (changed) sent.changed += 1;
  } else {
    sent.refused += 1;
    const reason = describeFailure(reply);
    sent.failures.set(reason, (sent.failures.get(reason) ?? 0) + 1);
  }
  return ok;
}
log('setup: each host sends its first report…');
await pool(
  hosts.map((_, index) => () => send(index, false)),
  8,
);
const PROBE = HOSTS;
// Every schedule once, as a deployed project has run them before anyone looks (the overview may
// read what a schedule summarizes); not costed.
const schedules = (await listSchedules()).schedules.map((entry) => ({ ...entry, parsed: parseSchedule(entry.schedule) }));
for (const entry of schedules) await runScheduleNow(entry.name).catch((error) => log(`setup run of ${entry.name} failed: ${error.message}`));
const settled = await waitForQuiet({ maxCores: 0.15, maxMs: 300_000 });
log(`setup done; emulators idle after ${(settled.waitedMs / 1000).toFixed(0)} s`);

// ---- 3. The dashboard tab ----

let dashboard;
if (DASHBOARD_ON) {
  const { openOverview } = await import('./lib/dashboard-tab.mjs');
  try {
    dashboard = await openOverview(user);
    log(`dashboard: overview open, ${dashboard.loadReads.reads} reads for its load`);
  } catch (error) {
    // The run goes on without the tab; the summary says its reads are not in the total.
    log(`dashboard: the overview did not open (${error.message.split('\n')[0]}); going on without the tab`);
  }
}

// ---- 4. The measured window ----

const scheduleRuns = new Map(schedules.map((entry) => [entry.name, { runs: 0, failures: [], ms: 0 }]));
const logStart = existsSync(FUNCTIONS_LOG) ? statSync(FUNCTIONS_LOG).size : 0;
const before = proxy.snapshot();
const storedBefore = await storedDocuments(db, { sample: 0 });
const readsBefore = dashboard ? await dashboard.reads() : undefined;
const cpu = cpuByKind();
const functionCpu = cpuByFunction();
cpu.start();
functionCpu.start();
const windowStart = performance.now();
log(`window: ${HOSTS} hosts every ${INTERVAL_S} s for ${DURATION_S} s (x${COMPRESSION} compressed), schedules compressed alike…`);

// Schedules run one at a time (so the proxy can name the one running); a run due while another is
// still going waits its turn, and one that would start after the window is left out.
let scheduleQueue = Promise.resolve();
const scheduleTimers = [];
function queueSchedule(name) {
  scheduleQueue = scheduleQueue.then(async () => {
    const entry = scheduleRuns.get(name);
    const started = performance.now();
    scheduleRunning = name;
    try {
      await runScheduleNow(name);
    } catch (error) {
      entry.failures.push(error.message);
    } finally {
      scheduleRunning = undefined;
      entry.runs += 1;
      entry.ms += performance.now() - started;
    }
  });
}
for (const entry of schedules) {
  // A compressed cadence longer than the window, and a daily schedule, run once in its middle.
  if (entry.parsed.kind === 'interval' && entry.parsed.everyMs / COMPRESSION < DURATION_S * 1000) {
    const everyMs = Math.max(1000, entry.parsed.everyMs / COMPRESSION);
    for (let at = everyMs; at < DURATION_S * 1000; at += everyMs) scheduleTimers.push(setTimeout(() => queueSchedule(entry.name), at));
  } else {
    scheduleTimers.push(setTimeout(() => queueSchedule(entry.name), (DURATION_S * 1000) / 2));
  }
}

// Each host on the phase ingest's reply gave it (its report slot, compressed); a host without one
// (an ingest that names no slot) on its own phase spread over the interval, as before slots.
const inFlight = new Set();
const dues = [];
const slotted = opts.slots === 'on' ? slotPhases.size : 0;
for (let index = 0; index < HOSTS; index += 1) {
  const phase = (opts.slots === 'on' ? slotPhases.get(index) : undefined) ?? (index / HOSTS) * INTERVAL_S * 1000;
  for (let at = phase; at < DURATION_S * 1000; at += INTERVAL_S * 1000) dues.push({ at, index });
}
dues.sort((a, b) => a.at - b.at);
let maxInFlight = 0;
for (const due of dues) {
  const wait = windowStart + due.at - performance.now();
  if (wait > 0) await sleep(wait);
  const call = send(due.index, true).finally(() => inFlight.delete(call));
  inFlight.add(call);
  maxInFlight = Math.max(maxInFlight, inFlight.size);
}
await Promise.all(inFlight);
const sendingSeconds = (performance.now() - windowStart) / 1000;
for (const timer of scheduleTimers) clearTimeout(timer);
await scheduleQueue;
log(
  `sent ${sent.accepted + sent.refused} reports in ${sendingSeconds.toFixed(0)} s (at most ${maxInFlight} in flight; ${slotted} of ${HOSTS} hosts on ingest's report slots); waiting for the triggers to finish…`,
);
const drained = await waitForQuiet({ maxCores: 0.15, maxMs: 600_000 });
const windowSeconds = (performance.now() - windowStart) / 1000;
cpu.stop();
functionCpu.stop();
const counts = countsBetween(before, proxy.snapshot());
const readsAfter = dashboard ? await dashboard.reads() : undefined;
const invocations = invocationsIn(readTail(FUNCTIONS_LOG, logStart));
const indexesJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'firestore.indexes.json'), 'utf8'));
const storedAfter = await storedDocuments(db, { sample: 300, indexesJson });

// The probe, after the window's counts are taken: one report at a time from the probe agent, each
// waited out (every trigger it fires has run), all functions counted; unchanged first, then changed.
const probe = { unchanged: [], changed: [] };
for (const [kind, force] of [
  ['unchanged', false],
  ['changed', true],
]) {
  for (let i = 0; i < 3; i += 1) {
    const start = proxy.snapshot();
    const ok = await send(PROBE, false, force);
    await waitForQuiet({ maxCores: 0.15, maxMs: 30_000 });
    const diff = countsBetween(start, proxy.snapshot());
    const row = { reads: 0, writes: 0, deletes: 0, ok };
    for (const [label, ops] of Object.entries(diff)) {
      if (label === 'bench setup') continue;
      row.reads += ops.reads;
      row.writes += ops.writes;
      row.deletes += ops.deletes;
    }
    probe[kind].push(row);
  }
}
// Across instances (bench/lib/instance-probe.mjs), after every count above: two more hosts'
// unchanged reports round robin over SPREAD_INSTANCES in-process instances of the handler, each
// report reaching an instance whose copy of the agent is stale (as when reports spread over k
// deployed instances), one host with its ticket, one without; their reads through the proxy
// (this process's own port). The model prices the (k - 1)/k of reports at the measured reads.
const SPREAD_INSTANCES = 4;
const spreadInstances = await loadIngestInstances({ benchDir: BENCH_DIR, buildDir: BUILD_DIR, count: SPREAD_INSTANCES });
const spread = { instances: SPREAD_INSTANCES };
for (const [mode, offset] of [
  ['ticket', 1],
  ['none', 2],
]) {
  const host = simulatedHost({ template, index: HOSTS + offset, runId, changeRate: 0, failingShare: 0 });
  const agent = await createAgent(host.hostname);
  spread[mode] = await spreadOverInstances({
    instances: spreadInstances,
    key: agent.key,
    nextReport: () => host.next(new Date().toISOString(), INTERVAL_S, false).report,
    reports: 20,
    withTickets: mode === 'ticket',
    countReads: async (run) => {
      const start = proxy.snapshot();
      await run();
      return countsBetween(start, proxy.snapshot())['bench setup']?.reads ?? 0;
    },
  });
}
const retentionDays = (await db.doc(`workspaces/${workspaceId}`).get()).get('settings.retentionDays') ?? 30;
if (dashboard) await dashboard.close();
const rebuilt = functionsBundle.rebuilt();

// ---- 5. The figures ----

/** LIMITS.reportCheckpointSeconds where the code has one (a stored report at least that often), else undefined. */
function checkpointSecondsInCode() {
  const limits = path.join(REPO_ROOT, 'schema', 'src', 'limits.ts');
  const match = existsSync(limits) ? /reportCheckpointSeconds:\s*([\d_ *]+)/.exec(readFileSync(limits, 'utf8')) : null;
  if (!match) return undefined;
  const value = match[1]
    .replaceAll('_', '')
    .split('*')
    .reduce((product, factor) => product * Number(factor.trim()), 1);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

function readTail(file, offset) {
  if (!existsSync(file)) return '';
  const size = statSync(file).size;
  const buffer = Buffer.alloc(Math.max(0, size - offset));
  const fd = openSync(file, 'r');
  readSync(fd, buffer, 0, buffer.length, offset);
  closeSync(fd);
  return buffer.toString('utf8');
}

const modelInputs = {
  hosts: HOSTS,
  intervalSeconds: INTERVAL_S,
  windowSeconds,
  reports: { accepted: sent.accepted, changed: sent.changed },
  counts,
  invocations,
  functionCpu: functionCpu.totals(),
  schedules: schedules.map((entry) => ({ ...entry, ...scheduleRuns.get(entry.name) })),
  dashboard: dashboard ? { loadReads: dashboard.loadReads, before: readsBefore, after: readsAfter } : undefined,
  stored: { before: storedBefore, after: storedAfter, retentionDays, indexesJson },
  probe,
  spread,
  checkpointSeconds: checkpointSecondsInCode(),
  resources: deployedResources(readFileSync(path.join(REPO_ROOT, 'functions', 'src', 'index.ts'), 'utf8')),
  modelHosts: MODEL_HOSTS,
};
const runFacts = {
  code: measuredCode(),
  command: `node bench/fleet.mjs --hosts ${HOSTS} --interval ${INTERVAL_S} --duration ${DURATION_S} --slots ${opts.slots}`,
  loadavg: os.loadavg(),
  cpus: os.cpus().length,
  selfCheck,
  drainedSeconds: drained.waitedMs / 1000,
  refused: sent.refused,
  slotted,
  maxInFlight,
  failures: [...sent.failures],
  scheduleFailures: [...scheduleRuns].flatMap(([name, entry]) => entry.failures.map((failure) => `${name}: ${failure}`)),
  cpuByKind: cpu.totals(),
  workers: proxy.workers(),
  counts,
  invocations,
  functionCpu: functionCpu.totals(),
  rebuilt,
};
// The model's inputs and the run's facts, kept so the cost model can be re-read from this run.
writeFileSync(path.join(BUILD_DIR, 'fleet-inputs.json'), `${JSON.stringify({ modelInputs, run: runFacts })}\n`);
const { reportPhaseSeconds } = await loadReportPhase();
const model = costModel({ ...modelInputs, phaseOf: reportPhaseSeconds });
const summary = formatReport({ model, run: runFacts });
console.log(`\n${summary}`);
if (opts['summary-file']) writeFileSync(path.join(REPO_ROOT, opts['summary-file']), `${summary}\n`);
await proxy.stop();
process.exit(rebuilt ? 4 : selfCheck.ok ? 0 : 1);
