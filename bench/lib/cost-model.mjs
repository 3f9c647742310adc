// A compressed fleet run scaled to one host-month at the deployed 300 s interval, and priced.
// Assumptions (also in bench/README.md and docs/architecture.md, "Cost model"):
//   - per-report work (ingest and every trigger): counted / accepted reports x 8,640 reports a month;
//   - a schedule: counted per run x its real runs a month (its cron), / hosts;
//   - the dashboard: one overview tab per workspace (all hosts of the run in one workspace), open
//     8 h a day, 30 days: its load's reads once a day, plus its reads per open hour (the window's
//     listener reads, the window standing for interval-compression x its length in real time);
//   - storage at steady state: documents that stay (agents, state, keys) as counted per host;
//     documents that accumulate (they grew during the window) kept retentionDays, at the sampled
//     mean size including index entries; each is deleted once (retention), and a sweep reads what it
//     deletes unless firestore.indexes.json gives its collection a TTL policy;
//   - Cloud Functions: request-based Cloud Run prices, each invocation's emulator duration rounded
//     up to 100 ms at the function's vCPU and memory (as functions/src/index.ts sets them), plus
//     the per-request price.
// Pure.
import { fleetArrivals, seeded, simulateIngest } from './arrival-sim.mjs';
import { PRICES, resourcesOf } from './prices.mjs';

const MONTH_S = 30 * 86_400;
const DEPLOYED_INTERVAL_S = 300;
export const REPORTS_PER_HOST_MONTH = MONTH_S / DEPLOYED_INTERVAL_S;
const TAB_HOURS_PER_DAY = 8;
const GIB = 2 ** 30;
const SETUP = 'bench setup';

const isSchedule = (label) => label.startsWith('schedule ');
const zero = () => ({ reads: 0, writes: 0, deletes: 0 });
const scale = (row, by) => ({ reads: row.reads * by, writes: row.writes * by, deletes: row.deletes * by });

function firestoreDollars({ reads, writes, deletes }) {
  const price = PRICES.firestore;
  return (reads * price.readsPer100k + writes * price.writesPer100k + deletes * price.deletesPer100k) / 100_000;
}

function functionDollars(resources, name, invocations, billedSecondsPerCall) {
  const { vcpu, memoryGiB } = resourcesOf(resources, name);
  const price = PRICES.cloudRun;
  return invocations * (billedSecondsPerCall * (vcpu * price.perVcpuSecond + memoryGiB * price.perGiBSecond) + price.perMillionRequests / 1e6);
}

// ---- Cloud Functions at a fleet size ----
// Request-based Cloud Run bills an instance's busy time (at least one request in flight), rounded up
// to 100 ms, and one instance serves up to its `concurrency` requests at once; CPU-bound work needs
// more instances. So a function's cost per host falls as the fleet grows. For a fleet of N hosts:
//   lambda = calls per second in the project (a per-report function: its calls per host-month x N /
//            a month; ingest's is N / 300; a schedule: its runs per month / a month, whatever N);
//   d'     = max(d, 0.1 s), d the measured mean duration (the emulator's: errs high);
//   billed instance-seconds per second
//     concurrency > 1: max(1 - exp(-lambda d'), lambda c / vcpu, lambda d' / concurrency)
//                      (Poisson arrivals, M/G/inf occupancy: the share of time one instance is busy;
//                      CPU-bound instances; instances full at their concurrency), never less than
//                      the CPU c used per call;
//     concurrency 1:   max(lambda x billed, lambda c / vcpu), billed the measured duration of each
//                      call rounded up to 100 ms (each call has an instance to itself: no sharing);
//   plus lambda x $0.40 per million requests; per host-month = per second x a month / N.
// Instances: k = ceil(lambda c / (vcpu x 0.8)), at least 1 (CPU-bound at 80% busy). An agent's
// reports land on any of them, so the instance a report reaches has a current copy of the agent
// ~1/k of the time; the other (k - 1) / k of its reports cost what the run measured for a report
// reaching an instance whose copy is stale (`spread`, bench/lib/instance-probe.mjs: with the
// agent's ticket, as agents send it), or 1 read (the refused commit and the read) without that
// measurement: (k - 1) / k x that many reads more per report than the run.
const TARGET_CPU_UTILIZATION = 0.8;

