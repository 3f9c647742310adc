// CPU time by kind of process on this machine (Linux /proc), to show where a benchmark phase's work
// goes: the Firestore emulator (JVM), the functions emulator's hub, its function workers, the
// benchmark's own client, and the rest. Reads every process's utime+stime; a process that starts
// or ends between two samples counts for what it used inside the window only as far as /proc shows.
import { processTable } from './bench-lib.mjs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function kindOf(pid, args) {
  if (pid === process.pid) return 'bench client';
  if (args.includes('cloud-firestore-emulator') || (args.includes('java') && args.includes('firestore'))) return 'firestore emulator';
  if (args.includes('functionsEmulatorRuntime')) return 'function workers';
  if (args.includes('firebase') && args.includes('emulators')) return 'emulator hub';
  if (args.includes('java')) return 'other JVM (pubsub…)';
  return 'other';
}

/** pid → { kind, ticks } for every process now. */
function sample() {
  const out = new Map();
  for (const [pid, { ticks, args }] of processTable({ withArgs: true })) out.set(pid, { kind: kindOf(pid, args), ticks });
  return out;
}

/** Accumulates CPU seconds by kind over the windows between start() and stop(). */
export function cpuByKind() {
  const totals = new Map();
  let before;
  return {
    start() {
      before = sample();
    },
    stop() {
      const after = sample();
      for (const [pid, { kind, ticks }] of after) {
        const used = ticks - (before.get(pid)?.ticks ?? 0);
        if (used > 0) totals.set(kind, (totals.get(kind) ?? 0) + used / TICKS_PER_SECOND);
      }
    },
    totals: () => Object.fromEntries(totals),
  };
}
