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
import { launchUnderEmulators } from './launch.mjs';

const EMULATORS = 'auth,firestore,functions,pubsub';
const NUMERIC = ['--transitions', '--expired', '--pairs', '--agents', '--concurrency', '--warmup', '--poll-ms', '--timeout-s', '--retention-agents'];
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

await launchUnderEmulators({ name: 'alerts', emulators: EMULATORS, args, build: 'functions' });
