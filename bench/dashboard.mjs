#!/usr/bin/env node
// Dashboard benchmark (issues 6 and 13): with a seeded fleet and its fleet summary, the time until
// the overview's content is visible in headless Chromium, the Firestore reads and the bytes one
// overview load costs, and the JavaScript it loads before its content appears.
//
//   node bench/dashboard.mjs [--agents 500] [--events 300] [--loads 7] [--warmup 2] [--no-build]
//
//   --agents N    agents seeded in the workspace (default 500; the runs: 500, 10000, 100000)
//   --events E    events seeded (default 300; the overview reads the newest 5 and counts the open ones)
//   --loads L     measured loads of each page, cold (a new browser context each), medians printed (default 7)
//   --warmup W    loads of each page first, not measured (default 2)
//   --no-build    use web/out as it is instead of running `npm run build -w web` first
//
// It builds the dashboard export (the Hosting emulator serves web/out), then runs
// bench/dashboard-run.mjs under the emulator harness (auth, firestore, hosting: the overview calls no
// function, and the run calls the summarizeFleets handler in its own process, bundled from
// functions/src), which stops the emulators when it ends, and prints the summary again last. What
// it prints and how to read it: bench/README.md. One emulator suite runs per machine: it waits while
// another run holds the harness's lock, and builds only while holding it (a rebuild would change the
// files another run's Hosting emulator is serving).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { launchUnderEmulators, REPO_ROOT } from './launch.mjs';

const EMULATORS = 'auth,firestore,hosting';
const NUMERIC = ['--agents', '--events', '--loads', '--warmup'];

function usage(message) {
  if (message) console.error(message);
  console.error('usage: node bench/dashboard.mjs [--agents 500] [--events 300] [--loads 7] [--warmup 2] [--no-build]');
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) usage();
const build = !args.includes('--no-build');
const passed = args.filter((arg) => arg !== '--no-build');
for (let i = 0; i < passed.length; i += 2) {
  if (!NUMERIC.includes(passed[i])) usage(`unknown option: ${passed[i]}`);
  if (!/^\d+$/.test(passed[i + 1] ?? '') || Number(passed[i + 1]) < 1) usage(`${passed[i]} needs a positive integer`);
}

if (!build && !existsSync(path.join(REPO_ROOT, 'web', 'out', 'index.html'))) {
  usage('--no-build, but web/out has no export: run `npm run build -w web` first');
}

await launchUnderEmulators({ name: 'dashboard', emulators: EMULATORS, args: passed, build: build ? 'web' : null });