// Ingest with report slots (functions/src/ingest/report-phase.ts): its billed time is simulated
// from the arrival times the agents follow (bench/lib/arrival-sim.mjs), the fleet in workspaces of
// at most PER_WORKSPACE agents (the default cap), each on the phase function ingest's replies give;
// beside it the same simulation of the uniform spread (no slots) and of the same fleet in
// workspaces of SMALL_WORKSPACE agents (their windows share the project's lanes, which the phase
// function sizes by the fleet's agent count, not by any workspace's).
const PER_WORKSPACE = 1000;
const SMALL_WORKSPACE = 10;

function simulatedIngest(line, { vcpu, concurrency }, fleetHosts, phaseOf, perWorkspace) {
  const granularitySeconds = PRICES.cloudRun.billingGranularityMs / 1000;
  return simulateIngest({
    arrivals: fleetArrivals({ hosts: fleetHosts, perWorkspace, intervalSeconds: DEPLOYED_INTERVAL_S, phaseOf, random: seeded(fleetHosts) }),
    intervalSeconds: DEPLOYED_INTERVAL_S,
    durationSeconds: line.durationSecondsPerCall ?? 0,
    cpuSecondsPerCall: line.cpuSecondsPerCall,
    vcpu,
    concurrency,
    granularitySeconds,
  });
}

function lineAtFleetSize(line, resources, runHosts, fleetHosts, phaseOf) {
  const { vcpu, memoryGiB, concurrency = 1 } = resourcesOf(resources, line.name);
  const price = PRICES.cloudRun;
  const perProject = line.kind.startsWith('schedule');
  // Calls a second in the project: per-project work does not grow with the fleet.
  const lambda = ((perProject ? line.invocations * runHosts : line.invocations * fleetHosts) || 0) / MONTH_S;
  const granularity = price.billingGranularityMs / 1000;
  const busyPerCall = Math.max(line.durationSecondsPerCall ?? 0, granularity);
  const cpuBound = (lambda * line.cpuSecondsPerCall) / vcpu;
  const busy =
    concurrency > 1
      ? Math.max(1 - Math.exp(-lambda * busyPerCall), cpuBound, (lambda * busyPerCall) / concurrency)
      : Math.max(lambda * Math.max(line.billedSecondsPerCall, granularity), cpuBound);
  let instances = Math.max(1, Math.ceil(cpuBound / TARGET_CPU_UTILIZATION));
  let simulated;
  let priced = busy;
  if (phaseOf && line.name === 'ingestReport' && concurrency > 1) {
    const resourcesHere = { vcpu, concurrency };
    simulated = {
      formula: busy,
      uniform: simulatedIngest(line, resourcesHere, fleetHosts, undefined, PER_WORKSPACE),
      slots: simulatedIngest(line, resourcesHere, fleetHosts, phaseOf, PER_WORKSPACE),
      smallWorkspaces: simulatedIngest(line, resourcesHere, fleetHosts, phaseOf, SMALL_WORKSPACE),
    };
    priced = simulated.slots.busy;
    instances = simulated.slots.instances;
  }
  const instanceSecondPrice = vcpu * price.perVcpuSecond + memoryGiB * price.perGiBSecond;
  const perSecond = priced * instanceSecondPrice + (lambda * price.perMillionRequests) / 1e6;
  const dollarsAt = (billed) => ((billed * instanceSecondPrice + (lambda * price.perMillionRequests) / 1e6) * MONTH_S) / fleetHosts;
  return {
    name: line.name,
    kind: line.kind,
    lambda,
    busyPerCall,
    cpuSecondsPerCall: line.cpuSecondsPerCall,
    busy: priced,
    instances,
    concurrency,
    dollars: (perSecond * MONTH_S) / fleetHosts,
    ...(simulated
      ? {
          simulated: {
            ...simulated,
            dollars: {
              formula: dollarsAt(simulated.formula),
              uniform: dollarsAt(simulated.uniform.busy),
              slots: dollarsAt(simulated.slots.busy),
              smallWorkspaces: dollarsAt(simulated.smallWorkspaces.busy),
            },
          },
        }
      : {}),
  };
}

