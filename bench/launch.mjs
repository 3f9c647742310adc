// How every emulator benchmark starts (bench/ingest.mjs, alerts.mjs, dashboard.mjs): wait for the
// machine's one emulator suite to be free, build what the run serves, run the `*-run.mjs` script
// under the emulator harness, and print its summary again after the emulators' shutdown chatter.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireEmulatorLock, releaseEmulatorLock } from '../scripts/lib/emulator-lock.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.dirname(BENCH_DIR);
/** Every port the harness may use; a run started some other way shows up here. */
const PORTS = { auth: 9099, firestore: 8080, functions: 5001, pubsub: 8085, hosting: 5000, hub: 4400, logging: 4500, mailSink: 8025 };
const PORT_WAIT_S = 30 * 60;

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

async function waitForFreePorts() {
  for (let waited = 0; ; waited += 15) {
    const busy = [];
    for (const [name, port] of Object.entries(PORTS)) if (await portBusy(port)) busy.push(`${name} ${port}`);
    if (busy.length === 0) return;
    if (waited >= PORT_WAIT_S) {
      console.error(`[bench] emulator ports still in use after 30 minutes (${busy.join(', ')}); giving up.`);
      process.exit(3);
    }
    if (waited === 0) console.log(`[bench] emulator ports in use (${busy.join(', ')}): waiting for the other run to end…`);
    await new Promise((resolve) => setTimeout(resolve, 15_000));
  }
}

/**
 * @param {object} options
 * @param {string} options.name         the run's name: bench/<name>-run.mjs, bench/.build/<name>-summary.txt
 * @param {string} options.emulators    the harness's --only list
 * @param {string[]} options.args       passed on to the run script
 * @param {string | string[] | null} options.build the workspace(s) to build first (`npm run build -w …`), or null
 * @param {string} [options.log]        the harness's --log FILE (emulator and function logs go there)
 */
export async function launchUnderEmulators({ name, emulators, args, build, log }) {
  // Rebuilding changes what a running emulator serves (the functions emulator reloads, Hosting serves
  // the new files), so the build waits for the harness's lock (other runs) and for free ports (emulators
  // started some other way). The lock is released just before the harness starts, which takes it again.
  if (build) {
    await acquireEmulatorLock({ onWait: (pid) => console.log(`[bench] waiting for process ${pid}, which is using the emulators…`) });
    await waitForFreePorts();
    for (const workspace of [build].flat()) {
      console.log(`[bench] building ${workspace}…`);
      const built = spawnSync('npm', ['run', 'build', '-w', workspace], { cwd: REPO_ROOT, stdio: 'inherit' });
      if (built.status !== 0) process.exit(built.status ?? 1);
    }
    releaseEmulatorLock();
  }

  const buildDir = path.join(BENCH_DIR, '.build');
  mkdirSync(buildDir, { recursive: true });
  const summaryFile = path.join(buildDir, `${name}-summary.txt`);
  rmSync(summaryFile, { force: true });

  const harness = path.join(REPO_ROOT, 'scripts', 'emulators.mjs');
  const runArgs = [`bench/${name}-run.mjs`, ...args, '--summary-file', path.relative(REPO_ROOT, summaryFile)];
  const logArgs = log ? ['--log', log] : [];
  const child = spawn(process.execPath, [harness, 'exec', '--only', emulators, ...logArgs, '--', 'node', ...runArgs], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => {
    // The emulators' shutdown chatter follows the run's own output: print the figures once more, last.
    if (existsSync(summaryFile)) {
      console.log(`\n${readFileSync(summaryFile, 'utf8')}`);
      process.exit(code ?? (signal ? 1 : 0));
    }
    // The emulators can also stop cleanly (exit 0) when something else signals them mid-run.
    console.error('[bench] no summary: the run failed or was stopped before it finished (see above).');
    process.exit(code || 1);
  });
}
