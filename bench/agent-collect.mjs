#!/usr/bin/env node
// Agent collection benchmark: one collection over every plugin's fixture, by the real bundle.
//
//   node bench/agent-collect.mjs [--runs 5] [--scenario ID=NAME ...]
//
// It builds agent/dist's bundle into bench/.build/, then, in fresh child processes (so each peak
// RSS is one process's own), alternates:
//   - the bundle's `collect --json --fixture ID=agent/fixtures/ID/SCENARIO ...`: every plugin runs
//     against its fixture through FixtureHost, exactly as on a host but without touching this one;
//   - bare Node idling (`setTimeout`) for as long as the last collection took.
// Each child reports, at exit, its wall time since process start, its CPU time (user + system) and
// its peak RSS. The medians of --runs rounds are printed, with the RSS ratio collection / bare Node
// measured in the same run (machines are noisy: compare within one run, not across runs).
// Scenario per solution: "healthy" if the fixture has it, else hardened, active, enforcing, enabled,
// running, else the first in name order but "absent"; --scenario overrides. Targets (issue 4): CPU of a tick < 300 ms,
// RSS <= 1.3 x bare Node, bundle < 1 MB. How to read the output: bench/README.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.dirname(BENCH_DIR);
const FIXTURES = path.join(REPO_ROOT, 'agent', 'fixtures');
const BUILD_DIR = path.join(BENCH_DIR, '.build');
const BUNDLE = path.join(BUILD_DIR, 'vigil-agent.mjs');
const PREFERRED_SCENARIOS = ['healthy', 'hardened', 'active', 'enforcing', 'enabled', 'running'];
const TARGETS = { cpuMs: 300, rssRatio: 1.3, bundleBytes: 1024 * 1024 };

function usage(message) {
  if (message) console.error(message);
  console.error('usage: node bench/agent-collect.mjs [--runs 5] [--scenario ID=NAME ...]');
  process.exit(2);
}

let options;
try {
  options = parseArgs({
    options: { runs: { type: 'string', default: '5' }, scenario: { type: 'string', multiple: true, default: [] }, help: { type: 'boolean' } },
  }).values;
} catch (error) {
  usage(error.message);
}
if (options.help) usage();
const runs = Number(options.runs);
if (!Number.isInteger(runs) || runs < 1) usage('--runs needs a positive integer');
const chosen = new Map();
for (const pair of options.scenario) {
  const match = /^([a-z0-9-]+)=([\w.-]+)$/.exec(pair);
  if (!match) usage(`--scenario wants ID=NAME, got "${pair}"`);
  chosen.set(match[1], match[2]);
}