/** Firestore and Cloud Functions per host-month for a fleet of fleetHosts, from a run of runHosts. */
export function atFleetSize({ lines, storageDollars, resources, runHosts, fleetHosts, staleReadsPerReport = 1, phaseOf }) {
  const functions = lines.filter((line) => line.invocations > 0).map((line) => lineAtFleetSize(line, resources, runHosts, fleetHosts, phaseOf));
  // Firestore: the same per host, except the per-project schedules' reads, spread over the fleet.
  let firestore = storageDollars;
  for (const line of lines) firestore += line.kind.startsWith('schedule') ? (line.firestoreDollars * runHosts) / fleetHosts : line.firestoreDollars;
  const ingest = functions.find((row) => row.name === 'ingestReport');
  const instances = ingest?.instances ?? 1;
  const cacheMissReads = (REPORTS_PER_HOST_MONTH * (instances - 1) * staleReadsPerReport) / instances;
  const cacheMissDollars = (cacheMissReads * PRICES.firestore.readsPer100k) / 100_000;
  firestore += cacheMissDollars;
  const functionsDollars = functions.reduce((sum, row) => sum + row.dollars, 0);
  return {
    hosts: fleetHosts,
    functions,
    ingestInstances: instances,
    staleReadsPerReport,
    cacheMissReads,
    cacheMissDollars,
    firestore,
    functionsDollars,
    total: firestore + functionsDollars,
  };
}

