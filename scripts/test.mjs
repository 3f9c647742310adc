#!/usr/bin/env node
// `npm test`: every tier, in the order that fails fastest. `node scripts/test.mjs TIER...` (what
// `npm run test:unit` and friends run) runs only those tiers, each after the builds it needs:
//   unit     *.test.ts beside the source: no emulators, no build
//   deploy   functions/ installs and loads as `firebase deploy` does      (builds agent, functions)
//   host     the agent bundle on this machine's real packages              (builds agent)
//   outage   agent delivery while the functions emulator is down           (builds agent, functions)
//   int      callables, triggers, rules under the emulators (auth, firestore, functions, pubsub,
//            hosting) started by the harness                               (builds agent, functions)
//   browser  the dashboard in headless Chromium under the same emulators   (builds everything)
// `npm test` typechecks every workspace first and runs int and browser under one emulator start.
// The unit tier also runs the agent bundle under the oldest Node it claims (scripts/lib/node18.mjs
// fetches it once on linux-x64; elsewhere that test is skipped with a warning, and fails under CI=true).
// What prints: each step's name; a build's output only if it fails; vitest's dots and each failure
// in full; the emulators' and functions' logs go to .vigil/logs/emulators.log, whose tail prints if
// the emulator tiers fail. A failed tier does not hide the others' results; the exit code is
// non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { REPO_ROOT } from './lib/emulator-env.mjs';
import { chromiumPath } from './lib/chromium.mjs';
import { NODE18_VERSION, node18Binary } from './lib/node18.mjs';
import { buildsFor, parseTiers } from './lib/test-tiers.mjs';
import { readTestResults } from './lib/test-results.mjs';

const RESULTS_DIR = path.join(REPO_ROOT, '.vigil', 'test-results');
const EMULATOR_LOG = path.join(REPO_ROOT, '.vigil', 'logs', 'emulators.log');
const vitest = path.join(REPO_ROOT, 'node_modules', '.bin', 'vitest');
const outcomes = [];

/**
 * Runs one step. quiet: its output is kept and printed only if it fails (builds and typechecks,
 * whose success says nothing a person needs).
 */
function step(name, command, args, { quiet = false, ...options } = {}) {
  console.log(`=== ${name}`);
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: REPO_ROOT,
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    maxBuffer: 256 * 1024 * 1024,
    ...options,
  });
  const ok = result.status === 0;
  outcomes.push({ name, ok, seconds: (Date.now() - started) / 1000 });
  if (!ok) {
    if (quiet) process.stderr.write(Buffer.concat([result.stdout ?? Buffer.alloc(0), result.stderr ?? Buffer.alloc(0)]));
    console.error(`--- ${name} FAILED (exit ${result.status ?? result.signal ?? result.error?.message}) ---`);
  }
  return ok;
}

/** Dots while passing, each failure in full, console output only of failed tests; JSON for the counts. */
function vitestArgs(projects, results) {
  return [
    'run',
    ...projects.flatMap((project) => ['--project', project]),
    '--reporter=dot',
    '--silent=passed-only',
    '--reporter=json',
    `--outputFile.json=${path.join(RESULTS_DIR, `${results}.json`)}`,
  ];
}

/** The unit tier's environment: VIGIL_TEST_NODE18 for agent/src/build.test.ts, unless already set. */
function unitEnv() {
  if (process.env.VIGIL_TEST_NODE18) return process.env;
  const { bin, problem } = node18Binary();
  if (bin) return { ...process.env, VIGIL_TEST_NODE18: bin };
  const message = `No Node ${NODE18_VERSION} to run the agent bundle under (${problem}).`;
  if (/^(true|1)$/i.test(process.env.CI ?? '')) {
    // A promise we cannot check is a failing test in CI.
    console.error(`${message}\nThe agent claims to run on Node ${NODE18_VERSION}+; CI must check it (linux-x64 and the npm registry).`);
    outcomes.push({ name: `agent on Node ${NODE18_VERSION} (no binary)`, ok: false, seconds: 0 });
  } else {
    console.warn(`WARNING: ${message}\nThe agent's "runs on the oldest Node" test is skipped; CI runs it.`);
  }
  return process.env;
}

const everything = process.argv.length <= 2;
let tiers;
try {
  tiers = new Set(parseTiers(process.argv.slice(2)));
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
rmSync(RESULTS_DIR, { recursive: true, force: true });
mkdirSync(RESULTS_DIR, { recursive: true });

// The whole run lints first (eslint.config.js, .prettierrc.json): findings fail the run but do not
// stop the tests, whose results are worth having too.
if (everything) step('lint', 'npm', ['run', 'lint'], { quiet: true });
// The whole run checks types first; one tier by hand goes straight to its tests.
let built = !everything || step('typecheck', 'npm', ['run', 'typecheck', '--workspaces', '--if-present'], { quiet: true });
for (const build of buildsFor([...tiers])) {
  if (built) built = step(build.name, 'npm', ['run', 'build', '-w', build.workspace], { quiet: true });
}

if (built) {
  // Every core for the unit tier: vitest leaves one free by default, which on a 2-core machine is one
  // worker and nearly doubles the tier's time (80 s against 45 s measured); nothing else runs beside it.
  if (tiers.has('unit')) step('unit tests', vitest, [...vitestArgs(['unit'], 'unit'), `--maxWorkers=${availableParallelism()}`], { env: unitEnv() });
  if (tiers.has('deploy')) step('deployability', vitest, vitestArgs(['deploy'], 'deploy'));
  if (tiers.has('host')) step('agent on this host', vitest, vitestArgs(['host'], 'host'));
  // Starts (and stops) emulators itself, so it runs outside the harness's `exec`.
  if (tiers.has('outage')) step('agent delivery across an outage', vitest, vitestArgs(['outage'], 'outage'));
  const projects = [];
  if (tiers.has('int')) projects.push('int');
  let chromium;
  if (tiers.has('browser')) {
    chromium = chromiumPath();
    if (chromium) projects.push('browser');
    else {
      console.error('Browser tests need Chromium: `apt-get install -y chromium` (or set CHROMIUM_PATH).');
      outcomes.push({ name: 'browser tests (no Chromium)', ok: false, seconds: 0 });
    }
  }
  if (projects.length > 0) {
    step(
      `${projects.join(' and ')} tests under the emulators`,
      'node',
      ['scripts/emulators.mjs', 'exec', '--log', EMULATOR_LOG, '--', vitest, ...vitestArgs(projects, 'emulators')],
      { env: { ...process.env, ...(chromium ? { CHROMIUM_PATH: chromium } : {}) } },
    );
  }
}

console.log('=== summary');
for (const { name, ok, seconds } of outcomes) console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} (${seconds.toFixed(1)} s)`);
const { passed, failed, failures } = readTestResults(RESULTS_DIR, REPO_ROOT);
for (const failure of failures) console.log(`failed: ${failure}`);
if (failures.length === 0 && outcomes.some((outcome) => !outcome.ok)) {
  // A failing hook, an unhandled error or a build names no test in the JSON reports.
  console.log('failed: no test is named for the failed step (a build, a hook or an unhandled error): see its output above');
}
const allOk = built && outcomes.every((outcome) => outcome.ok);
console.log(`tests: ${passed} passed, ${allOk ? failed : Math.max(failed, 1)} failed`);
process.exit(allOk ? 0 : 1);