// 1. The bundle, built as for a release.
mkdirSync(BUILD_DIR, { recursive: true });
const built = spawnSync(process.execPath, [path.join(REPO_ROOT, 'agent', 'build.mjs'), '--outfile', BUNDLE], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const bundleBytes = statSync(BUNDLE).size;

// 2. One fixture per solution.
const fixtures = [];
for (const id of existsSync(FIXTURES) ? readdirSync(FIXTURES).sort() : []) {
  const dir = path.join(FIXTURES, id);
  if (!statSync(dir).isDirectory()) continue;
  const scenarios = readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .sort();
  const scenario = chosen.get(id) ?? PREFERRED_SCENARIOS.find((name) => scenarios.includes(name)) ?? scenarios.find((name) => name !== 'absent');
  if (!scenario || !scenarios.includes(scenario)) {
    console.error(`[bench] ${id}: no scenario ${scenario ?? ''} in ${path.relative(REPO_ROOT, dir)}; left out`);
    continue;
  }
  fixtures.push({ id, scenario, dir: path.join(dir, scenario) });
}
if (fixtures.length === 0) {
  console.error(`[bench] no fixtures under ${path.relative(REPO_ROOT, FIXTURES)}`);
  process.exit(1);
}
console.log(`[bench] fixtures: ${fixtures.map(({ id, scenario }) => `${id}/${scenario}`).join(', ')}`);

// 3. Child processes that measure themselves at exit.
const MEASURE = path.join(BUILD_DIR, 'measure.mjs');
writeFileSync(
  MEASURE,
  `// Written by bench/agent-collect.mjs. Runs the bundle (or idles), then writes its own figures.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
const out = process.env.BENCH_OUT;
process.on('exit', () => {
  const cpu = process.cpuUsage();
  writeFileSync(out, JSON.stringify({
    wallMs: performance.now(),
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssKiB: process.resourceUsage().maxRSS,
  }));
});
const [mode, arg, ...rest] = process.argv.slice(2);
if (mode === 'idle') setTimeout(() => {}, Number(arg));
else {
  process.argv = [process.argv[0], arg, ...rest];
  await import(arg);
}
`,
);

function child(args) {
  const out = path.join(BUILD_DIR, `measure-${process.pid}.json`);
  rmSync(out, { force: true });
  const result = spawnSync(process.execPath, [MEASURE, ...args], {
    cwd: BUILD_DIR,
    env: { PATH: process.env.PATH, BENCH_OUT: out, VIGIL_CONFIG: path.join(BUILD_DIR, 'absent.yaml') },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0 || !existsSync(out)) {
    console.error(result.stderr);
    throw new Error(`child ${args[0]} exited ${result.status}`);
  }
  const figures = JSON.parse(readFileSync(out, 'utf8'));
  rmSync(out, { force: true });
  return { ...figures, stdout: result.stdout };
}

// An empty config (all defaults) keeps this machine's /etc/vigil/agent.yaml out of the measurement.
writeFileSync(path.join(BUILD_DIR, 'absent.yaml'), '# bench: all defaults\n');
const collectArgs = ['collect', BUNDLE, 'collect', '--json', ...fixtures.flatMap(({ id, dir }) => ['--fixture', `${id}=${dir}`])];

const collections = [];
const idles = [];
let report;
for (let round = 1; round <= runs; round++) {
  const collection = child(collectArgs);
  report = JSON.parse(collection.stdout);
  collections.push(collection);
  idles.push(child(['idle', String(Math.round(collection.wallMs))]));
  console.log(
    `[bench] round ${round}: collection ${collection.wallMs.toFixed(0)} ms wall, ${collection.cpuMs.toFixed(0)} ms CPU, ` +
      `${(collection.maxRssKiB / 1024).toFixed(1)} MiB peak RSS; bare Node ${(idles.at(-1).maxRssKiB / 1024).toFixed(1)} MiB`,
  );
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const m = (list, key) => median(list.map((entry) => entry[key]));
const tests = report.solutions.flatMap((solution) => solution.tests);
const reported = new Set(report.solutions.map((solution) => solution.id));
const silent = fixtures.filter(({ id }) => !reported.has(id)).map(({ id, scenario }) => `${id}/${scenario}`);
const collection = { wallMs: m(collections, 'wallMs'), cpuMs: m(collections, 'cpuMs'), rss: m(collections, 'maxRssKiB') };
const bare = { wallMs: m(idles, 'wallMs'), cpuMs: m(idles, 'cpuMs'), rss: m(idles, 'maxRssKiB') };
const ratio = collection.rss / bare.rss;
const tickCpuMs = collection.cpuMs - bare.cpuMs;
const verdict = (ok) => (ok ? 'ok' : 'MISSED');

const summary = [
  `agent collection benchmark (${runs} rounds, medians; Node ${process.versions.node}, ${report.host.arch ?? process.arch})`,
  `  solutions in the report   ${report.solutions.length} of ${fixtures.length} fixtures (${tests.length} tests: ${tests.filter((t) => t.passed).length} passed)` +
    (silent.length ? `; no solution from ${silent.join(', ')} (plugin not registered, or not detected there)` : ''),
  `  collection process        ${collection.wallMs.toFixed(0)} ms wall, ${collection.cpuMs.toFixed(0)} ms CPU, ${(collection.rss / 1024).toFixed(1)} MiB peak RSS`,
  `  bare Node idling          ${bare.wallMs.toFixed(0)} ms wall, ${bare.cpuMs.toFixed(0)} ms CPU, ${(bare.rss / 1024).toFixed(1)} MiB peak RSS`,
  `  tick CPU (minus startup)  ${tickCpuMs.toFixed(0)} ms   target < ${TARGETS.cpuMs} ms: ${verdict(tickCpuMs < TARGETS.cpuMs)}` +
    ` (whole process ${collection.cpuMs.toFixed(0)} ms: ${verdict(collection.cpuMs < TARGETS.cpuMs)})`,
  `  RSS ratio                 ${ratio.toFixed(2)} x bare Node   target <= ${TARGETS.rssRatio}: ${verdict(ratio <= TARGETS.rssRatio)}`,
  `  bundle                    ${(bundleBytes / 1024).toFixed(0)} KiB   target < 1024 KiB: ${verdict(bundleBytes < TARGETS.bundleBytes)}`,
].join('\n');
console.log(`\n${summary}`);
writeFileSync(path.join(BUILD_DIR, 'agent-collect-summary.txt'), `${summary}\n`);
