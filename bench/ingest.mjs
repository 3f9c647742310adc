#!/usr/bin/env node
// Ingest benchmark: simulated agents send reports to ingestReport under the Firebase emulators.
//
//   node bench/ingest.mjs [--agents 20] [--reports 20] [--concurrency 8 | --rate R] [--warmup 3] [--count 10] [--triggers on|off] [--instances 4]
//
//   --agents N        simulated agents, each enrolled with createAgent (default 20)
//   --reports R       reports per agent, one per round (default 20; keep <= 25: the per-agent token
//                     bucket holds 30, beyond that ingest answers resource-exhausted)
//   --concurrency C   requests in flight (default 8): closed loop, each call starts when one ends
//   --rate R          instead: R calls per second with random (Poisson) gaps, whether or not earlier
//                     calls have answered: open loop, how a fleet's reports arrive (bench/README.md)
//   --warmup W        warm-up rounds of C calls per callable, not measured (default 3)
//   --count K         steady-state reports whose Firestore operations are counted (default 10)
//   --triggers on|off on (default): background triggers (onReportCreated) run while measuring, as
//                     deployed; off: measure the callable alone, to see what the triggers cost it
//   --instances K     in-process ingest instances an agent's reports spread over, with its ticket
//                     and without (default 4): reads per report when the instance's copy is stale
//
// It builds functions/ (npm run build -w functions), then runs bench/ingest-run.mjs under the
// emulator harness (auth, firestore, functions, pubsub), which stops the emulators when it ends, and
// prints the summary again last. What it prints and how to read it: bench/README.md.
// Emulator ports are fixed, so one suite runs per machine: it waits while another run holds them.
import { launchUnderEmulators } from './launch.mjs';

const EMULATORS = 'auth,firestore,functions,pubsub';
const OPTIONS = ['--agents', '--reports', '--concurrency', '--rate', '--warmup', '--count', '--triggers', '--instances'];

function usage(message) {
  if (message) console.error(message);
  console.error(
    'usage: node bench/ingest.mjs [--agents 20] [--reports 20] [--concurrency 8 | --rate R] [--warmup 3] [--count 10] [--triggers on|off] [--instances 4]',
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

await launchUnderEmulators({ name: 'ingest', emulators: EMULATORS, args, build: 'functions' });
