#!/usr/bin/env node
// The ingest benchmark proper. It runs INSIDE the emulators (auth, firestore, functions, pubsub);
// start it with `node bench/ingest.mjs`, which builds functions/ and wraps this file in the harness:
//   node scripts/emulators.mjs exec --only auth,firestore,functions,pubsub -- node bench/ingest-run.mjs [options]
//
// Options: --agents N (20)  --reports R per agent (20, at most the burst capacity of 30)
//          --concurrency C (8)  --rate R calls per second (open loop, instead of C)
//          --warmup W rounds (3)  --count K steady-state reports (10)
//          --triggers on|off (on: background triggers such as onReportCreated run during the
//          measured phases, as deployed; off isolates the callable)  --instances K (4)
//          --summary-file PATH
//
// Phases, all in one run:
//   1. enroll: one Auth-emulator user, bootstrapWorkspace, the workspace's maxAgents set to the
//      N + C + 1 agents it enrolls (the operator's override of MAX_AGENTS_PER_WORKSPACE, with the
//      Admin SDK), then createAgent for N measured agents, C warm-up agents and one agent for
//      counting, over HTTP as any client would.
//   2. warm-up: W rounds of C concurrent calls of each callable. The functions emulator runs one
//      request per worker process and forks a worker (a cold start) whenever none is idle, so
//      warming at the measured concurrency keeps cold starts out of the figures.
//   3. measure: R rounds. In each, every agent sends its next report to ingestReport: the report the
//      agent's release bundle collects over its captured fixtures (bench/lib/fleet-reports.mjs), with
//      a unique reportId, collectedAt the moment it is sent, X-Vigil-Key: a live report, as an agent
//      sends it. Its metrics move every report; its content (a test's outcome or a configuration
//      value) changes in 1 report in CHANGE_EVERY, so most reports are unchanged and ingest writes only
//      the agent document, as in a fleet (store-decision.ts). Which reports were stored, and why, is
//      read afterwards from the documents (storedBecause), and latency is shown for the unchanged
//      ones and for all. The floor callable benchFloorWrite (writes one document) gets as many calls
//      with the very same payload, both at concurrency C (closed
//      loop: a call starts when one ends), or with --rate R both at R calls per second with random
//      (Poisson) gaps whether or not earlier calls have answered (open loop: how a fleet's reports
//      arrive). The order alternates round by round, so machine noise falls on both. Latency is
//      client wall time per request; throughput is accepted calls / time spent in that callable's
//      phases.
//   4. count: the real handlers (functions/src/ingest/ingest-report.ts and, where it exists, the
//      onReportCreated trigger, called only for a report whose document exists: the trigger runs
//      only on stored reports; bundled by esbuild) are called in-process against the Firestore
//      emulator with the counters of count-ops-entry.ts on, each case counted apart: the first
//      report, K unchanged steady-state reports (alternating with the floor handler, for a timing
//      breakdown), a retried (duplicate) report, a report from an agent marked offline, a checkpoint
//      (the agent's lastStoredAt set a day back), CHANGED_COUNT reports whose content changed, an
//      unknown key. Then the per-report figure amortized over a stated mix (MIX below). The
//      emulated background triggers are disabled first, so they don't process these reports too.
//   5. across instances (bench/lib/instance-probe.mjs): two more agents' unchanged reports round
//      robin over --instances in-process instances of the handler (each its own module, so its own
//      cache), every report reaching an instance whose copy of the agent is stale: one agent sends
//      the ticket of its previous reply, as the agent does, the other none (the baseline). Reads per
//      report, the handler's time and the ticket's size for each.
// The measured agents send each reply's ticket with their next report (X-Vigil-Ticket), as the
// agent does, so the latency and CPU figures include the ticket's bytes, MAC and inflate.
import { build } from 'esbuild';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { collectFixtureReport, simulatedHost } from './lib/fleet-reports.mjs';
import { loadIngestInstances, spreadOverInstances } from './lib/instance-probe.mjs';
import { cpuByKind } from './process-cpu.mjs';
import {
  ascending,
  PROJECT_ID,
  callAs,
  createAgentWithKey,
  callHttp,
  describeFailure,
  fmt,
  integerOption,
  measuredCode,
  median,
  pad,
  percentile,
  pool,
  signUp,
  sleep,
  verdict,
  watchFunctionsBundle,
} from './bench-lib.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const BUILD_DIR = path.join(BENCH_DIR, '.build');
const REPO_ROOT = path.dirname(BENCH_DIR);
const TARGET_RATIO = 1.5;
const TARGET_READS = 2;
const TARGET_WRITES = 3;
/** In the measured phase, 1 report in CHANGE_EVERY (per agent, staggered) changes its content. */
const CHANGE_EVERY = 10;
/** Reports whose content changed, counted in-process. */
const CHANGED_COUNT = 3;
/** The counting agent's reports besides the K steady ones: first, back from offline, checkpoint, the changes. */
const COUNT_EXTRA_REPORTS = 3 + CHANGED_COUNT;

const { values: opts } = parseArgs({
  options: {
    agents: { type: 'string', default: '20' },
    reports: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '8' },
    rate: { type: 'string' },
    triggers: { type: 'string', default: 'on' },
    warmup: { type: 'string', default: '3' },
    count: { type: 'string', default: '10' },
    instances: { type: 'string', default: '4' },
    'summary-file': { type: 'string' },
  },
});
const AGENTS = integerOption(opts, 'agents');
const REPORTS = integerOption(opts, 'reports');
const CONCURRENCY = integerOption(opts, 'concurrency');
const RATE = opts.rate === undefined ? undefined : integerOption(opts, 'rate');
const WARMUP = integerOption(opts, 'warmup');
const COUNT = integerOption(opts, 'count');
const INSTANCES = integerOption(opts, 'instances');
/** Reports per agent spread over the instances (after a warm-up round of one per instance), within the burst. */
const SPREAD_REPORTS = 20;
if (!['on', 'off'].includes(opts.triggers)) {
  console.error(`--triggers must be on or off, got ${opts.triggers}`);
  process.exit(2);
}
const TRIGGERS_ON = opts.triggers === 'on';