export function costModel({
  hosts,
  intervalSeconds,
  reports,
  counts,
  invocations,
  functionCpu,
  schedules,
  dashboard,
  stored,
  probe,
  spread,
  checkpointSeconds,
  resources = {},
  modelHosts = [1000, 100_000],
  phaseOf,
}) {
  const compression = DEPLOYED_INTERVAL_S / intervalSeconds;
  const perReportScale = REPORTS_PER_HOST_MONTH / Math.max(1, reports.accepted);
  const lines = [];
  const notes = [];

  // Firestore operations and function time of the per-report path, by function.
  for (const [label, row] of Object.entries(counts)) {
    // runSchedule's own label is work outside any schedule's run (none, as runs are named).
    if (label === SETUP || isSchedule(label) || label === 'runSchedule') continue;
    const name = label;
    const calls = invocations[name] ?? { started: 0, finished: 0, billedMs: 0 };
    if (label.startsWith('(')) notes.push(`${label}: Firestore calls from a process the proxy could not name; priced as per-report work`);
    lines.push({
      kind: 'per report',
      name,
      ops: scale(row, perReportScale),
      invocations: calls.started * perReportScale,
      billedSecondsPerCall: calls.finished ? calls.billedMs / calls.finished / 1000 : 0,
      durationSecondsPerCall: calls.finished ? calls.totalMs / calls.finished / 1000 : 0,
      cpuSecondsPerCall: calls.started ? (functionCpu[name] ?? 0) / calls.started : 0,
    });
  }
  for (const [name, calls] of Object.entries(invocations)) {
    if (name === 'runSchedule' || lines.some((line) => line.name === name)) continue;
    // A function that ran but touched no Firestore document still costs its invocations.
    lines.push({
      kind: 'per report',
      name,
      ops: zero(),
      invocations: calls.started * perReportScale,
      billedSecondsPerCall: calls.finished ? calls.billedMs / calls.finished / 1000 : 0,
      durationSecondsPerCall: calls.finished ? calls.totalMs / calls.finished / 1000 : 0,
      cpuSecondsPerCall: calls.started ? (functionCpu[name] ?? 0) / calls.started : 0,
    });
  }
  // Schedules: per run x runs a month / hosts. Each is its own function when deployed.
  const runner = invocations.runSchedule ?? { started: 0, finished: 0 };
  for (const schedule of schedules) {
    const label = `schedule ${schedule.name}`;
    const runsPerMonth = schedule.parsed.kind === 'interval' ? (MONTH_S * 1000) / schedule.parsed.everyMs : 30;
    if (!schedule.runs) {
      notes.push(`${schedule.name}: did not run in the window (not costed)`);
      continue;
    }
    const perRun = scale(counts[label] ?? zero(), 1 / schedule.runs);
    const msPerRun = schedule.ms / schedule.runs;
    lines.push({
      kind: `schedule, ${schedule.schedule}`,
      name: schedule.name,
      ops: scale(perRun, runsPerMonth / hosts),
      perRun,
      runs: schedule.runs,
      invocations: runsPerMonth / hosts,
      billedSecondsPerCall: Math.max(1, Math.ceil(msPerRun / PRICES.cloudRun.billingGranularityMs)) * (PRICES.cloudRun.billingGranularityMs / 1000),
      durationSecondsPerCall: msPerRun / 1000,
      cpuSecondsPerCall: runner.started ? (functionCpu.runSchedule ?? 0) / runner.started : 0,
    });
  }

  // The dashboard tab.
  let tab;
  if (dashboard) {
    // The window stands for as many real hours as its reports are: a fleet of `hosts` sends 12 an hour.
    const realHours = reports.accepted / ((hosts * 3600) / DEPLOYED_INTERVAL_S);
    const updateReads = (dashboard.after?.reads ?? 0) - (dashboard.before?.reads ?? 0);
    const perHour = updateReads / realHours;
    const loadReads = dashboard.loadReads?.reads ?? 0;
    tab = { loadReads, updateReads, perHour, realHours };
    lines.push({
      kind: 'dashboard tab, 8 h/day',
      name: 'overview (its own read counter)',
      ops: { reads: ((loadReads + perHour * TAB_HOURS_PER_DAY) * 30) / hosts, writes: 0, deletes: 0 },
      invocations: 0,
      billedSecondsPerCall: 0,
      cpuSecondsPerCall: 0,
    });
  } else {
    notes.push('no dashboard tab (--dashboard off): its reads are not in the total');
  }

  // Work the code does on the real clock, which a compressed window cannot show: a periodic
  // checkpoint report (LIMITS.reportCheckpointSeconds, where the code has one) costs what a stored
  // (changed) report costs above an unchanged one, once per checkpoint period.
  let checkpointsPerMonth = 0;
  if (checkpointSeconds && probe?.changed.length && probe?.unchanged.length) {
    checkpointsPerMonth = MONTH_S / checkpointSeconds;
    const mean = (rows, key) => rows.reduce((sum, row) => sum + row[key], 0) / rows.length;
    const extra = (key) => Math.max(0, mean(probe.changed, key) - mean(probe.unchanged, key));
    lines.push({
      kind: `real clock, every ${n(checkpointSeconds / 3600)} h`,
      name: 'checkpoint reports',
      ops: scale({ reads: extra('reads'), writes: extra('writes'), deletes: extra('deletes') }, checkpointsPerMonth),
      invocations: checkpointsPerMonth,
      billedSecondsPerCall: lines.find((line) => line.name === 'onReportCreated')?.billedSecondsPerCall ?? 0.1,
      durationSecondsPerCall: lines.find((line) => line.name === 'onReportCreated')?.durationSecondsPerCall ?? 0.1,
      cpuSecondsPerCall: 0,
    });
    notes.push(`checkpoint reports: ${n(checkpointsPerMonth)} a month per host, each costed as the probe's changed minus unchanged report`);
  }

  // Storage at steady state, and retention.
  const beforeByGroup = Object.fromEntries(Object.values(stored.before).map((row) => [row.collectionGroup, row.count]));
  const ttlGroups = new Set((stored.indexesJson.fieldOverrides ?? []).filter((entry) => entry.ttl).map((entry) => entry.collectionGroup));
  const storage = [];
  let retention = zero();
  for (const [collection, row] of Object.entries(stored.after)) {
    const grew = row.count - (beforeByGroup[row.collectionGroup] ?? 0);
    const meanBytes = row.sampled ? (row.documentBytes + row.indexBytes) / row.sampled : 0;
    const meanIndexEntries = row.sampled ? row.indexEntries / row.sampled : 0;
    // Growing with the reports (not a one-off document a schedule created in the window).
    const accumulates = grew >= Math.max(3, reports.accepted * 0.01);
    const checkpoints = collection.endsWith('/reports') ? checkpointsPerMonth : 0;
    const perMonth = (accumulates ? grew * perReportScale : 0) + checkpoints;
    const perHost = perMonth > 0 ? (perMonth * stored.retentionDays) / 30 : row.count / hosts;
    const deletesPerHostMonth = perMonth;
    if (perMonth > 0) {
      retention = {
        reads: retention.reads + (ttlGroups.has(row.collectionGroup) ? 0 : deletesPerHostMonth),
        writes: retention.writes,
        deletes: retention.deletes + deletesPerHostMonth,
      };
    }
    storage.push({
      collection,
      count: row.count,
      grew,
      accumulates,
      perHost,
      meanBytes,
      meanIndexEntries,
      ttl: ttlGroups.has(row.collectionGroup),
      bytesPerHost: perHost * meanBytes,
    });
  }
  lines.push({
    kind: `retention, ${stored.retentionDays} days`,
    name: 'each accumulating document deleted once',
    ops: retention,
    invocations: 0,
    billedSecondsPerCall: 0,
    cpuSecondsPerCall: 0,
  });
  const storedBytesPerHost = storage.reduce((sum, row) => sum + row.bytesPerHost, 0);

  const shown = lines.filter((line) => line.ops.reads || line.ops.writes || line.ops.deletes || line.invocations || line.name.startsWith('each'));
  lines.length = 0;
  lines.push(...shown);
  let functionsAtFloor = 0;
  for (const line of lines) {
    line.firestoreDollars = firestoreDollars(line.ops);
    line.functionDollars = functionDollars(resources, line.name, line.invocations, line.billedSecondsPerCall);
    // The least request-based billing can charge: 100 ms a call (deployed calls are faster than
    // the emulator's on a loaded machine).
    functionsAtFloor += functionDollars(resources, line.name, line.invocations, PRICES.cloudRun.billingGranularityMs / 1000);
    line.cpuSeconds = line.invocations * line.cpuSecondsPerCall;
  }
  notes.push('triggers a schedule causes (a digest writing its workspace) are scaled as per-report work: errs high');
  const storageDollars = (storedBytesPerHost / GIB) * PRICES.firestore.storagePerGiBMonth;
  const total = lines.reduce((sum, line) => sum + line.firestoreDollars + line.functionDollars, storageDollars);
  const sum = (key) => lines.reduce((acc, line) => acc + line.ops[key], 0);
  const firestoreTotal = lines.reduce((acc, line) => acc + line.firestoreDollars, storageDollars);
  // Reads a report costs reaching an instance whose copy of the agent is stale, as measured (with the ticket).
  const staleReadsPerReport = spread?.ticket?.readsPerReport ?? 1;
  const fleetSizes = modelHosts.map((fleetHosts) =>
    atFleetSize({ lines, storageDollars, resources, runHosts: hosts, fleetHosts, staleReadsPerReport, phaseOf }),
  );
  return {
    hosts,
    intervalSeconds,
    fleetSizes,
    firestoreTotal,
    functionsTotal: total - firestoreTotal,
    functionsAtFloor,
    compression,
    reports,
    lines,
    storage,
    storedBytesPerHost,
    storageDollars,
    totals: {
      reads: sum('reads'),
      writes: sum('writes'),
      deletes: sum('deletes'),
      invocations: lines.reduce((acc, line) => acc + line.invocations, 0),
    },
    total,
    tab,
    probe,
    spread,
    notes,
  };
}

