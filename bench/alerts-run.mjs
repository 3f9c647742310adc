#!/usr/bin/env node
// The alerts benchmark proper. It runs INSIDE the emulators (auth, firestore, functions, pubsub, and
// the harness's mail sink on 8025); start it with `node bench/alerts.mjs`, which builds functions/
// and wraps this file in the harness:
//   node scripts/emulators.mjs exec --only auth,firestore,functions,pubsub -- node bench/alerts-run.mjs [options]
//
// Options (see bench/alerts.mjs): --transitions T (120)  --expired N (50000)  --pairs P (3)
//   --agents A (ceil(T/20), >= 2)  --concurrency C (1)  --warmup W (2)  --poll-ms MS (25)
//   --timeout-s S (30)  --retention-agents K (5)  --only alerts|retention  --summary-file PATH
//
// Phase 1, alert latency (background triggers on, as deployed):
//   enroll one Auth-emulator owner (bootstrapWorkspace: notifications default to instant for
//   test_failed and test_recovered), its address verified with the Admin Auth SDK (only verified
//   addresses are mailed), the workspace's hourly email cap raised to the run's T + W emails with
//   the operator's override maxEmailsPerHour (Admin SDK; MAX_EMAILS_PER_HOUR in
//   functions/.env.local stays as it is) and its maxAgents to A + 1, A measured agents and one warm-up agent (createAgent). Each
//   agent sends a passing baseline report (its first report: no event) and the bench waits until
//   onReportCreated has applied it. Then T transitions, C at a time on different agents: an agent's
//   next report flips the ClamAV test eicar-detected (passing -> failing: test_failed; failing ->
//   passing: test_recovered), nothing else changes, so each transition must produce exactly one
//   event and one email. Latency: from the ingestReport reply (accepted, client wall clock) to the
//   email in the sink, by the sink's receivedAt (same machine, same clock) and by the first poll of
//   GET /messages that saw it. A message matches a transition by recipient (the owner), subject
//   (agent name, "failing"/"recovered") and the report id in its text ("Report <id>").
//   Each agent sends at most 1 + ceil(T/A) reports, within the token bucket's burst of 30.
// Phase 2, retention: bench/retention-run.mjs (background triggers off).
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  ascending,
  callAs,
  createAgentWithKey,
  callHttp,
  describeFailure,
  exitWithHarness,
  fmt,
  integerOption,
  measuredCode,
  pad,
  percentile,
  pool,
  signUp,
  sinkMessages,
  sleep,
  verdict,
  watchFunctionsBundle,
} from './bench-lib.mjs';
import { runRetention } from './retention-run.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const BUILD_DIR = path.join(BENCH_DIR, '.build');
const TARGET_P50_MS = 1000;
/** Email states in which the trigger's attempt is not over yet (see EMAIL_STATES in schema/src/documents.ts). */
const ATTEMPT_UNDER_WAY = ['pending', 'sending'];
const REPORTS_PER_AGENT = 20;

const { values: opts } = parseArgs({
  options: {
    transitions: { type: 'string', default: '120' },
    expired: { type: 'string', default: '50000' },
    pairs: { type: 'string', default: '3' },
    agents: { type: 'string' },
    concurrency: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '2' },
    'poll-ms': { type: 'string', default: '25' },
    'timeout-s': { type: 'string', default: '30' },
    'retention-agents': { type: 'string', default: '5' },
    only: { type: 'string' },
    'summary-file': { type: 'string' },
  },
});
const TRANSITIONS = integerOption(opts, 'transitions');
const EXPIRED = integerOption(opts, 'expired');
const PAIRS = integerOption(opts, 'pairs');
const CONCURRENCY = integerOption(opts, 'concurrency');
const WARMUP = integerOption(opts, 'warmup', 0);
const POLL_MS = integerOption(opts, 'poll-ms');
const TIMEOUT_MS = integerOption(opts, 'timeout-s') * 1000;
const RETENTION_AGENTS = integerOption(opts, 'retention-agents');
const AGENTS = opts.agents === undefined ? Math.max(2, CONCURRENCY, Math.ceil(TRANSITIONS / REPORTS_PER_AGENT)) : integerOption(opts, 'agents');
if (opts.only !== undefined && !['alerts', 'retention'].includes(opts.only)) {
  console.error(`--only must be alerts or retention, got ${opts.only}`);
  process.exit(2);
}
const RUN_ALERTS = opts.only !== 'retention';
const RUN_RETENTION = opts.only !== 'alerts';
if (CONCURRENCY > AGENTS) {
  console.error(`--concurrency ${CONCURRENCY} needs at least as many agents (--agents ${AGENTS}): one transition per agent at a time`);
  process.exit(2);
}

