#!/usr/bin/env node
// `npm test`: every tier, in the order that fails fastest.
//   1. typecheck every workspace        4. deploy: functions/ installs and loads as `firebase deploy` does
//   2. build agent, functions, dashboard    5. int + browser: under the emulators (auth, firestore,
//   3. unit tests                          functions, pubsub, hosting) started by the harness
//   3b. host: the agent on this machine; outage: agent delivery while the functions emulator is down
// The unit tier also runs the agent bundle under the oldest Node it claims (scripts/lib/node18.mjs
// fetches it once on linux-x64; elsewhere that test is skipped with a warning, and fails under CI=true).
// A failed tier does not hide the others' results; the exit code is non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './lib/emulator-env.mjs';
import { chromiumPath } from './lib/chromium.mjs';
import { NODE18_VERSION, node18Binary } from './lib/node18.mjs';

const RESULTS_DIR = path.join(REPO_ROOT, '.vigil', 'test-results');
const vitest = path.join(REPO_ROOT, 'node_modules', '.bin', 'vitest');
const outcomes = [];

function step(name, command, args, options = {}) {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit', ...options });
  const ok = result.status === 0;
  outcomes.push({ name, ok, seconds: (Date.now() - started) / 1000 });
  if (!ok) console.error(`--- ${name} FAILED (exit ${result.status ?? result.signal}) ---`);
  return ok;
}

function vitestArgs(projects, tier) {
  return [
    'run',
    ...projects.flatMap((project) => ['--project', project]),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${path.join(RESULTS_DIR, `${tier}.json`)}`,
  ];
}

function countTests() {
  let passed = 0;
  let failed = 0;
  for (const tier of ['unit', 'deploy', 'host', 'outage', 'emulators']) {
    const file = path.join(RESULTS_DIR, `${tier}.json`);
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    // Failed tests, plus each failed file none of whose tests failed (it could not even load).
    failed += report.numFailedTests ?? 0;
    failed += (report.testResults ?? []).filter(
      (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
    ).length;
  }
  return { passed, failed };
}

rmSync(RESULTS_DIR, { recursive: true, force: true });
mkdirSync(RESULTS_DIR, { recursive: true });

const built =
  step('typecheck', 'npm', ['run', 'typecheck', '--workspaces', '--if-present']) &&
  // The agent bundle first: the functions build puts its SHA-256 into the install command.
  step('build agent bundle', 'npm', ['run', 'build', '-w', 'agent']) &&
  step('build functions', 'npm', ['run', 'build', '-w', 'functions']) &&
  step('build dashboard', 'npm', ['run', 'build', '-w', 'web']);

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

if (built) {
  step('unit tests', vitest, vitestArgs(['unit'], 'unit'), { env: unitEnv() });
  step('deployability', vitest, vitestArgs(['deploy'], 'deploy'));
  step('agent on this host', vitest, vitestArgs(['host'], 'host'));
  // Starts (and stops) emulators itself, so it runs outside the harness's `exec`.
  step('agent delivery across an outage', vitest, vitestArgs(['outage'], 'outage'));
  const chromium = chromiumPath();
  if (!chromium) {
    console.error('Browser tests need Chromium: `apt-get install -y chromium` (or set CHROMIUM_PATH).');
    outcomes.push({ name: 'browser tests (no Chromium)', ok: false, seconds: 0 });
  }
  step(
    'emulator and browser tests',
    'node',
    ['scripts/emulators.mjs', 'exec', '--', vitest, ...vitestArgs(chromium ? ['int', 'browser'] : ['int'], 'emulators')],
    { env: { ...process.env, ...(chromium ? { CHROMIUM_PATH: chromium } : {}) } },
  );
}

console.log('\n=== summary ===');
for (const { name, ok, seconds } of outcomes) console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} (${seconds.toFixed(1)} s)`);
const { passed, failed } = countTests();
const allOk = built && outcomes.every((outcome) => outcome.ok);
console.log(`tests: ${passed} passed, ${allOk ? failed : Math.max(failed, 1)} failed`);
process.exit(allOk ? 0 : 1);
