// The retention half of the alerts benchmark, run by bench/alerts-run.mjs inside the emulators
// (start it with `node bench/alerts.mjs`, or `node bench/alerts.mjs --only retention`).
//
// Each measurement gets its own seed of N expired reports (receivedAt 60 days ago, small documents),
// written with an unthrottled Admin SDK BulkWriter; seeding is not timed. Then, timed:
//   handler   the real pruneOldData() (functions/src/alerts/prune-old-data.ts, bundled by esbuild),
//             called in-process: it finds the reports itself (the collection group where
//             expireAt <= now, paged id-only queries) and deletes them through one BulkWriter with
//             the SDK's default settings.
//   raw       the same number of documents deleted by a BulkWriter with the same default settings,
//             given the refs directly: no queries. The issue's baseline (ratio handler/raw).
//   capacity  the same again with throttling off: what the emulator itself can delete, to show how
//             much of both figures is the BulkWriter's own rate limit (500/50/5: it starts at 500
//             operations per second and grows by half every 5 minutes).
// Pairs alternate the order of handler and raw; capacity follows each pair. Medians are printed.
// The handler's seed lives in a workspace with retentionDays 30, spread over K agents whose agent
// documents name their newest (also expired) report in lastReportId, and each agent also has fresh
// reports; every report carries expireAt (receivedAt + 30 days) as ingest stamps it. After the call
// exactly N reports must be gone, the newest among them (no report is kept for being the newest:
// state/current holds the latest), and each agent's fresh ones left. The raw seeds have no expireAt,
// so the handler never finds them (the sweep's one-off backfill of documents without expireAt is
// marked done before the first measurement); the handler's workspace is removed after its checks
// (not timed), so every handler run sees the same world.
// The handler's queries are timed by wrapping Query.prototype.get for the call: how long they took,
// and when the last returned (every delete queued), against the time a 500/s BulkWriter needs.
import { performance } from 'node:perf_hooks';
import { fmt, median, pad, setBackgroundTriggers, sleep, verdict, waitForQuiet } from './bench-lib.mjs';

const TARGET_RATIO = 0.8;
const FRESH_PER_AGENT = 3;
const DAY_MS = 86_400_000;
/** The BulkWriter's default starting rate (operations per second; +50 % every 5 minutes). */
const DEFAULT_BULKWRITER_OPS = 500;

/**
 * @param {object} options
 * @param {any} options.lib       the bundle of bench/alerts-entry.ts
 * @param {string} options.runId
 * @param {number} options.expired  N, documents to delete per measurement
 * @param {number} options.pairs
 * @param {number} options.agents   K, agents the handler's seed is spread over
 * @param {(line: string) => void} options.log  progress
 * @param {() => number} options.bundleStamp  functions/lib/index.js mtime: a change means the functions emulator reloaded
 * @returns {Promise<{ lines: string[], problems: string[] }>}
 */