if (!process.env.FIRESTORE_EMULATOR_HOST) {
  console.error('FIRESTORE_EMULATOR_HOST is not set: run `node bench/alerts.mjs` (it starts the emulators).');
  process.exit(2);
}

// ---------- the bundle: real handlers and fixtures from functions/src and schema/src ----------

async function loadBundle() {
  mkdirSync(BUILD_DIR, { recursive: true });
  const outfile = path.join(BUILD_DIR, 'alerts-bench.mjs');
  await build({
    entryPoints: [path.join(BENCH_DIR, 'alerts-entry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The SDKs stay external, so the bundle and firebase-admin share one @google-cloud/firestore.
    external: ['firebase-admin', 'firebase-admin/*', 'firebase-functions', 'firebase-functions/*', '@google-cloud/firestore', 'zod'],
    logLevel: 'warning',
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

exitWithHarness();
const lib = await loadBundle();
const db = lib.firestore();
const runId = Date.now().toString(36);

const functionsBundle = watchFunctionsBundle();
const measuredTree = measuredCode();

const lines = [];
const out = (line = '') => lines.push(line);
const problems = [];

// ---------- phase 1: alert latency ----------

async function alertPhase() {
  const template = lib.validReport();
  const baseSolution = template.solutions[0];
  const reportsPerAgent = 1 + Math.ceil(TRANSITIONS / AGENTS);
  if (reportsPerAgent > lib.BURST_CAPACITY || 1 + WARMUP > lib.BURST_CAPACITY) {
    console.warn(
      `warning: up to ${Math.max(reportsPerAgent, 1 + WARMUP)} reports per agent exceed the ingest burst (${lib.BURST_CAPACITY}); ` +
        'expect resource-exhausted: raise --agents.',
    );
  }
  console.log(`[bench] alerts: enrolling 1 owner, ${AGENTS} agents + 1 warm-up agent…`);
  const owner = await signUp('alerts-bench');
  // Verified as by opening the verification link: unverified members receive no email.
  await lib.auth().updateUser(owner.uid, { emailVerified: true });
  const { workspaceId } = await callAs(owner.idToken, 'bootstrapWorkspace', {});
  // Every transition's email must be sent one by one, not folded into the hour's summary, and any
  // --agents must enroll: the operator's overrides of the hourly email cap and of the agent cap
  // (MAX_AGENTS_PER_WORKSPACE, default 1,000), for this workspace only.
  const emailsPerHour = TRANSITIONS + WARMUP;
  await db.doc(lib.paths.workspace(workspaceId)).update({ maxEmailsPerHour: emailsPerHour, maxAgents: AGENTS + 1 });
  const enroll = (name) => async () => ({ name, failing: false, seq: 0, ...(await createAgentWithKey(owner.idToken, workspaceId, name)) });
  const agents = await pool(
    Array.from({ length: AGENTS }, (_, i) => enroll(`alerts-${String(i).padStart(3, '0')}`)),
    4,
  );
  const warmAgent = await enroll('alerts-warm')();

  // collectedAt is now, as an agent collects just before it sends: a live report, no clock skew.
  // Ingest orders reports by receipt, so nothing needs collectedAt to increase.
  function nextReport(agent, failing) {
    agent.seq += 1;
    return {
      ...template,
      reportId: `${runId}-${agent.name}-${String(agent.seq).padStart(4, '0')}`,
      host: { ...template.host, hostname: `${agent.name}.bench` },
      collectedAt: new Date().toISOString(),
      solutions: [
        {
          ...baseSolution,
          tests: [
            {
              ...baseSolution.tests[0],
              passed: !failing,
              message: failing ? 'EICAR test file was not detected' : 'EICAR detected',
            },
          ],
        },
      ],
    };
  }

  async function send(agent, report) {
    const reply = await callHttp('ingestReport', report, { 'x-vigil-key': agent.key });
    const result = reply.json?.result;
    const ok = reply.status === 200 && result?.accepted === true && result?.duplicate === false;
    return { ...reply, ok, failure: ok ? undefined : result?.duplicate ? 'HTTP 200 but duplicate: true' : describeFailure(reply) };
  }

  async function waitForState(agent, reportId, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    const ref = db.doc(lib.paths.agentState(workspaceId, agent.agentId));
    while (Date.now() < deadline) {
      if ((await ref.get()).get('reportId') === reportId) return true;
      await sleep(100);
    }
    return false;
  }

  // Baselines: every agent's first report passes (no event), applied before any transition.
  console.log('[bench] alerts: baseline reports (first report of each agent: no event)…');
  const everyAgent = [...agents, warmAgent];
  const baselines = await pool(
    everyAgent.map((agent) => async () => {
      const report = nextReport(agent, false);
      const reply = await send(agent, report);
      if (!reply.ok) throw new Error(`baseline report of ${agent.name} refused: ${reply.failure}`);
      return { agent, report };
    }),
    4,
  );
  for (const { agent, report } of baselines) {
    if (!(await waitForState(agent, report.reportId))) throw new Error(`onReportCreated did not apply the baseline of ${agent.name} in 60 s`);
  }

  // ---- the sink, polled; the sink only grows during our run (we hold the emulator lock) ----
  const matched = new Map(); // reportId -> [{ message, seenAt }]
  let scanned = 0;
  const reportIdOf = (message) => {
    const text = message.content?.find((part) => part.type === 'text/plain')?.value ?? '';
    return /^Report (\S+)$/m.exec(text)?.[1];
  };
  const toOwner = (message) => message.personalizations?.some((p) => p.to?.some((to) => to.email === owner.email));
  async function scanSink() {
    const messages = await sinkMessages();
    const seenAt = Date.now();
    for (; scanned < messages.length; scanned += 1) {
      const message = messages[scanned];
      if (!toOwner(message)) continue;
      const reportId = reportIdOf(message) ?? `(no report id: ${message.subject})`;
      if (!matched.has(reportId)) matched.set(reportId, []);
      matched.get(reportId).push({ message, seenAt });
    }
  }

  /** One transition: send the flipped report (awaitEmails then polls the sink for its email). */
  async function sendTransition(agent) {
    const failing = !agent.failing;
    const report = nextReport(agent, failing);
    const reply = await send(agent, report);
    if (reply.ok) agent.failing = failing;
    return {
      agent,
      reportId: report.reportId,
      kind: failing ? 'test_failed' : 'test_recovered',
      reply,
    };
  }

  async function awaitEmails(transitions) {
    const pending = new Set(transitions.filter((t) => t.reply.ok));
    while (pending.size) {
      await scanSink();
      for (const t of pending) {
        const hits = matched.get(t.reportId);
        if (hits?.length) {
          const first = hits[0];
          t.seenAt = first.seenAt;
          t.receivedAt = Date.parse(first.message.receivedAt);
          t.subject = first.message.subject;
          pending.delete(t);
        } else if (Date.now() > t.reply.repliedAt + TIMEOUT_MS) {
          t.timedOut = true;
          pending.delete(t);
        }
      }
      if (pending.size) await sleep(POLL_MS);
    }
  }

  async function runTransitions(list, rounds) {
    for (const roundAgents of rounds) {
      const round = await Promise.all(roundAgents.map((agent) => sendTransition(agent)));
      await awaitEmails(round);
      list.push(...round);
    }
  }

  // Warm-up: the functions emulator starts a worker per function on first use (a cold start).
  const warm = [];
  if (WARMUP > 0) {
    console.log(`[bench] alerts: warm-up, ${WARMUP} transition(s) on the warm-up agent (not measured)…`);
    await runTransitions(
      warm,
      Array.from({ length: WARMUP }, () => [warmAgent]),
    );
  }

  console.log(`[bench] alerts: measuring ${TRANSITIONS} transitions over ${AGENTS} agents, ${CONCURRENCY} at a time…`);
  const rounds = [];
  let next = 0;
  for (let done = 0; done < TRANSITIONS; done += CONCURRENCY) {
    const size = Math.min(CONCURRENCY, TRANSITIONS - done);
    rounds.push(Array.from({ length: size }, () => agents[next++ % AGENTS]));
  }
  const measured = [];
  const started = Date.now();
  await runTransitions(measured, rounds);
  const measuringSeconds = (Date.now() - started) / 1000;

  // Settle: every measured event's email attempt over (any state but pending and sending: sent,
  // skipped, capped and failed are final; retrying waits a minute or more for the sweep, longer
  // than this run), then a little longer for late duplicates; then count the emails of every
  // transition from one last full read of the sink.
  console.log('[bench] alerts: settling (waiting for every event to record its email outcome)…');
  const eventsRef = db.collection(lib.paths.events(workspaceId));
  const measuredIds = new Set(measured.map((t) => t.reportId));
  let events = [];
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(250)) {
    events = (await eventsRef.get()).docs.map((doc) => ({ id: doc.id, ...doc.data() }));
    const open = events.filter((e) => measuredIds.has(e.reportId) && ATTEMPT_UNDER_WAY.includes(e.email?.state ?? 'pending'));
    if (open.length === 0) break;
  }
  await sleep(2000);
  events = (await eventsRef.get()).docs.map((doc) => ({ id: doc.id, ...doc.data() }));
  await scanSink();

  // ---- reconcile ----
  const eventsByReport = new Map();
  for (const event of events) {
    if (!eventsByReport.has(event.reportId)) eventsByReport.set(event.reportId, []);
    eventsByReport.get(event.reportId).push(event);
  }
  const anomalies = [];
  for (const t of measured) {
    const hits = matched.get(t.reportId) ?? [];
    const evs = eventsByReport.get(t.reportId) ?? [];
    t.emails = hits.length;
    t.event = evs.find((e) => e.kind === t.kind);
    const expectWord = t.kind === 'test_failed' ? /failing/ : /recovered/;
    if (t.timedOut && hits.length) {
      // Arrived after the wait gave up: counted, with its sink time, but flagged.
      t.receivedAt = Date.parse(hits[0].message.receivedAt);
      anomalies.push(
        `${t.reportId} (${t.kind}): email arrived after the ${TIMEOUT_MS / 1000} s wait, ${t.receivedAt - t.reply.repliedAt} ms after the reply`,
      );
    }
    if (!t.reply.ok) anomalies.push(`${t.reportId}: report refused: ${t.reply.failure}`);
    else if (hits.length === 0) {
      anomalies.push(
        `${t.reportId} (${t.kind}): NO email` +
          (t.event
            ? ` (event ${t.event.id} email.state ${t.event.email?.state}${t.event.email?.reason ? ` reason ${t.event.email.reason}` : ''}` +
              `${t.event.email?.error ? `: ${t.event.email.error}` : ''})`
            : ' (no event)'),
      );
    } else if (hits.length > 1) anomalies.push(`${t.reportId} (${t.kind}): ${hits.length} emails`);
    for (const hit of hits) {
      const subject = hit.message.subject ?? '';
      if (!expectWord.test(subject) || !subject.includes(t.agent.name)) anomalies.push(`${t.reportId}: unexpected subject "${subject}"`);
    }
    if (t.reply.ok && (evs.length !== 1 || !t.event)) {
      anomalies.push(`${t.reportId}: events ${JSON.stringify(evs.map((e) => e.kind))}, expected ["${t.kind}"]`);
    }
  }
  const knownIds = new Set([...measured, ...warm].map((t) => t.reportId));
  for (const [reportId, hits] of matched) {
    if (!knownIds.has(reportId)) anomalies.push(`unexpected email(s) to the owner: ${hits.length} for ${reportId}: "${hits[0].message.subject}"`);
  }

  // ---- figures ----
  const delivered = measured.filter((t) => t.receivedAt !== undefined);
  const sinkLatency = ascending(delivered.map((t) => t.receivedAt - t.reply.repliedAt));
  const pollLatency = ascending(delivered.filter((t) => t.seenAt !== undefined).map((t) => t.seenAt - t.reply.repliedAt));
  const ingestMs = ascending(measured.filter((t) => t.reply.ok).map((t) => t.reply.ms));
  // Stages from server timestamps (the Firestore emulator's clock, the same machine): the event's
  // createdAt is onReportCreated's commit, email.at is sendEventEmail's record after the send.
  const millis = (value) => (typeof value?.toMillis === 'function' ? value.toMillis() : NaN);
  const staged = delivered.filter((t) => t.event && Number.isFinite(millis(t.event.createdAt)));
  const toEvent = ascending(staged.map((t) => millis(t.event.createdAt) - t.reply.repliedAt));
  const eventToMail = ascending(staged.map((t) => t.receivedAt - millis(t.event.createdAt)));
  const row = (label, sorted) =>
    out(
      `${label.padEnd(46)}${pad(sorted.length, 6)}${pad(fmt(percentile(sorted, 50), 0), 8)}${pad(fmt(percentile(sorted, 90), 0), 8)}` +
        `${pad(fmt(percentile(sorted, 99), 0), 8)}${pad(fmt(sorted[sorted.length - 1], 0), 8)}`,
    );
  const p50 = percentile(sinkLatency, 50);

  out(
    `alert latency: ${measured.length} transitions (${measured.filter((t) => t.kind === 'test_failed').length} test_failed, ` +
      `${measured.filter((t) => t.kind === 'test_recovered').length} test_recovered) over ${AGENTS} agents, ${CONCURRENCY} in flight, ` +
      `in ${fmt(measuringSeconds, 0)} s; sink polled every ${POLL_MS} ms; workspace maxEmailsPerHour ${emailsPerHour}; ` +
      `warm-up ${warm.length} transition(s)` +
      (warm.length
        ? ` (latency ${warm.map((t) => (t.receivedAt === undefined ? 'none' : fmt(t.receivedAt - t.reply.repliedAt, 0))).join(', ')} ms)`
        : ''),
  );
  out(`${'ms, from the ingestReport reply (accepted)'.padEnd(46)}${pad('count', 6)}${pad('p50', 8)}${pad('p90', 8)}${pad('p99', 8)}${pad('max', 8)}`);
  row('  to the email in the sink (sink receivedAt)', sinkLatency);
  row('  to the first poll that saw it', pollLatency);
  row('  stage: to the event (its createdAt)', toEvent);
  row('  stage: event createdAt to the email', eventToMail);
  row('ingestReport request itself (send to reply)', ingestMs);
  for (const kind of ['test_failed', 'test_recovered']) {
    const sorted = ascending(delivered.filter((t) => t.kind === kind).map((t) => t.receivedAt - t.reply.repliedAt));
    row(`  ${kind}, to the sink`, sorted);
  }
  out(`p50 alert latency ${fmt(p50, 0)} ms (target < ${TARGET_P50_MS} ms on the emulator) -> ${verdict(p50 < TARGET_P50_MS)}`);
  const none = measured.filter((t) => t.reply.ok && t.emails === 0).length;
  const two = measured.filter((t) => t.emails > 1).length;
  out(`transitions with no email: ${none}; with two or more: ${two}; refused reports: ${measured.filter((t) => !t.reply.ok).length}`);
  if (anomalies.length) {
    out(`alert CHECK FAILED (${anomalies.length}):`);
    for (const anomaly of anomalies.slice(0, 30)) out(`  ${anomaly}`);
    if (anomalies.length > 30) out(`  … and ${anomalies.length - 30} more`);
    problems.push(...anomalies);
  } else {
    out(`alert checks: every transition produced exactly one event of its kind and exactly one email to the owner; no other email`);
  }
  return { p50 };
}

// ---------- run ----------

out('================ Vigil alerts benchmark ================');
out(`run ${runId}; code measured: ${measuredTree}`);
if (RUN_ALERTS) {
  const from = lines.length;
  await alertPhase();
  if (functionsBundle.rebuilt()) {
    out('WARNING: functions/lib was rebuilt during the alert phase (by another process): the functions emulator');
    out('         reloaded mid-measurement, with cold starts. Do not use these latency figures; run again.');
  }
  // Printed now too, so the figures survive a failure in the retention phase.
  console.log(`\n${lines.slice(from).join('\n')}\n`);
  out();
}
if (RUN_RETENTION) {
  try {
    const retention = await runRetention({
      lib,
      runId,
      expired: EXPIRED,
      pairs: PAIRS,
      agents: RETENTION_AGENTS,
      log: (line) => console.log(line),
      bundleStamp: functionsBundle.stamp,
    });
    lines.push(...retention.lines);
    problems.push(...retention.problems);
  } catch (error) {
    out(`retention phase FAILED: ${error?.stack ?? error}`);
    problems.push(`retention phase failed: ${error?.message ?? error}`);
  }
}
const rebuiltDuringRun = functionsBundle.rebuilt();
if (rebuiltDuringRun) {
  out('WARNING: functions/lib was rebuilt during the run (by another process), so the functions emulator reloaded;');
  out('         the phase it happened in is marked above (alert phase: latencies unusable; retention: pairs marked *).');
}
out('=========================================================');

const summary = lines.join('\n');
console.log(`\n${summary}\n`);
if (opts['summary-file']) writeFileSync(opts['summary-file'], `${summary}\n`);
process.exit(problems.length ? 1 : rebuiltDuringRun ? 4 : 0);
