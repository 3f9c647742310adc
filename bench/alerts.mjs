#!/usr/bin/env node
// Alerts benchmark (issue 5): alert latency from an accepted report to its email in the local mail
// sink, and retention throughput against the raw delete throughput of the same emulator.
//
//   node bench/alerts.mjs [--transitions 120] [--expired 50000] [--pairs 3] [--agents N]
//                         [--concurrency 1] [--warmup 2] [--poll-ms 25] [--timeout-s 30]
//                         [--retention-agents 5] [--only alerts|retention]
//
//   --transitions T     measured test transitions (passing -> failing -> passing ...), each one
//                       report that must yield exactly one email (default 120, at least 100 for the issue)
//   --expired N         expired reports the retention handler must delete per measurement (default 50000)
//   --pairs P           handler/raw pairs, alternating order (default 3; medians are printed)
//   --agents A          agents sharing the transitions (default: enough to stay under the ingest
//                       token bucket: ceil(T / 20), at least 2)
//   --concurrency C     transitions in flight at once, on C different agents (default 1)
//   --warmup W          transitions on a warm-up agent before measuring, not measured (default 2)
//   --poll-ms MS        how often the mail sink is polled while an email is awaited (default 25)
//   --timeout-s S       how long one transition's email is awaited before it counts as missing (default 30)
//   --retention-agents K  agents the expired reports are spread across (default 5)
//   --only alerts|retention  run one phase only
//
// It builds functions/ (npm run build -w functions), then runs bench/alerts-run.mjs under the
// emulator harness (auth, firestore, functions, pubsub; the harness starts the mail sink on 8025),
// which stops the emulators when it ends, and prints the summary again last. What it prints and how
// to read it: bench/README.md. Emulator ports are fixed, so one suite runs per machine: it waits
// while another run holds them.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireEmulatorLock, releaseEmulatorLock } from '../scripts/lib/emulator-lock.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.dirname(BENCH_DIR);
const EMULATORS = 'auth,firestore,functions,pubsub';
const PORTS = { auth: 9099, firestore: 8080, functions: 5001, pubsub: 8085, hub: 4400, logging: 4500, mailSink: 8025 };
const NUMERIC = [
  '--transitions',
  '--expired',
  '--pairs',
  '--agents',
  '--concurrency',
  '--warmup',
  '--poll-ms',
  '--timeout-s',
  '--retention-agents',
];
const USAGE =
  'usage: node bench/alerts.mjs [--transitions 120] [--expired 50000] [--pairs 3] [--agents N] [--concurrency 1] ' +
  '[--warmup 2] [--poll-ms 25] [--timeout-s 30] [--retention-agents 5] [--only alerts|retention]';

function usage(message) {
  if (message) console.error(message);
  console.error(USAGE);
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) usage();
for (let i = 0; i < args.length; i += 2) {
  if (args[i] === '--only') {
    if (!['alerts', 'retention'].includes(args[i + 1])) usage('--only needs alerts or retention');
  } else if (!NUMERIC.includes(args[i])) usage(`unknown option: ${args[i]}`);
  else if (!/^\d+$/.test(args[i + 1] ?? '')) usage(`${args[i]} needs a non-negative integer`);
}

function portBusy(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// Rebuilding functions/lib makes a running functions emulator reload, so the build waits for the
// harness's lock (scripts/lib/emulator-lock.mjs: other runs' emulators) and for free ports (emulators
// started some other way; polled every 15 s for up to 30 minutes). The lock is released just before
// the harness starts, which takes it again.
await acquireEmulatorLock({ onWait: (pid) => console.log(`[bench] waiting for process ${pid}, which is using the emulators…`) });
for (let waited = 0; ; waited += 15) {
  const busy = [];
  for (const [name, port] of Object.entries(PORTS)) if (await portBusy(port)) busy.push(`${name} ${port}`);
  if (busy.length === 0) break;
  if (waited >= 30 * 60) {
    console.error(`[bench] emulator ports still in use after 30 minutes (${busy.join(', ')}); giving up.`);
    process.exit(3);
  }
  if (waited === 0) console.log(`[bench] emulator ports in use (${busy.join(', ')}): waiting for the other run to end…`);
  await new Promise((resolve) => setTimeout(resolve, 15_000));
}

console.log('[bench] building functions…');
const built = spawnSync('npm', ['run', 'build', '-w', 'functions'], { cwd: REPO_ROOT, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
releaseEmulatorLock();

const buildDir = path.join(BENCH_DIR, '.build');
mkdirSync(buildDir, { recursive: true });
const summaryFile = path.join(buildDir, 'alerts-summary.txt');
rmSync(summaryFile, { force: true });

const child = spawn(
  process.execPath,
  [
    path.join(REPO_ROOT, 'scripts', 'emulators.mjs'),
    'exec',
    '--only',
    EMULATORS,
    '--',
    'node',
    'bench/alerts-run.mjs',
    ...args,
    '--summary-file',
    path.relative(REPO_ROOT, summaryFile),
  ],
  { cwd: REPO_ROOT, stdio: 'inherit' },
);
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => {
  // The emulators' shutdown chatter follows the run's own output: print the figures once more, last.
  if (existsSync(summaryFile)) console.log(`\n${readFileSync(summaryFile, 'utf8')}`);
  else {
    // The emulators can also stop cleanly (exit 0) when something else signals them mid-run.
    console.error('[bench] no summary: the run failed or was stopped before it finished (see above).');
    process.exit(code || 1);
  }
  process.exit(code ?? (signal ? 1 : 0));
});
