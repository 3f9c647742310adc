#!/usr/bin/env node
// Ingest benchmark: simulated agents send reports to ingestReport under the Firebase emulators.
//
//   node bench/ingest.mjs [--agents 20] [--reports 20] [--concurrency 8] [--warmup 3] [--count 10] [--triggers on|off]
//
//   --agents N        simulated agents, each enrolled with createAgent (default 20)
//   --reports R       reports per agent, one per round (default 20; keep <= 25: the per-agent token
//                     bucket holds 30, beyond that ingest answers resource-exhausted)
//   --concurrency C   requests in flight (default 8)
//   --warmup W        warm-up rounds of C calls per callable, not measured (default 3)
//   --count K         steady-state reports whose Firestore operations are counted (default 10)
//   --triggers on|off on (default): background triggers (onReportCreated) run while measuring, as
//                     deployed; off: measure the callable alone, to see what the triggers cost it
//
// It builds functions/ (npm run build -w functions), then runs bench/ingest-run.mjs under the
// emulator harness (auth, firestore, functions, pubsub), which stops the emulators when it ends, and
// prints the summary again last. What it prints and how to read it: bench/README.md.
// Emulator ports are fixed, so one suite runs per machine: it waits while another run holds them.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireEmulatorLock, releaseEmulatorLock } from '../scripts/lib/emulator-lock.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.dirname(BENCH_DIR);
const EMULATORS = 'auth,firestore,functions,pubsub';
const PORTS = { auth: 9099, firestore: 8080, functions: 5001, pubsub: 8085, hub: 4400, logging: 4500 };
const OPTIONS = ['--agents', '--reports', '--concurrency', '--warmup', '--count', '--triggers'];

function usage(message) {
  if (message) console.error(message);
  console.error(
    'usage: node bench/ingest.mjs [--agents 20] [--reports 20] [--concurrency 8] [--warmup 3] [--count 10] [--triggers on|off]',
  );
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) usage();
for (let i = 0; i < args.length; i += 2) {
  if (!OPTIONS.includes(args[i])) usage(`unknown option: ${args[i]}`);
  if (args[i] === '--triggers') {
    if (!['on', 'off'].includes(args[i + 1])) usage('--triggers needs on or off');
  } else if (!/^\d+$/.test(args[i + 1] ?? '')) usage(`${args[i]} needs a positive integer`);
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
const summaryFile = path.join(buildDir, 'ingest-summary.txt');
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
    'bench/ingest-run.mjs',
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
  else console.error('[bench] no summary: the run failed before it finished (see above).');
  process.exit(code ?? (signal ? 1 : 0));
});
