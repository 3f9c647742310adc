#!/usr/bin/env node
// `npm start`: the whole of Vigil on this machine. Builds the functions and the dashboard export,
// starts the emulators (auth, firestore, functions, pubsub, hosting) through the harness, seeds the
// demo workspace and fleet, runs the real agent on this machine against the emulators, starts the
// dashboard in development mode at :3000, runs every scheduled function on its cron (the emulators
// never fire them: scripts/lib/schedules.mjs), and prints what runs where.
// Ctrl-C (or SIGTERM) stops every process it started, Java emulators included.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { emulatorEnv, firebaseBin, PORTS, PROJECT_ID, REPO_ROOT } from './lib/emulator-env.mjs';
import { acquireEmulatorLock } from './lib/emulator-lock.mjs';
import { startMailSink } from './lib/mail-sink-server.mjs';
import { listSchedules, startScheduleRunner } from './lib/schedules.mjs';
import { startProcess, stopAll } from './lib/processes.mjs';
import { answers, isPortFree, waitFor } from './lib/wait.mjs';
import { DEMO_USER, INGEST_URL, seedDemo } from './seed-demo.mjs';

const EMULATORS = ['auth', 'firestore', 'functions', 'pubsub', 'hosting'];
const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
let stopping = false;

function log(message) {
  console.log(`[vigil] ${message}`);
}

async function stop(exitCode) {
  if (stopping) return;
  stopping = true;
  log('stopping everything…');
  await stopAll();
  log('stopped.');
  process.exit(exitCode);
}

async function refuseBusyPorts() {
  const busy = [];
  for (const [name, port] of Object.entries(PORTS)) if (!(await isPortFree(port))) busy.push(`${port} (${name})`);
  if (busy.length > 0) {
    console.error(
      `[vigil] These ports are in use: ${busy.join(', ')}.\n` +
        '[vigil] Another `npm start`, `npm test` or emulator is probably running; stop it and try again.',
    );
    process.exit(1);
  }
}

function build(name, args) {
  log(`building ${name}…`);
  const result = spawnSync('npm', args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[vigil] building ${name} failed`);
    process.exit(1);
  }
}

async function runningEmulators() {
  const response = await fetch(`http://127.0.0.1:${PORTS.hub}/emulators`, { signal: AbortSignal.timeout(2_000) });
  const running = Object.keys(await response.json());
  return EMULATORS.every((name) => running.includes(name));
}

/** The real agent, on this machine, reporting to the emulators every minute. */
function startLocalAgent(key) {
  const dir = path.join(REPO_ROOT, '.vigil', 'local-agent');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const config = path.join(dir, 'agent.yaml');
  writeFileSync(
    config,
    `# Written by npm start: the local agent reporting to the emulators.\nendpoint: ${INGEST_URL}\nkey: ${key}\n` +
      `interval_seconds: 60\nspool_dir: ${path.join(dir, 'spool')}\n`,
    { mode: 0o600 },
  );
  chmodSync(config, 0o600);
  const agent = startProcess('agent', process.execPath, [path.join(REPO_ROOT, 'agent', 'dist', 'vigil-agent.mjs'), 'run', '--config', config], {
    cwd: REPO_ROOT,
    quiet: true,
  });
  void agent.exited.then(({ code }) => !stopping && log(`the local agent stopped (exit ${code}); the rest keeps running`));
}

async function functionsLoaded() {
  const url = `http://127.0.0.1:${PORTS.functions}/${PROJECT_ID}/us-central1/bootstrapWorkspace`;
  // A well-formed callable request without a user: answered `unauthenticated` once the function is
  // loaded, and not logged as an error (a bare POST is, as a malformed request).
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: {} }),
    signal: AbortSignal.timeout(2_000),
  });
  return response.status !== 404;
}

