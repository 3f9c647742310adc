#!/usr/bin/env node
// Issue #13's cost benchmark: a simulated fleet against the whole stack on the emulators, every
// Firestore operation counted server-side, scaled to one host-month at 300 s and priced.
//
//   node bench/fleet.mjs [--hosts 1000] [--interval 10] [--duration 180] [--change-rate 0.02]
//                        [--failing-share 0.05] [--dashboard on|off] [--no-build-web]
//                        [--model-hosts 1000,100000] | tee out.txt
//
// It builds functions/ (and web/, for the dashboard tab), then runs bench/fleet-run.mjs under the
// emulator harness with the functions' logs in bench/.build/fleet-emulators.log (invocations are
// counted from it) and every Node process preloading bench/lib/functions-through-proxy.cjs, which
// points the function workers' Firestore at the counting proxy fleet-run.mjs starts. What it does
// and how to read it: bench/README.md, "Fleet cost benchmark".
import { fstatSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchUnderEmulators } from './launch.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
// Ports of the counting proxy: one for the function workers, one for the benchmark's own Admin SDK.
const FUNCTIONS_PROXY_PORT = 8181;
const BENCH_PROXY_PORT = 8182;

let values;
try {
  ({ values } = parseArgs({
    options: {
      hosts: { type: 'string', default: '1000' },
      interval: { type: 'string', default: '10' },
      duration: { type: 'string', default: '180' },
      'change-rate': { type: 'string', default: '0.02' },
      'failing-share': { type: 'string', default: '0.05' },
      dashboard: { type: 'string', default: 'on' },
      'no-build-web': { type: 'boolean', default: false },
      'model-hosts': { type: 'string', default: '1000,100000' },
      // on: the hosts follow ingest's report slots; off: spread over the interval, which the
      // functions emulator (one request per worker process) serves without starting workers mid-window.
      slots: { type: 'string', default: 'on' },
    },
  }));
} catch (error) {
  console.error(
    `${error.message}\nusage: node bench/fleet.mjs [--hosts N] [--interval S] [--duration S] [--change-rate P] [--failing-share P] [--dashboard on|off] [--no-build-web] [--model-hosts N,N] [--slots on|off]`,
  );
  process.exit(2);
}
for (const name of ['change-rate', 'failing-share']) {
  const value = Number(values[name]);
  if (!(value >= 0 && value <= 1)) {
    console.error(`--${name} must be a share between 0 and 1, got ${values[name]}`);
    process.exit(2);
  }
}
// The fleet sizes Cloud Functions are priced at (bench/lib/cost-model.mjs, "at fleet size").
if (!values['model-hosts'].split(',').every((value) => /^[1-9]\d*$/.test(value))) {
  console.error(`--model-hosts must be positive whole numbers separated by commas, got ${values['model-hosts']}`);
  process.exit(2);
}
if (!['on', 'off'].includes(values.slots)) {
  console.error(`--slots must be on or off, got ${values.slots}`);
  process.exit(2);
}
if (!['on', 'off'].includes(values.dashboard)) {
  console.error(`--dashboard must be on or off, got ${values.dashboard}`);
  process.exit(2);
}
// The harness cannot send the emulator logs to --log when our stdout is a regular file (it keeps
// them inline there), and without that log the invocations go uncounted.
if (fstatSync(1).isFile()) {
  console.error(
    'stdout is a regular file: pipe the output instead (node bench/fleet.mjs … | tee out.txt), so the function logs can go to their own file.',
  );
  process.exit(2);
}

const dashboardOn = values.dashboard === 'on';
const functionsLog = path.join(BENCH_DIR, '.build', 'fleet-emulators.log');
process.env.VIGIL_FLEET_FUNCTIONS_FIRESTORE = `127.0.0.1:${FUNCTIONS_PROXY_PORT}`;
process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, `--require ${path.join(BENCH_DIR, 'lib', 'functions-through-proxy.cjs')}`]
  .filter(Boolean)
  .join(' ');

await launchUnderEmulators({
  name: 'fleet',
  emulators: dashboardOn ? 'auth,firestore,functions,pubsub,hosting' : 'auth,firestore,functions,pubsub',
  build: dashboardOn && !values['no-build-web'] ? ['functions', 'web'] : 'functions',
  log: functionsLog,
  args: [
    '--hosts',
    values.hosts,
    '--interval',
    values.interval,
    '--duration',
    values.duration,
    '--change-rate',
    values['change-rate'],
    '--failing-share',
    values['failing-share'],
    '--dashboard',
    values.dashboard,
    '--functions-port',
    String(FUNCTIONS_PROXY_PORT),
    '--bench-port',
    String(BENCH_PROXY_PORT),
    '--functions-log',
    functionsLog,
    '--model-hosts',
    values['model-hosts'],
    '--slots',
    values.slots,
  ],
});