if (!process.env.FIRESTORE_EMULATOR_HOST) {
  console.error('FIRESTORE_EMULATOR_HOST is not set: run `node bench/ingest.mjs` (it starts the emulators).');
  process.exit(2);
}

// firebase-functions' logger captures console.* when it loads: wrap them first, so the in-process
// handler's "report accepted" lines can be silenced while counting.
let quiet = false;
for (const method of ['debug', 'info', 'log', 'warn']) {
  const original = console[method].bind(console);
  console[method] = (...args) => {
    if (!quiet) original(...args);
  };
}

// ---------- helpers ----------

// ---------- the handler bundle (also the source of the report fixture) ----------

const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The SDKs stay external, so the bundles and firebase-admin share one @google-cloud/firestore.
  external: ['firebase-admin', 'firebase-admin/*', 'firebase-functions', 'firebase-functions/*', '@google-cloud/firestore', 'zod'],
  logLevel: 'warning',
};

async function loadCountOps() {
  mkdirSync(BUILD_DIR, { recursive: true });
  const outfile = path.join(BUILD_DIR, 'count-ops.mjs');
  await build({ ...BUNDLE_OPTIONS, entryPoints: [path.join(BENCH_DIR, 'count-ops-entry.ts')], outfile });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

/** The onReportCreated trigger, bundled the same way, or undefined where functions/ has none. */
async function loadTrigger() {
  const source = path.join(BENCH_DIR, '..', 'functions', 'src', 'alerts', 'on-report-created.ts');
  if (!existsSync(source)) return undefined;
  const outfile = path.join(BUILD_DIR, 'count-trigger.mjs');
  await build({ ...BUNDLE_OPTIONS, entryPoints: [path.join(BENCH_DIR, 'count-trigger-entry.ts')], outfile });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

// ---------- phases ----------

const ops = await loadCountOps();
if (REPORTS > ops.BURST_CAPACITY) {
  console.warn(`warning: --reports ${REPORTS} exceeds the per-agent burst capacity (${ops.BURST_CAPACITY}); expect resource-exhausted errors.`);
}
if (COUNT + COUNT_EXTRA_REPORTS > ops.BURST_CAPACITY) {
  console.error(`--count ${COUNT} is too high: the counting agent sends ${COUNT + COUNT_EXTRA_REPORTS} reports and may burst ${ops.BURST_CAPACITY}.`);
  process.exit(2);
}
// The report the agent's release bundle collects over every plugin's captured fixture: a real
// report's size and shape (every solution Vigil knows, all tests passing).
console.log('[bench] collecting the report template from the agent fixtures…');
const template = collectFixtureReport(REPO_ROOT, BUILD_DIR);
const runId = Date.now().toString(36);
const INTERVAL_SECONDS = ops.DEFAULT_WORKSPACE_SETTINGS.reportingIntervalSeconds;

/**
 * A simulated host per agent (its own hostname and report ids; metrics and durations move every
 * report). Index ranges keep the groups apart: measured 0.., warm-up 10000.., counting 20000.
 */
const hostFor = (index) => simulatedHost({ template, index, runId, changeRate: 0, failingShare: 0 });
/** The host's next report: content changed when `changed`, else only metrics and times move. */
const nextReport = (host, changed) => host.next(new Date().toISOString(), INTERVAL_SECONDS, changed).report;

/**
 * The report as sent now: an agent collects just before it sends, so collectedAt is the moment of
 * sending, a live report with no clock skew (ingest orders by receipt, and stores the skew it
 * measures on the agent). The same length whatever the time, so both callables' payloads stay equal.
 */
const sentNow = (report) => ({ ...report, collectedAt: new Date().toISOString() });

/** Each agent's latest ticket (by key), sent with its next report as the agent does. */
const tickets = new Map();
function ingestCall(agent, report) {
  return async () => {
    const ticket = tickets.get(agent.key);
    const reply = await callHttp('ingestReport', sentNow(report), { 'x-vigil-key': agent.key, ...(ticket ? { 'x-vigil-ticket': ticket } : {}) });
    const result = reply.json?.result;
    if (typeof result?.ticket === 'string') tickets.set(agent.key, result.ticket);
    else tickets.delete(agent.key);
    const ok = reply.status === 200 && result?.accepted === true && result?.duplicate === false;
    return {
      ...reply,
      reportId: report.reportId,
      ok,
      failure: ok ? undefined : result?.duplicate ? 'HTTP 200 but duplicate: true' : describeFailure(reply),
    };
  };
}

function floorCall(payload) {
  return async () => {
    const reply = await callHttp('benchFloorWrite', sentNow(payload));
    const ok = reply.status === 200 && reply.json?.result?.ok === true;
    return { ...reply, ok, failure: ok ? undefined : describeFailure(reply) };
  };
}

/** Stops the emulated background triggers (onReportCreated, …), through the emulator hub. */
async function disableBackgroundTriggers() {
  const hub = process.env.FIREBASE_EMULATOR_HUB || '127.0.0.1:4400';
  const reply = await fetch(`http://${hub}/functions/disableBackgroundTriggers`, { method: 'PUT' }).catch((error) => error);
  if (!reply?.ok) console.warn(`[bench] could not disable background triggers: ${reply?.status ?? reply}`);
}

/** Starts the thunks at `rate` per second with exponential gaps (a Poisson process), however many are in flight. */
async function openLoop(tasks, rate) {
  const started = performance.now();
  let due = 0;
  const calls = [];
  for (const task of tasks) {
    const wait = started + due - performance.now();
    if (wait > 0) await sleep(wait);
    calls.push(task());
    due += (-Math.log(1 - Math.random()) / rate) * 1000;
  }
  return Promise.all(calls);
}

/** Measured phases: closed loop at --concurrency, or open loop at --rate. Warm-up is always closed loop. */
async function runPhase(tasks, { warmup = false } = {}) {
  const started = performance.now();
  const results = RATE && !warmup ? await openLoop(tasks, RATE) : await pool(tasks, CONCURRENCY);
  return { results, seconds: (performance.now() - started) / 1000 };
}

const functionsBundle = watchFunctionsBundle();
const measuredTree = measuredCode();

console.log(`[bench] enrolling ${AGENTS} agents (+${CONCURRENCY} warm-up, +1 for counting)…`);
const { idToken } = await signUp();
const { workspaceId } = await callAs(idToken, 'bootstrapWorkspace', {});
// Room for every agent this run enrolls, whatever MAX_AGENTS_PER_WORKSPACE is (default 1,000).
await ops
  .firestore()
  .doc(`workspaces/${workspaceId}`)
  .update({ maxAgents: AGENTS + CONCURRENCY + 3 });
const enroll = (name) => () => createAgentWithKey(idToken, workspaceId, name);
const agents = await pool(
  Array.from({ length: AGENTS }, (_, i) => enroll(`bench-a${i}`)),
  Math.min(CONCURRENCY, 4),
);
const warmAgents = await pool(
  Array.from({ length: CONCURRENCY }, (_, i) => enroll(`bench-w${i}`)),
  Math.min(CONCURRENCY, 4),
);
const countAgent = await createAgentWithKey(idToken, workspaceId, 'bench-count');
const spreadAgents = {
  ticket: await createAgentWithKey(idToken, workspaceId, 'bench-spread-ticket'),
  none: await createAgentWithKey(idToken, workspaceId, 'bench-spread-none'),
};
const hosts = agents.map((_, i) => hostFor(i));
const warmHosts = warmAgents.map((_, i) => hostFor(10_000 + i));

if (!TRIGGERS_ON) await disableBackgroundTriggers();
console.log(`[bench] warm-up: ${WARMUP} rounds of ${CONCURRENCY} concurrent calls per callable…`);
const warmFailures = [];
let warmMax = { ingest: 0, floor: 0 };
for (let round = 0; round < WARMUP; round += 1) {
  const reports = warmHosts.map((host) => nextReport(host, false));
  const ingest = await runPhase(
    warmAgents.map((agent, i) => ingestCall(agent, reports[i])),
    { warmup: true },
  );
  const floor = await runPhase(
    reports.map((report) => floorCall(report)),
    { warmup: true },
  );
  for (const r of ingest.results) warmMax.ingest = Math.max(warmMax.ingest, r.ms);
  for (const r of floor.results) warmMax.floor = Math.max(warmMax.floor, r.ms);
  warmFailures.push(...[...ingest.results, ...floor.results].filter((r) => !r.ok).map((r) => r.failure));
}

console.log(`[bench] measuring: ${REPORTS} alternating rounds of ${AGENTS} ingest + ${AGENTS} floor calls…`);
const measured = {
  ingest: { results: [], seconds: 0 },
  floor: { results: [], seconds: 0 },
};
const roundRatios = [];
const cpu = { ingest: cpuByKind(), floor: cpuByKind() };
const loadBefore = loadavg();
/** Each measured agent's last two report ids (the liveness check) and every report sent (stored or not, read after). */
const lastReportIds = [];
const previousReportIds = [];
const lastIntents = [];
const sentReports = [];
for (let round = 0; round < REPORTS; round += 1) {
  // Report number round × N + i changes its content when that number is a multiple of CHANGE_EVERY
  // (never an agent's first, which is stored anyway): 1 report in CHANGE_EVERY, whatever N and R.
  const intents = hosts.map((_, i) => (round === 0 ? 'first' : (round * AGENTS + i) % CHANGE_EVERY === 0 ? 'changed' : 'unchanged'));
  const reports = hosts.map((host, i) => nextReport(host, intents[i] === 'changed'));
  reports.forEach((report, i) => {
    previousReportIds[i] = lastReportIds[i];
    lastReportIds[i] = report.reportId;
    lastIntents[i] = intents[i];
    sentReports.push({ agent: i, reportId: report.reportId, intent: intents[i] });
  });
  const phases = {
    ingest: () => runPhase(agents.map((agent, i) => ingestCall(agent, reports[i]))),
    // The very payloads ingest gets: the same bytes whatever the report.
    floor: () => runPhase(reports.map((report) => floorCall(report))),
  };
  const order = round % 2 === 0 ? ['ingest', 'floor'] : ['floor', 'ingest'];
  const roundP50 = {};
  for (const kind of order) {
    cpu[kind].start();
    const phase = await phases[kind]();
    cpu[kind].stop();
    measured[kind].results.push(...phase.results);
    measured[kind].seconds += phase.seconds;
    roundP50[kind] = percentile(ascending(phase.results.filter((r) => r.ok).map((r) => r.ms)), 50);
  }
  roundRatios.push(roundP50.ingest / roundP50.floor);
}

const loadAfter = loadavg();
const rebuiltDuringRun = functionsBundle.rebuilt();

function latencyRow(label, { results, seconds }) {
  const ok = results.filter((r) => r.ok);
  const sorted = ascending(ok.map((r) => r.ms));
  return {
    label,
    count: results.length,
    errors: results.length - ok.length,
    throughput: ok.length / seconds,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    failures: results.filter((r) => !r.ok).map((r) => r.failure),
  };
}

// ---------- counting, in-process ----------

console.log(`[bench] counting Firestore operations of the real handlers in-process (${COUNT} steady-state reports)…`);
const db = ops.firestore();
const trigger = await loadTrigger();

// What the store decision did with the measured reports: each stored one's storedBecause, from its
// document (the reply does not say). A report with no document was not stored (only its agent written).
const storedMeasured = new Map();
await Promise.all(
  agents.map(async (agent) => {
    const reports = await db.collection(`workspaces/${workspaceId}/agents/${agent.agentId}/reports`).get();
    for (const doc of reports.docs) storedMeasured.set(doc.id, doc.get('storedBecause') ?? '(none)');
  }),
);
const measuredReasons = new Map();
const measuredProblems = [];
for (const { reportId, intent } of sentReports) {
  const reason = storedMeasured.get(reportId) ?? 'not stored';
  measuredReasons.set(reason, (measuredReasons.get(reason) ?? 0) + 1);
  // An agent's first report and a changed one are always stored; an unchanged one only as a step of
  // a failure streak (a change may have made a test fail) or a checkpoint (not within a run).
  const allowed = intent === 'unchanged' ? ['not stored', 'streak'] : [intent];
  if (!allowed.includes(reason)) measuredProblems.push(`${reportId} (${intent}): storedBecause ${reason}, expected ${allowed.join(' or ')}`);
}

// How far the emulated onReportCreated had got when measuring ended: each agent's state document
// names the last stored report the trigger applied (report ids sort by sequence within an agent).
// Its backlog loaded the machine during both phases.
let triggerLag;
if (trigger && TRIGGERS_ON) {
  const lags = await Promise.all(
    agents.map(async (agent, i) => {
      const state = await db.doc(`workspaces/${workspaceId}/agents/${agent.agentId}/state/current`).get();
      const applied = String(state.get('reportId') ?? '');
      return sentReports.filter((sent) => sent.agent === i && storedMeasured.has(sent.reportId) && sent.reportId > applied).length;
    }),
  );
  triggerLag = { behind: lags.reduce((a, b) => a + b, 0), caughtUp: lags.filter((lag) => lag === 0).length };
}

// The measured reports were taken as live, as an agent's are: each agent's document names its last
// report as the newest (no backfill, receipt order kept), or the one before it when the last was an
// unchanged report whose agent write was deferred (functions/src/ingest/deferred-write.ts: never
// two in a row), and a clock skew the dashboard does not warn about (within
// LIMITS.clockSkewSeconds either way; on one machine it is the queueing before the handler).
const liveProblems = [];
let maxSkewSeconds = 0;
for (const [i, agent] of agents.entries()) {
  const stored = await db.doc(`workspaces/${workspaceId}/agents/${agent.agentId}`).get();
  const lastId = lastReportIds[i];
  const skew = stored.get('clockSkewSeconds');
  const storedId = stored.get('lastReportId');
  const deferrable = lastIntents[i] === 'unchanged';
  if (storedId !== lastId && !(deferrable && storedId === previousReportIds[i])) {
    liveProblems.push(`agent ${i}: lastReportId ${storedId}, expected ${lastId} (or ${previousReportIds[i]}, the last report deferred)`);
  }
  if (typeof skew !== 'number' || Math.abs(skew) > ops.LIMITS.clockSkewSeconds) liveProblems.push(`agent ${i}: clockSkewSeconds ${skew}`);
  else maxSkewSeconds = Math.max(maxSkewSeconds, Math.abs(skew));
}

// The emulated onReportCreated must not process the reports counted here: the in-process call
// does, with counters on. (Reports it had not reached are dropped, not processed.)
if (TRIGGERS_ON) await disableBackgroundTriggers();

ops.installCounters();
if (!ops.countersInstalledOn(db)) {
  throw new Error("firebase-admin's Firestore is not the @google-cloud/firestore class the counters patched");
}

/** Runs one handler call in-process with counting on. */
async function counted(label, run) {
  const before = ops.snapshotCounts();
  let reply;
  let error;
  quiet = true;
  ops.startCounting();
  const started = performance.now();
  try {
    reply = await run();
  } catch (caught) {
    error = caught;
  } finally {
    ops.stopCounting();
    quiet = false;
  }
  const ms = performance.now() - started;
  return { label, reply, error, ms, counts: ops.diffCounts(ops.snapshotCounts(), before) };
}

const agentPath = `workspaces/${workspaceId}/agents/${countAgent.agentId}`;
const countKey = { 'x-vigil-key': countAgent.key };
/** A minimal CallableRequest: what the handlers read of it. */
const callable = (data, headers = {}) => ({ rawRequest: { headers }, data, acceptsStreaming: false });

/** The trigger as the runtime would call it, on the stored report (fetched with counters off). */
async function countTrigger(label, reportId) {
  const snapshot = await db.doc(`${agentPath}/reports/${reportId}`).get();
  const event = {
    specversion: '1.0',
    id: `bench-${reportId}`,
    source: `//firestore.googleapis.com/projects/${PROJECT_ID}/databases/(default)`,
    type: 'google.cloud.firestore.document.v1.created',
    time: new Date().toISOString(),
    document: snapshot.ref.path,
    data: snapshot,
    params: { workspaceId, agentId: countAgent.agentId, reportId },
  };
  return counted(label, () => trigger.onReportCreated(event));
}

/**
 * ingestReport in-process, then, only when the report's document exists (the store decision stored
 * it: the one case the deployed trigger fires), the trigger on it. `storedBecause` is read from that
 * document (counters off), null when the report was not stored.
 */
async function ingestCounted(label, report, headers = countKey) {
  const ingest = await counted(label, () => ops.ingestReport(callable(report, headers)));
  const document = await db.doc(`${agentPath}/reports/${report.reportId}`).get();
  const storedBecause = document.exists ? (document.get('storedBecause') ?? '(none)') : null;
  const fresh = !ingest.error && ingest.reply?.duplicate === false;
  return { report, storedBecause, ingest, trigger: trigger && fresh && document.exists ? await countTrigger(label, report.reportId) : undefined };
}

const countHost = hostFor(20_000);
// The instance's hourly count of the project's agents (fleet-size.ts) is the instance's, not the
// first report's: taken before counting, and priced apart (docs/architecture.md, "Cost model").
await ops.projectFleetSize.settled();
const first = await ingestCounted('first report (agent never seen)', nextReport(countHost, false));
// Steady state, one call at a time, alternating with the floor handler (also timed, also counted):
// metrics move, the content does not, so nothing but the agent document is written.
const steady = [];
const floorInProcess = [];
let lastSteadyReport;
for (let i = 1; i <= COUNT; i += 1) {
  const report = nextReport(countHost, false);
  const ingestOne = async () => {
    lastSteadyReport = sentNow(report);
    steady.push(await ingestCounted('unchanged', lastSteadyReport));
  };
  const floorOne = async () => floorInProcess.push(await counted('floorWrite', () => ops.floorWrite(callable(sentNow(report)))));
  for (const step of i % 2 === 1 ? [ingestOne, floorOne] : [floorOne, ingestOne]) await step();
}
// A retry resends the very report, collectedAt and all.
const duplicate = await ingestCounted('duplicate (retried reportId)', lastSteadyReport);
// An agent the silence detector marked offline comes back (content unchanged): the handler may write
// more (agent_online), and the Admin SDK's edit makes the instance's cached agent stale.
await db.doc(agentPath).update({ status: 'offline' });
const backOnline = await ingestCounted('back from offline', sentNow(nextReport(countHost, false)));
// The daily checkpoint: the newest stored report made a day old, the content unchanged. The edit
// makes the cache stale too (a refused commit and a read more than a checkpoint costs in a fleet).
await db.doc(agentPath).update({ lastStoredAt: new Date(Date.now() - (ops.LIMITS.reportCheckpointSeconds + 3600) * 1000) });
const checkpoint = await ingestCounted('checkpoint (lastStoredAt a day back)', sentNow(nextReport(countHost, false)));
// Content changed (a test's outcome or a configuration value): the report is stored, its trigger runs.
const changed = [];
for (let i = 0; i < CHANGED_COUNT; i += 1) changed.push(await ingestCounted('changed', sentNow(nextReport(countHost, true))));
const unknownKey = await ingestCounted('unknown key', sentNow(nextReport(countHost, false)), {
  'x-vigil-key': `vgl_${'a'.repeat(16)}_${'A'.repeat(43)}`,
});

// Across instances: every report reaches an instance whose copy of the agent is stale.
const instances = await loadIngestInstances({ benchDir: BENCH_DIR, buildDir: BUILD_DIR, count: INSTANCES });
const countReads = async (run) => {
  const before = ops.snapshotCounts();
  ops.startCounting();
  try {
    await run();
  } finally {
    ops.stopCounting();
  }
  return ops.diffCounts(ops.snapshotCounts(), before).reads;
};
const spread = {};
for (const [mode, index] of [
  ['ticket', 30_000],
  ['none', 30_001],
]) {
  const host = hostFor(index);
  spread[mode] = await spreadOverInstances({
    instances,
    key: spreadAgents[mode].key,
    nextReport: () => sentNow(nextReport(host, false)),
    reports: SPREAD_REPORTS,
    withTickets: mode === 'ticket',
    countReads,
  });
}

// What the counted calls left in Firestore (read with counters off): the reports stored are the ones
// whose document the store decision wrote, each with the reason ingest gave it.
const storedDocs = (await db.collection(`${agentPath}/reports`).get()).docs;
const storedReports = new Map(storedDocs.map((doc) => [doc.id, doc.get('storedBecause')]));
/** Every accepted, not duplicate, counted call, with the storedBecause it must have (null: not stored). */
const expectedStored = [
  [first, 'first'],
  ...steady.map((s) => [s, null]),
  [backOnline, null],
  [checkpoint, 'checkpoint'],
  ...changed.map((s) => [s, 'changed']),
];

/** What is wrong with one counted call: an unexpected outcome, or tallies that disagree. */
function callProblems(call, expect) {
  const problems = [];
  if (expect === 'refused') {
    if (!call.error) problems.push(`expected a refusal, got ${JSON.stringify(call.reply)}`);
  } else if (call.error) problems.push(`threw ${call.error.code ?? ''} ${call.error.message}`);
  else if (expect !== 'any' && call.reply?.duplicate !== (expect === 'duplicate')) problems.push(`reply ${JSON.stringify(call.reply)}`);
  const c = call.counts;
  if (c.apiReads !== c.reads) problems.push(`api reads ${c.apiReads} != rpc reads ${c.reads}`);
  if (c.apiWritesStaged !== c.writesAttempted) problems.push(`api writes staged ${c.apiWritesStaged} != rpc writes ${c.writesAttempted}`);
  return problems.map((problem) => `${call.label}: ${problem}`);
}

const rpcList = (rpcs) =>
  Object.entries(rpcs)
    .map(([name, n]) => `${name}×${n}`)
    .join(', ') || '-';

// ---------- summary ----------

const ingestRow = latencyRow('ingestReport', measured.ingest);
const floorRow = latencyRow('benchFloorWrite (floor)', measured.floor);
// The unchanged reports alone (no report document written): what most of a fleet's reports cost.
const unchangedRow = latencyRow('  of which not stored', {
  results: measured.ingest.results.filter((r) => !storedMeasured.has(r.reportId)),
  seconds: NaN,
});
const ratio = ingestRow.p50 / floorRow.p50;
const ratioUnchanged = unchangedRow.p50 / floorRow.p50;
const ratioMedian = median(roundRatios);
const meanOf = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const steadyIngest = steady.map((s) => s.ingest);
/** Reads and writes of a counted case: ingest plus the trigger its stored report fires, if any. */
const endToEnd = (s) => ({
  reads: s.ingest.counts.reads + (s.trigger?.counts.reads ?? 0),
  writes: s.ingest.counts.writesCommitted + (s.trigger?.counts.writesCommitted ?? 0),
});
const meanCost = (cases) => ({ reads: meanOf(cases.map((s) => endToEnd(s).reads)), writes: meanOf(cases.map((s) => endToEnd(s).writes)) });
const unchangedCost = meanCost(steady);
const storedCost = meanCost(changed);
// The mix a fleet sends (an assumption, stated): 1 report in MIX_CHANGE_EVERY changes its content,
// and the daily checkpoint stores 1 in reportCheckpointSeconds / interval (288 at 300 s). A
// checkpoint costs what a changed report costs once the cache is current, so `changed` prices both.
const MIX_CHANGE_EVERY = 50;
const checkpointEvery = ops.LIMITS.reportCheckpointSeconds / INTERVAL_SECONDS;
const storedShare = 1 / MIX_CHANGE_EVERY + 1 / checkpointEvery;
const amortized = {
  reads: (1 - storedShare) * unchangedCost.reads + storedShare * storedCost.reads,
  writes: (1 - storedShare) * unchangedCost.writes + storedShare * storedCost.writes,
};

const lines = [];
const out = (line = '') => lines.push(line);
const loadText = (load) => load.map((value) => value.toFixed(2)).join(' ');
out('================ Vigil ingest benchmark ================');
out(
  `run ${runId}: ${AGENTS} agents x ${REPORTS} reports, ${RATE ? `open loop at ${RATE} calls/s (Poisson arrivals)` : `concurrency ${CONCURRENCY}`}, ${REPORTS} alternating rounds ` +
    `(+${WARMUP} warm-up), request body ${measured.ingest.results[0]?.bytes ?? '?'} bytes (both callables; the report the agent collects over its fixtures)`,
);
out(`code measured: ${measuredTree}`);
out(
  TRIGGERS_ON
    ? 'background triggers on: each stored report also runs onReportCreated in the emulator, as deployed'
    : 'background triggers OFF (--triggers off): ingest measured without the work its reports trigger',
);
if (rebuiltDuringRun) {
  out('WARNING: functions/lib was rebuilt during the run (by another process): the functions emulator');
  out('         reloaded mid-measurement, with cold starts. Do not use these latency figures; run again.');
}
out(
  `load average (1, 5, 15 min): ${loadText(loadBefore)} when measuring began, ${loadText(loadAfter)} when it ended (${availableParallelism()} cores)`,
);
out(`warm-up: max latency ingest ${fmt(warmMax.ingest)} ms, floor ${fmt(warmMax.floor)} ms; failures ${warmFailures.length}`);
out(
  `measured reports by storedBecause (from the documents): ${[...measuredReasons].map(([reason, n]) => `${reason} ${n}`).join(', ')} ` +
    `(content changed in 1 report in ${CHANGE_EVERY} after each agent's first)`,
);
out();
out(
  `${'callable'.padEnd(26)}${pad('count', 6)}${pad('errors', 8)}${pad('req/s', 9)}${pad('p50 ms', 9)}${pad('p90 ms', 9)}${pad('p99 ms', 9)}${pad('max ms', 9)}`,
);
for (const row of [ingestRow, unchangedRow, floorRow]) {
  out(
    `${row.label.padEnd(26)}${pad(row.count, 6)}${pad(row.errors, 8)}${pad(fmt(row.throughput), 9)}` +
      `${pad(fmt(row.p50), 9)}${pad(fmt(row.p90), 9)}${pad(fmt(row.p99), 9)}${pad(fmt(row.max), 9)}`,
  );
}
for (const row of [ingestRow, floorRow]) {
  const tally = new Map();
  for (const failure of row.failures) tally.set(failure, (tally.get(failure) ?? 0) + 1);
  for (const [failure, n] of tally) out(`  ${row.label} error ×${n}: ${failure}`);
}
for (const failure of new Set(warmFailures)) out(`  warm-up error: ${failure}`);
out();
out(
  `p50 ratio ingest/floor, unchanged reports = ${fmt(ratioUnchanged, 2)} (target <= ${TARGET_RATIO}) -> ${verdict(ratioUnchanged <= TARGET_RATIO)}`,
);
out(`p50 ratio ingest/floor, all reports = ${fmt(ratio, 2)} (target <= ${TARGET_RATIO}) -> ${verdict(ratio <= TARGET_RATIO)}`);
out(
  `median of per-round p50 ratios (all reports) = ${fmt(ratioMedian, 2)} over ${roundRatios.length} rounds ` +
    `(min ${fmt(Math.min(...roundRatios), 2)}, max ${fmt(Math.max(...roundRatios), 2)})`,
);
out(
  `p99 ratio ingest/floor = ${fmt(ingestRow.p99 / floorRow.p99, 2)}; throughput ratio ingest/floor = ${fmt(ingestRow.throughput / floorRow.throughput, 2)}`,
);
{
  // Where each callable's phases spent CPU on this machine, per accepted call (ms): which process
  // does the extra work of an ingest call over a floor call.
  const perCall = (kind, count) => Object.fromEntries(Object.entries(cpu[kind].totals()).map(([k, v]) => [k, (v * 1000) / count]));
  const ingestCpu = perCall('ingest', ingestRow.count - ingestRow.errors);
  const floorCpu = perCall('floor', floorRow.count - floorRow.errors);
  const kinds = [...new Set([...Object.keys(ingestCpu), ...Object.keys(floorCpu)])].sort();
  const sum = (table) => Object.values(table).reduce((a, b) => a + b, 0);
  out('CPU ms per call during the measured phases, by process (this machine, /proc; background triggers included):');
  for (const kind of kinds) out(`  ${kind.padEnd(22)} ingest ${pad(fmt(ingestCpu[kind] ?? 0), 6)}   floor ${pad(fmt(floorCpu[kind] ?? 0), 6)}`);
  out(
    `  ${'total'.padEnd(22)} ingest ${pad(fmt(sum(ingestCpu)), 6)}   floor ${pad(fmt(sum(floorCpu)), 6)}   ratio ${fmt(sum(ingestCpu) / sum(floorCpu), 2)}`,
  );
}
if (triggerLag) {
  out(
    `emulated onReportCreated when measuring ended: about ${triggerLag.behind} of ${storedMeasured.size} stored measured reports ` +
      `not yet processed; caught up on ${triggerLag.caughtUp}/${AGENTS} agents`,
  );
}
out();
out('Firestore operations per call, counted in-process (real handlers, Firestore emulator), each case apart;');
out('the trigger runs only where the report document exists (storedBecause shown):');
out(`${'case'.padEnd(52)}${pad('stored', 12)}${pad('reads', 6)}${pad('writes', 8)}${pad('(attempted)', 13)}  rpcs`);
const countRow = (label, c, stored = '') =>
  out(
    `${label.padEnd(52)}${pad(stored, 12)}${pad(c.reads, 6)}${pad(c.writesCommitted, 8)}${pad(`(${c.writesAttempted})`, 13)}  ${rpcList(c.rpcs)}` +
      (Object.keys(c.failedRpcs).length ? `; failed: ${rpcList(c.failedRpcs)}` : ''),
  );
const minMax = (calls, pick) => {
  const values = calls.map(pick);
  return `${Math.min(...values)}..${Math.max(...values)}`;
};
const storedText = (s) => s.storedBecause ?? 'no';
/** A case's ingest row, then its trigger row when its report was stored. */
const caseRows = (label, s) => {
  countRow(`ingestReport, ${label}`, s.ingest.counts, storedText(s));
  if (s.trigger) countRow(`  + onReportCreated on it`, s.trigger.counts);
};
const lastSteady = steady[steady.length - 1];
const lastChanged = changed[changed.length - 1];
caseRows(first.ingest.label, first);
caseRows(`unchanged, steady state (last of ${COUNT})`, lastSteady);
out(
  `${''.padEnd(4)}all ${COUNT} unchanged calls: reads ${minMax(steadyIngest, (c) => c.counts.reads)}, ` +
    `writes ${minMax(steadyIngest, (c) => c.counts.writesCommitted)}, stored ${steady.filter((s) => s.storedBecause).length}`,
);
caseRows(`content changed (last of ${CHANGED_COUNT})`, lastChanged);
out(
  `${''.padEnd(4)}all ${CHANGED_COUNT} changed calls, ingest + trigger: reads ${minMax(changed, (s) => endToEnd(s).reads)}, ` +
    `writes ${minMax(changed, (s) => endToEnd(s).writes)}`,
);
caseRows(checkpoint.ingest.label, checkpoint);
caseRows(duplicate.ingest.label, duplicate);
caseRows(backOnline.ingest.label, backOnline);
countRow(`ingestReport, ${unknownKey.ingest.label} (refused)`, unknownKey.ingest.counts);
if (!trigger) out('(no functions/src/alerts/on-report-created.ts: no report trigger to count)');
countRow(`floor handler (last of ${COUNT})`, floorInProcess[floorInProcess.length - 1].counts);
out();
out(
  `unchanged report: reads ${fmt(unchangedCost.reads, 2)}, writes ${fmt(unchangedCost.writes, 2)} (the agent document only; ` +
    `nothing triggered; counted without a ticket: with one, every other such report may write nothing, ` +
    `deferred-write.ts, which bench/fleet.mjs counts)`,
);
out(
  `changed report, ingest + onReportCreated: reads ${fmt(storedCost.reads, 2)}, writes ${fmt(storedCost.writes, 2)} ` +
    `(the report, the agent, the trigger's state and any events)`,
);
out(
  `amortized per report, mix: 1 in ${MIX_CHANGE_EVERY} changed + the daily checkpoint (every ${checkpointEvery} reports at ` +
    `${INTERVAL_SECONDS} s) = ${fmt(storedShare * 100, 2)} % stored:`,
);
out(`  reads ${fmt(amortized.reads, 3)} (target <= ${TARGET_READS}) -> ${verdict(amortized.reads <= TARGET_READS)}`);
out(`  writes ${fmt(amortized.writes, 3)} (target <= ${TARGET_WRITES}) -> ${verdict(amortized.writes <= TARGET_WRITES)}`);
out(
  `across ${INSTANCES} instances (in-process, each its own cache; ${SPREAD_REPORTS} unchanged reports round robin, each reaching an ` +
    `instance whose copy of the agent is stale, as when an agent's reports spread over k instances):`,
);
out(
  `  with the ticket:    reads ${fmt(spread.ticket.readsPerReport, 2)} a report (${spread.ticket.readsMin}..${spread.ticket.readsMax}), ` +
    `handler ${fmt(spread.ticket.medianMs)} ms median; ticket ${spread.ticket.ticketChars.median} characters (max ${spread.ticket.ticketChars.max}), ` +
    `a header of that many bytes more per request`,
);
out(
  `  without (baseline): reads ${fmt(spread.none.readsPerReport, 2)} a report (${spread.none.readsMin}..${spread.none.readsMax}), ` +
    `handler ${fmt(spread.none.medianMs)} ms median (the refused commit, the read, the commit)`,
);
out(
  `duplicate (retried) report: reads ${duplicate.ingest.counts.reads}, writes ${duplicate.ingest.counts.writesCommitted} committed ` +
    `(${duplicate.ingest.counts.writesAttempted} sent in a commit the backend refused)`,
);
{
  // Where an ingest call's time goes, in-process, one call at a time (no load): medians per call.
  const med = (calls, pick) => median(calls.map(pick));
  const rpcTime = (calls, method) => med(calls, (c) => c.counts.rpcMs[method] ?? 0);
  const ingestMs = med(steadyIngest, (c) => c.ms);
  const floorMs = med(floorInProcess, (c) => c.ms);
  const gets = rpcTime(steadyIngest, 'batchGetDocuments');
  const commit = rpcTime(steadyIngest, 'commit');
  const floorCommit = rpcTime(floorInProcess, 'commit');
  out();
  out(`in-process, one call at a time, ${COUNT} alternating calls each, unchanged reports (median ms per call):`);
  out(`  ingestReport ${fmt(ingestMs)} = reads ${fmt(gets)} + commit ${fmt(commit)} + the rest ${fmt(ingestMs - gets - commit)}`);
  out(`  floorWrite   ${fmt(floorMs)} = commit ${fmt(floorCommit)} + the rest ${fmt(floorMs - floorCommit)}`);
  out(`  in-process p50 ratio ingest/floor = ${fmt(ingestMs / floorMs, 2)} (no HTTP, no functions emulator, no concurrency)`);
  out(`  ingestReport, content changed: ${fmt(med(changed, (s) => s.ingest.ms))}`);
  if (trigger)
    out(`  onReportCreated on a changed report ${fmt(med(changed, (s) => s.trigger?.ms ?? NaN))} (runs after the reply; not in ingest latency)`);
}
out();
const countedCases = [first, ...steady, backOnline, checkpoint, ...changed];
const triggerCalls = countedCases.map((s) => s.trigger).filter(Boolean);
const expectCounts = (s, { reads, writes }) =>
  s.ingest.counts.reads === reads && s.ingest.counts.writesCommitted === writes
    ? []
    : [`${s.ingest.label}: expected ${reads} reads and ${writes} writes, got ${s.ingest.counts.reads} and ${s.ingest.counts.writesCommitted}`];
const problems = [
  ...liveProblems.map((problem) => `measured reports not live: ${problem}`),
  ...measuredProblems.map((problem) => `measured report stored unexpectedly: ${problem}`),
  ...callProblems(first.ingest, 'accepted'),
  ...steadyIngest.flatMap((c) => callProblems(c, 'accepted')),
  ...changed.flatMap((s) => callProblems(s.ingest, 'accepted')),
  ...callProblems(checkpoint.ingest, 'accepted'),
  ...callProblems(duplicate.ingest, 'duplicate'),
  ...callProblems(backOnline.ingest, 'accepted'),
  ...callProblems(unknownKey.ingest, 'refused'),
  ...triggerCalls.flatMap((c) => callProblems(c, 'any')),
  // The store decision's costs: an unchanged report writes the agent alone, a changed one the report
  // too (the cache current: no read), a retry nothing.
  ...steady.flatMap((s) => expectCounts(s, { reads: 0, writes: 1 })),
  ...changed.flatMap((s) => expectCounts(s, { reads: 0, writes: 2 })),
  ...(duplicate.ingest.counts.writesCommitted === 0 ? [] : [`duplicate: ${duplicate.ingest.counts.writesCommitted} writes committed, expected 0`]),
  // Across instances: the ticket spares the stale instance its read; without it, one read a report.
  ...(spread.ticket.readsMax === 0
    ? []
    : [`across instances with the ticket: expected 0 reads a report, got ${spread.ticket.readsMin}..${spread.ticket.readsMax}`]),
  ...(INSTANCES < 2 || (spread.none.readsMin === 1 && spread.none.readsMax === 1)
    ? []
    : [`across instances without a ticket: expected 1 read a report, got ${spread.none.readsMin}..${spread.none.readsMax}`]),
  // The trigger on a stored report reads its state once and writes it once, plus any events.
  ...changed.flatMap((s) =>
    !trigger || (s.trigger && s.trigger.counts.reads === 1 && s.trigger.counts.writesCommitted >= 1)
      ? []
      : [`changed: onReportCreated expected 1 read and 1 write or more, got ${JSON.stringify(s.trigger?.counts ?? 'no call')}`],
  ),
  ...floorInProcess.flatMap((f, i) =>
    f.error || f.counts.writesCommitted !== 1 || f.counts.reads !== 0 || f.counts.apiWritesStaged !== 1 || f.counts.apiReads !== 0
      ? [`floor #${i + 1}: expected 0 reads and 1 write, got ${JSON.stringify(f.counts)} ${f.error ?? ''}`]
      : [],
  ),
];
// Stored reports = the ones the store decision stored, each with its reason, and nothing else.
for (const [s, reason] of expectedStored) {
  if (s.storedBecause !== reason) problems.push(`${s.ingest.label} ${s.report.reportId}: storedBecause ${s.storedBecause}, expected ${reason}`);
}
const expectedIds = new Set(expectedStored.filter(([, reason]) => reason !== null).map(([s]) => s.report.reportId));
for (const id of storedReports.keys()) if (!expectedIds.has(id)) problems.push(`report ${id} stored, but no counted call should have stored it`);
if (storedReports.size !== expectedIds.size) {
  problems.push(
    `expected ${expectedIds.size} stored reports for the counting agent (first, checkpoint, ${CHANGED_COUNT} changed), found ${storedReports.size}`,
  );
}
out(
  problems.length
    ? `CHECK FAILED:\n  ${problems.join('\n  ')}`
    : `checks: api tally == rpc tally for every call; outcomes as expected; unchanged 0 reads + 1 write, changed 0 reads + 2 writes, ` +
        `duplicate nothing written; floor handler counted 0 reads + 1 write; ${storedReports.size} reports stored for the counting agent, ` +
        `each with the storedBecause expected (first, checkpoint, ${CHANGED_COUNT} changed) and the trigger run on those only; measured ` +
        `reports stored as their content says (first, changed, else not stored or a streak) and live (each agent's last report newest, ` +
        `clock skew at most ${maxSkewSeconds} s)`,
);
out('=========================================================');

const summary = lines.join('\n');
console.log(`\n${summary}\n`);
if (opts['summary-file']) writeFileSync(opts['summary-file'], `${summary}\n`);
process.exit(problems.length || ingestRow.errors || floorRow.errors ? 1 : rebuiltDuringRun ? 4 : 0);