async function main() {
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  await acquireEmulatorLock({ onWait: (pid) => log(`waiting for process ${pid}, which is using the emulators…`) });
  await refuseBusyPorts();

  let harness;
  try {
    harness = emulatorEnv();
  } catch (error) {
    console.error(`[vigil] ${error.message}`);
    process.exit(3);
  }
  harness.notes.forEach((note) => log(note));

  // The agent bundle first: the functions build puts its SHA-256 (and install.sh's) into the install command.
  build('agent bundle (served at /vigil-agent.mjs)', ['run', 'build', '-w', 'agent']);
  build('functions', ['run', 'build', '-w', 'functions']);
  build('dashboard export for the Hosting emulator', ['run', 'build', '-w', 'web']);

  const mailSink = await startMailSink({ port: PORTS.mailSink });
  log(`mail sink at ${mailSink.url}`);

  log('starting emulators…');
  const emulators = startProcess('emulators', firebaseBin, ['emulators:start', '--project', PROJECT_ID, '--only', EMULATORS.join(',')], {
    cwd: REPO_ROOT,
    env: harness.env,
  });
  void emulators.exited.then(() => !stopping && (console.error('[vigil] the emulators stopped unexpectedly'), stop(1)));
  await waitFor('the emulators', runningEmulators, { timeoutMs: 120_000, intervalMs: 500 });
  // The hub lists the Functions emulator before it has loaded our code: wait for a real function.
  await waitFor('the functions to load', functionsLoaded, { timeoutMs: 60_000 });
  log(`emulators up after ${elapsed()}`);

  const { workspaceId, localAgentKey } = await seedDemo();
  log(`seeded ${DEMO_USER.email} in workspace ${workspaceId} with a demo fleet`);
  startLocalAgent(localAgentKey);
  const schedules = await listSchedules();
  startScheduleRunner(schedules, { log: (line) => !stopping && log(line) });

  const dashboard = startProcess('dashboard', 'npm', ['run', 'dev', '-w', 'web'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  void dashboard.exited.then(() => !stopping && (console.error('[vigil] the dashboard stopped unexpectedly'), stop(1)));
  await waitFor('the dashboard', () => answers(`http://localhost:${PORTS.dashboard}/signin/`), { timeoutMs: 120_000 });

  const rows = [
    ['Dashboard (dev, hot reload)', `http://localhost:${PORTS.dashboard}`],
    ['Dashboard (static export, Hosting emulator)', `http://127.0.0.1:${PORTS.hosting}`],
    ['Demo sign-in', `${DEMO_USER.email} / ${DEMO_USER.password}`],
    ['Local agent (this machine)', 'reports every minute; config in .vigil/local-agent/agent.yaml'],
    ['Agent install script and bundle', `http://127.0.0.1:${PORTS.hosting}/install.sh, /vigil-agent.mjs`],
    ['Callables', `http://127.0.0.1:${PORTS.functions}/${PROJECT_ID}/us-central1/<name>`],
    ...schedules.schedules.map(({ name, schedule }) => [`Schedule ${name}`, `${schedule} (${schedules.timeZone}); now: npm run schedule -- ${name}`]),
    ['Auth emulator', `127.0.0.1:${PORTS.auth}`],
    ['Firestore emulator', `127.0.0.1:${PORTS.firestore}`],
    ['Pub/Sub emulator', `127.0.0.1:${PORTS.pubsub}`],
    ['Alert emails (mail sink)', `http://127.0.0.1:${PORTS.mailSink}/messages`],
    ['Emulator logs', path.relative(process.cwd(), path.join(REPO_ROOT, '*-debug.log')) || '*-debug.log'],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\nVigil is running (ready in ${elapsed()}). Ctrl-C stops everything.\n`);
  for (const [name, where] of rows) console.log(`  ${name.padEnd(width)}  ${where}`);
  console.log('');
}

main().catch((error) => {
  console.error(`[vigil] ${error.stack ?? error}`);
  void stop(1);
});