export async function runRetention({ lib, runId, expired, pairs, agents, log, bundleStamp = () => 0 }) {
  const db = lib.firestore();
  const { Timestamp } = lib;
  const problems = [];
  const nowMs = Date.now();
  const expiredAtMs = nowMs - 60 * DAY_MS;

  // The sweep's one-off backfill of documents without expireAt (retention-backfill.ts) would find
  // the raw seeds: marked done, as it is once it has run.
  await db.doc(lib.paths.retentionBackfill()).set({ before: Timestamp.fromMillis(nowMs), progress: {}, doneAt: Timestamp.fromMillis(nowMs) });

  // Every report written below would fire onReportCreated in the functions emulator: off. The
  // Firestore emulator still posts each creation to the functions emulator, which drops it; the
  // idle wait after each seed keeps that tail out of the timings.
  await setBackgroundTriggers(false);

  /** Spreads n over k agents: how many expired reports agent i gets. */
  const share = (n, k, i) => Math.floor(n / k) + (i < n % k ? 1 : 0);

  /** Seeds one measurement; returns the refs the measurement must delete and what must remain. */
  async function seed(label, { withWorkspace }) {
    await setBackgroundTriggers(false);
    const workspaceId = `bench-ret-${runId}-${label}`;
    const writer = db.bulkWriter({ throttling: false });
    writer.onWriteError((error) => error.failedAttempts < 10);
    let failed = 0;
    const write = (promise) => promise.catch(() => (failed += 1));
    const refs = [];
    const keep = [];
    const agentIds = [];
    const started = performance.now();
    if (withWorkspace) {
      write(
        writer.set(db.doc(lib.paths.workspace(workspaceId)), {
          name: `retention bench ${label}`,
          createdAt: Timestamp.fromMillis(nowMs - 90 * DAY_MS),
          createdBy: 'bench',
          settings: { retentionDays: 30, reportingIntervalSeconds: 300, failedTestThreshold: 1 },
        }),
      );
    }
    const k = Math.min(agents, expired);
    for (let i = 0; i < k; i += 1) {
      const agentId = `agent-${String(i).padStart(3, '0')}`;
      agentIds.push(agentId);
      const reportsPath = lib.paths.reports(workspaceId, agentId);
      const report = (reportId, receivedAtMs) => ({
        reportId,
        agentId,
        agentVersion: '0.1.0',
        collectedAt: new Date(receivedAtMs - 1000).toISOString(),
        receivedAt: Timestamp.fromMillis(receivedAtMs),
        // What ingest stamps on a stored report (the handler's seed only: the raw seeds must stay unfound).
        ...(withWorkspace ? { workspaceId, expireAt: Timestamp.fromMillis(receivedAtMs + 30 * DAY_MS) } : {}),
      });
      const n = share(expired, k, i);
      for (let j = 0; j < n; j += 1) {
        const reportId = `old-${String(j).padStart(6, '0')}`;
        const ref = db.doc(`${reportsPath}/${reportId}`);
        refs.push(ref);
        write(writer.create(ref, report(reportId, expiredAtMs + j * 1000)));
      }
      if (withWorkspace) {
        // The agent's newest report is the last expired one: it goes like the others. The fresh ones stay.
        const newestId = `old-${String(n - 1).padStart(6, '0')}`;
        for (let j = 0; j < FRESH_PER_AGENT; j += 1) {
          const freshId = `fresh-${j}`;
          const fresh = db.doc(`${reportsPath}/${freshId}`);
          keep.push(fresh);
          write(writer.create(fresh, report(freshId, nowMs - (j + 1) * 3_600_000)));
        }
        write(
          writer.set(db.doc(lib.paths.agent(workspaceId, agentId)), {
            name: `retention-${i}`,
            status: 'online',
            lastReportId: newestId,
            lastSeenAt: Timestamp.fromMillis(expiredAtMs + (n + 1) * 1000),
          }),
        );
      }
    }
    await writer.close();
    const seconds = (performance.now() - started) / 1000;
    if (failed) problems.push(`${label}: ${failed} seed writes failed`);
    const quiet = await waitForQuiet({ maxMs: 120_000 });
    // A functions/lib rebuild by anyone reloads the functions emulator, which turns the triggers
    // back on: off again, just before the timing (idempotent, cheap).
    await setBackgroundTriggers(false);
    log(
      `[bench]   seeded ${refs.length + keep.length} documents for ${label} in ${fmt(seconds)} s ` +
        `(${fmt((refs.length + keep.length) / seconds, 0)}/s); waited ${fmt(quiet.waitedMs / 1000)} s for idle emulators` +
        (quiet.load === undefined ? '' : ` (${quiet.tree ? 'emulator tree' : 'machine'} at ${fmt(quiet.load, 2)} ${quiet.tree ? 'cores' : 'busy'})`),
    );
    return { workspaceId, refs, keep, agentIds, seedSeconds: seconds, quiet };
  }

  /** Documents left under the seed's agents (count aggregation, not timed). */
  async function remaining(seeded) {
    let left = 0;
    for (const agentId of seeded.agentIds) {
      const snapshot = await db.collection(lib.paths.reports(seeded.workspaceId, agentId)).count().get();
      left += snapshot.data().count;
    }
    return left;
  }

  async function measureHandler(label) {
    const seeded = await seed(label, { withWorkspace: true });
    // Time every query the handler runs (its workspace, agent and page queries): wrapped for this
    // call only. The deletes go to its BulkWriter without waiting, so the queries and the deletes
    // overlap; the time the last query returns is when every delete has been queued.
    const queries = [];
    const originalGet = lib.Query.prototype.get;
    let started = performance.now();
    lib.Query.prototype.get = async function timedGet(...args) {
      const t0 = performance.now();
      const snapshot = await originalGet.apply(this, args);
      queries.push({ startedAt: t0 - started, ms: performance.now() - t0, size: snapshot.size });
      return snapshot;
    };
    let result;
    try {
      started = performance.now();
      result = await lib.pruneOldData();
    } catch (error) {
      const seconds = (performance.now() - started) / 1000;
      // The handler's BulkWriter was never closed: give what it had queued a moment to land.
      await sleep(3000);
      const left = await remaining(seeded);
      const gone = seeded.refs.length + seeded.keep.length - left;
      problems.push(
        `${label}: pruneOldData THREW after ${fmt(seconds, 2)} s, ${gone} of the ${seeded.refs.length} expired reports deleted: ` +
          String(error?.message ?? error).split('\n')[0],
      );
      // Clean up (not timed) so the next handler run does not stumble on this workspace first.
      await db.recursiveDelete(db.doc(lib.paths.workspace(seeded.workspaceId)), db.bulkWriter({ throttling: false }));
      return { kind: 'handler', label, failed: true, deleted: gone, seconds, perSecond: NaN, left, seeded };
    } finally {
      lib.Query.prototype.get = originalGet;
    }
    const seconds = (performance.now() - started) / 1000;
    const queryMs = queries.map((q) => q.ms);
    const breakdown = {
      queries: queries.length,
      querySeconds: queryMs.reduce((a, b) => a + b, 0) / 1000,
      medianQueryMs: median(queryMs),
      maxQueryMs: Math.max(...queryMs),
      queuedAtSeconds: Math.max(...queries.map((q) => q.startedAt + q.ms)) / 1000,
    };
    const left = await remaining(seeded);
    const kept = await db.getAll(...seeded.keep);
    const missing = kept.filter((snapshot) => !snapshot.exists).map((snapshot) => snapshot.ref.path);
    if (result.reports !== seeded.refs.length) {
      problems.push(`${label}: handler says it deleted ${result.reports} reports, ${seeded.refs.length} were expired`);
    }
    if (left !== seeded.keep.length) {
      problems.push(`${label}: ${left} reports left under the seeded agents, expected ${seeded.keep.length} (${FRESH_PER_AGENT} fresh each)`);
    }
    if (missing.length) problems.push(`${label}: deleted what it must keep: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}`);
    if (result.events !== 0) problems.push(`${label}: handler deleted ${result.events} events (none were old)`);
    // Not timed: remove the workspace, so every handler run finds the same world (its own agents and
    // the alert phase's), not the agents of earlier runs too.
    await db.recursiveDelete(db.doc(lib.paths.workspace(seeded.workspaceId)), db.bulkWriter({ throttling: false }));
    return { kind: 'handler', label, deleted: result.reports, seconds, perSecond: result.reports / seconds, left, result, seeded, breakdown };
  }

  async function measureRaw(label, { throttling }) {
    const seeded = await seed(label, { withWorkspace: false });
    const writer = throttling ? db.bulkWriter() : db.bulkWriter({ throttling: false });
    let failed = 0;
    const started = performance.now();
    for (const ref of seeded.refs) writer.delete(ref).catch(() => (failed += 1));
    await writer.close();
    const seconds = (performance.now() - started) / 1000;
    const left = await remaining(seeded);
    if (failed || left) problems.push(`${label}: ${failed} deletes failed, ${left} documents left`);
    const deleted = seeded.refs.length - failed;
    return { kind: throttling ? 'raw' : 'capacity', label, deleted, seconds, perSecond: deleted / seconds, left, seeded };
  }

  const rounds = [];
  for (let pair = 0; pair < pairs; pair += 1) {
    const order = pair % 2 === 0 ? ['handler', 'raw'] : ['raw', 'handler'];
    const round = {};
    const stampBefore = bundleStamp();
    for (const kind of order) {
      log(`[bench] retention pair ${pair + 1}/${pairs}: ${kind} over ${expired} expired reports…`);
      round[kind] = kind === 'handler' ? await measureHandler(`p${pair}-handler`) : await measureRaw(`p${pair}-raw`, { throttling: true });
      log(`[bench]   ${kind}: ${round[kind].deleted} deleted in ${fmt(round[kind].seconds, 2)} s = ${fmt(round[kind].perSecond, 0)}/s`);
    }
    log(`[bench] retention pair ${pair + 1}/${pairs}: capacity (BulkWriter throttling off)…`);
    round.capacity = await measureRaw(`p${pair}-capacity`, { throttling: false });
    log(`[bench]   capacity: ${round.capacity.deleted} deleted in ${fmt(round.capacity.seconds, 2)} s = ${fmt(round.capacity.perSecond, 0)}/s`);
    round.order = order;
    round.reloaded = bundleStamp() !== stampBefore;
    if (round.reloaded)
      problems.push(`pair ${pair + 1}: functions/lib was rebuilt (by another process) during the pair: the functions emulator reloaded`);
    rounds.push(round);
  }

  const lines = [];
  const out = (line = '') => lines.push(line);
  const finite = (values) => values.filter(Number.isFinite);
  const ratios = rounds.map((r) => r.handler.perSecond / r.raw.perSecond);
  const capacityRatios = rounds.map((r) => r.handler.perSecond / r.capacity.perSecond);
  const med = (pick) => median(finite(rounds.map(pick)));
  const failedRuns = rounds.filter((r) => r.handler.failed).length;
  out(
    `retention: ${expired} expired reports per measurement over ${Math.min(agents, expired)} agents (retentionDays 30, ` +
      `receivedAt 60 days old, the newest of each agent among them; + ${FRESH_PER_AGENT} fresh reports per agent, kept), ${pairs} pairs`,
  );
  out(
    `${'pair'.padEnd(6)}${'order'.padEnd(20)}${pad('handler/s', 11)}${pad('raw/s', 9)}${pad('ratio', 8)}${pad('capacity/s', 12)}${pad('handler s', 11)}${pad('raw s', 8)}${pad('cap. s', 8)}`,
  );
  rounds.forEach((r, i) => {
    out(
      `${`${i + 1}${r.reloaded ? '*' : ''}`.padEnd(6)}${r.order.join(' then ').padEnd(20)}${pad(r.handler.failed ? 'THREW' : fmt(r.handler.perSecond, 0), 11)}` +
        `${pad(fmt(r.raw.perSecond, 0), 9)}${pad(fmt(ratios[i], 3), 8)}${pad(fmt(r.capacity.perSecond, 0), 12)}` +
        `${pad(fmt(r.handler.seconds, 1), 11)}${pad(fmt(r.raw.seconds, 1), 8)}${pad(fmt(r.capacity.seconds, 1), 8)}`,
    );
  });
  const okRatios = finite(ratios);
  const ratio = median(okRatios);
  out(
    `median: handler ${fmt(
      med((r) => r.handler.perSecond),
      0,
    )} deletes/s, raw BulkWriter (default settings, refs given) ` +
      `${fmt(
        med((r) => r.raw.perSecond),
        0,
      )}/s, emulator capacity (throttling off) ${fmt(
        med((r) => r.capacity.perSecond),
        0,
      )}/s`,
  );
  out(
    okRatios.length
      ? `ratio handler/raw = ${fmt(ratio, 3)} (median of ${okRatios.length} per-pair ratios; min ${fmt(Math.min(...okRatios), 3)}, ` +
          `max ${fmt(Math.max(...okRatios), 3)}) (target >= ${TARGET_RATIO}) -> ${verdict(ratio >= TARGET_RATIO)}`
      : `ratio handler/raw: not measured, the handler threw in every pair (target >= ${TARGET_RATIO}) -> MISSES target`,
  );
  const measuredHandlers = rounds.map((r) => r.handler).filter((h) => h.breakdown);
  if (measuredHandlers.length) {
    const b = (pick) => median(measuredHandlers.map((h) => pick(h.breakdown)));
    out(
      `handler breakdown (medians over ${measuredHandlers.length} runs): ${fmt(
        b((x) => x.queries),
        0,
      )} queries, ` +
        `${fmt(
          b((x) => x.querySeconds),
          1,
        )} s in queries (each ${fmt(
          b((x) => x.medianQueryMs),
          0,
        )} ms median, ` +
        `${fmt(
          b((x) => x.maxQueryMs),
          0,
        )} ms max); every delete queued at ${fmt(
          b((x) => x.queuedAtSeconds),
          1,
        )} s ` +
        `of ${fmt(
          med((r) => r.handler.seconds),
          1,
        )} s; a BulkWriter at ${DEFAULT_BULKWRITER_OPS}/s needs ${fmt(expired / DEFAULT_BULKWRITER_OPS, 1)} s`,
    );
  }
  if (rounds.some((r) => r.reloaded)) out('  * functions/lib was rebuilt during this pair (another process): the functions emulator reloaded');
  if (failedRuns) out(`  the handler THREW in ${failedRuns} of ${rounds.length} pairs (see the checks below)`);
  out(
    `ratio handler/capacity = ${fmt(median(finite(capacityRatios)), 3)} (how far below what the emulator can delete; ` +
      `raw/capacity = ${fmt(median(rounds.map((r) => r.raw.perSecond / r.capacity.perSecond)), 3)}: the BulkWriter's own rate limit)`,
  );
  const seeds = rounds.flatMap((r) => [r.handler, r.raw, r.capacity].map((m) => m.seeded));
  out(
    `seeding (not timed): median ${fmt(median(seeds.map((s) => (s.refs.length + s.keep.length) / s.seedSeconds)), 0)} writes/s; ` +
      `wait for idle emulators before timing: median ${fmt(median(seeds.map((s) => s.quiet.waitedMs / 1000)), 1)} s, ` +
      `max ${fmt(Math.max(...seeds.map((s) => s.quiet.waitedMs / 1000)), 1)} s`,
  );
  out(
    problems.length
      ? `retention CHECK FAILED:\n  ${problems.join('\n  ')}`
      : `retention checks: every handler run deleted exactly the ${expired} expired reports (each agent's newest too) and kept ` +
          `each agent's fresh ones (${rounds.length} runs); raw and capacity deletes left nothing`,
  );
  return { lines, problems, ratio };
}