const n = (value, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';
const usd = (value) => `$${value.toFixed(4)}`;
const padEnd = (text, width) => String(text).padEnd(width);
const padStart = (text, width) => String(text).padStart(width);

// The fleet-size table, beside the no-overlap worst case above.
function formatFleetSizes(out, model) {
  if (!model.fleetSizes.length) return;
  out.push(`Cloud Functions by fleet size (the table above bills every call apart: the worst case, a fleet so small no two calls overlap):`);
  out.push(
    "  billed instance-s per s = max(1 - exp(-lambda d'), lambda c / vcpu, lambda d' / concurrency) for concurrency > 1, max(lambda billed, lambda c / vcpu) for",
  );
  out.push("  concurrency 1; d' = max(d, 0.1 s). Assumes Poisson arrivals (M/G/inf occupancy), busy time billed per instance, one instance while");
  out.push(
    "  not CPU-bound; d is the emulator's mean duration and c the function worker's CPU per call (/proc, emulator overhead included): both err high.",
  );
  out.push(`  Schedules run once per project: their calls and reads are spread over the fleet. Per report functions: calls per second grow with it.`);
  for (const size of model.fleetSizes) {
    out.push(`  N = ${n(size.hosts)} hosts:`);
    out.push(
      `    ${padEnd('function', 50)}${padStart('calls/s', 10)}${padStart("d' ms", 8)}${padStart('CPU ms', 8)}${padStart('inst-s/s', 10)}${padStart('Functions', 11)}`,
    );
    for (const row of size.functions) {
      out.push(
        `    ${padEnd(`${row.name} (${row.kind})`, 50)}${padStart(n(row.lambda, 3), 10)}${padStart(n(row.busyPerCall * 1000), 8)}${padStart(n(row.cpuSecondsPerCall * 1000, 1), 8)}${padStart(n(row.busy, 4), 10)}${padStart(usd(row.dollars), 11)}`,
      );
    }
    const sim = size.functions.find((row) => row.simulated)?.simulated;
    if (sim) {
      const fmt = (label, result, dollars) =>
        `    ${label}: ${n(result.busy, 4)} instance-s/s, k = ${result.instances}, busiest second ${n(result.busiestSecond)} reports = ${usd(dollars)}`;
      out.push(
        `    ingest simulated from arrival times (bench/lib/arrival-sim.mjs; the Poisson formula says ${n(sim.formula, 4)} = ${usd(sim.dollars.formula)}):`,
      );
      out.push(fmt('  uniform spread (no slots)           ', sim.uniform, sim.dollars.uniform));
      out.push(fmt(`  report slots, workspaces of ${n(PER_WORKSPACE)} (priced)`, sim.slots, sim.dollars.slots));
      out.push(fmt(`  report slots, workspaces of ${SMALL_WORKSPACE}       `, sim.smallWorkspaces, sim.dollars.smallWorkspaces));
    }
    out.push(
      `    ingest instances k = ${size.ingestInstances} (${sim ? 'simulated' : 'CPU at 80%'}): a current cached copy ~1/k; the rest at ${n(size.staleReadsPerReport, 2)} reads a report ` +
        `(measured, with the ticket) = +${n(size.cacheMissReads)} reads per host-month = +${usd(size.cacheMissDollars)} (in Firestore)`,
    );
    out.push(
      `    Firestore ${usd(size.firestore)} + Cloud Functions ${usd(size.functionsDollars)} = ${usd(size.total)} per host-month: ${size.total <= 0.03 ? 'meets' : 'MISSES'} the $0.03 target`,
    );
  }
  out.push('');
}

export function formatReport({ model, run }) {
  const out = [];
  out.push('Fleet cost benchmark (bench/fleet.mjs, issue #13)');
  out.push(`code: ${run.code}`);
  out.push(`command: ${run.command}`);
  out.push(
    `load average ${run.loadavg.map((value) => value.toFixed(2)).join(' ')} on ${run.cpus} CPUs (a shared machine: other sessions' work is in it; the counts do not depend on it, the durations do)`,
  );
  out.push(`proxy self-check: ${run.selfCheck.ok ? 'ok' : 'CHECK FAILED'}: ${run.selfCheck.lines.join('; ')}`);
  if (run.rebuilt)
    out.push('WARNING: functions/lib was rebuilt during the run (another session): the functions reloaded mid-run; durations are not to be used');
  out.push(
    `window: ${model.hosts} hosts, a report every ${model.intervalSeconds} s (x${n(model.compression, 1)} compressed), ${model.reports.accepted} accepted (${model.reports.changed} changed), ${run.refused} refused; triggers drained in ${n(run.drainedSeconds)} s after the last report`,
  );
  for (const [reason, count] of run.failures) out.push(`  refused x${count}: ${reason}`);
  for (const failure of run.scheduleFailures) out.push(`  schedule failed: ${failure}`);
  out.push('');
  out.push(`Per host per month at a ${DEPLOYED_INTERVAL_S} s interval (${n(REPORTS_PER_HOST_MONTH)} reports), list prices of ${PRICES.date}:`);
  const header = `  ${padEnd('what', 44)}${padStart('reads', 10)}${padStart('writes', 10)}${padStart('deletes', 10)}${padStart('invocations', 13)}${padStart('CPU-s', 9)}${padStart('Firestore', 11)}${padStart('Functions', 11)}`;
  out.push(header);
  for (const line of model.lines) {
    out.push(
      `  ${padEnd(`${line.name} (${line.kind})`, 44)}${padStart(n(line.ops.reads), 10)}${padStart(n(line.ops.writes), 10)}${padStart(n(line.ops.deletes), 10)}${padStart(n(line.invocations), 13)}${padStart(n(line.cpuSeconds, 1), 9)}${padStart(usd(line.firestoreDollars), 11)}${padStart(usd(line.functionDollars), 11)}`,
    );
  }
  out.push(
    `  ${padEnd(`storage: ${n(model.storedBytesPerHost / 1024)} KiB/host = ${(model.storedBytesPerHost / GIB).toExponential(2)} GiB-months`, 44)}${padStart('', 43)}${padStart('', 9)}${padStart(usd(model.storageDollars), 11)}`,
  );
  out.push(
    `  ${padEnd('TOTAL', 44)}${padStart(n(model.totals.reads), 10)}${padStart(n(model.totals.writes), 10)}${padStart(n(model.totals.deletes), 10)}${padStart(n(model.totals.invocations), 13)}${padStart('', 9)}${padStart(usd(model.total), 22)}`,
  );
  out.push(
    `  of which Firestore ${usd(model.firestoreTotal)}, Cloud Functions ${usd(model.functionsTotal)} (at the emulator's durations; at 100 ms a call, the least billed: ${usd(model.functionsAtFloor)}, total ${usd(model.firestoreTotal + model.functionsAtFloor)})`,
  );
  out.push(`  target (issue #13): <= $0.03 per host-month: ${model.total <= 0.03 ? 'meets target' : 'MISSES target'}`);
  out.push('');
  formatFleetSizes(out, model);
  if (model.probe) {
    out.push('Per report, every function counted (one probe agent, the fleet idle, each report waited out):');
    for (const [kind, rows] of Object.entries(model.probe)) {
      out.push(`  ${padEnd(kind, 12)} ${rows.map((row) => `r${row.reads}/w${row.writes}/d${row.deletes}`).join('  ')}`);
    }
    out.push('');
  }
  if (model.spread) {
    const { instances, ticket, none } = model.spread;
    out.push(
      `Across ${instances} ingest instances (in-process, each its own cache; unchanged reports round robin, each reaching an instance whose copy is stale):`,
    );
    out.push(
      `  with the ticket ${n(ticket.readsPerReport, 2)} reads a report (handler ${n(ticket.medianMs, 1)} ms median, ticket ${n(ticket.ticketChars.median)} characters); ` +
        `without ${n(none.readsPerReport, 2)} (${n(none.medianMs, 1)} ms)`,
    );
    out.push('');
  }
  out.push('Per schedule run (counted; a month runs them on their cron):');
  for (const line of model.lines.filter((entry) => entry.perRun)) {
    out.push(
      `  ${padEnd(line.name, 22)} ${line.runs} runs, per run r${n(line.perRun.reads, 1)}/w${n(line.perRun.writes, 1)}/d${n(line.perRun.deletes, 1)}, ${n(line.billedSecondsPerCall, 1)} s billed`,
    );
  }
  if (model.tab) {
    out.push(
      `Dashboard tab (window.__vigilReads, the dashboard's own counter; the web SDK bypasses the gRPC proxy): ${model.tab.loadReads} reads to load, ${model.tab.updateReads} while open over ${n(model.tab.realHours, 2)} real-equivalent hours = ${n(model.tab.perHour)} per open hour; one tab for the ${model.hosts} hosts`,
    );
  }
  out.push('');
  out.push('Stored documents at steady state, per host (sampled sizes include index entries):');
  for (const row of model.storage) {
    out.push(
      `  ${padEnd(row.collection, 38)} ${padStart(n(row.count), 7)} now, +${padStart(n(row.grew), 6)} in window ${row.accumulates ? `accumulates${row.ttl ? ' (TTL)' : ''}` : 'stays      '}  ${padStart(n(row.perHost, 1), 8)} docs/host x ${padStart(n(row.meanBytes), 7)} B (${n(row.meanIndexEntries)} index entries) = ${padStart(n(row.bytesPerHost / 1024), 7)} KiB`,
    );
  }
  out.push('');
  out.push('Firestore operations in the window by caller (counted server-side by the proxy; setup is not in the cost):');
  for (const [label, row] of Object.entries(run.counts)) {
    if (!row.reads && !row.writes && !row.deletes && Object.keys(row.rpcs).length === 0) continue;
    const rpcs = Object.entries(row.rpcs)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
    const failed = Object.entries(row.failedRpcs)
      .map(([name, count]) => `${name} x${count}`)
      .join(', ');
    out.push(`  ${padEnd(label, 28)} r${row.reads} w${row.writes} d${row.deletes}  rpcs: ${rpcs}${failed ? `  failed: ${failed}` : ''}`);
    for (const [collection, ops] of Object.entries(row.byCollection))
      out.push(`      ${padEnd(collection, 40)} r${ops.reads} w${ops.writes} d${ops.deletes}`);
  }
  out.push('Function invocations in the window (functions emulator log), and CPU by process (/proc):');
  for (const [name, calls] of Object.entries(run.invocations)) {
    out.push(
      `  ${padEnd(name, 28)} ${calls.started} calls, mean ${n(calls.finished ? calls.totalMs / calls.finished : NaN)} ms, CPU ${n(run.functionCpu[name] ?? 0, 1)} s`,
    );
  }
  out.push(
    `  by process: ${Object.entries(run.cpuByKind)
      .map(([kind, seconds]) => `${kind} ${n(seconds, 1)} s`)
      .join(', ')}`,
  );
  for (const note of model.notes) out.push(`note: ${note}`);
  out.push(`prices: ${PRICES.source}`);
  return out.join('\n');
}
