// What the functions did during a window, apart from Firestore: invocations and their durations,
// from the functions emulator's log (each worker logs `Beginning execution of "<region>-<name>"`
// and `Finished "<region>-<name>" in <ms>ms`), and CPU seconds by function, from /proc (each worker
// process serves one function, named in its environment).
import { processTable } from '../bench-lib.mjs';
import { functionOfProcess } from './peer-process.mjs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const BILLING_GRANULARITY_MS = 100;

/** The function's own name: `us-central1-ingestReport` -> `ingestReport`. */
const shortName = (key) => key.replace(/^[a-z]+-[a-z]+\d+-/, '');

/** name -> { started, finished, totalMs, billedMs } for the log text of a window. */
export function invocationsIn(text) {
  const out = {};
  const row = (name) => (out[name] ??= { started: 0, finished: 0, totalMs: 0, billedMs: 0 });
  for (const match of text.matchAll(/Beginning execution of "([^"]+)"/g)) row(shortName(match[1])).started += 1;
  for (const match of text.matchAll(/Finished "([^"]+)" in ([\d.]+)ms/g)) {
    const entry = row(shortName(match[1]));
    const ms = Number(match[2]);
    entry.finished += 1;
    entry.totalMs += ms;
    // Request-based billing rounds each request's time up to the next 100 ms.
    entry.billedMs += Math.max(1, Math.ceil(ms / BILLING_GRANULARITY_MS)) * BILLING_GRANULARITY_MS;
  }
  return out;
}

function workerTicks() {
  const out = new Map();
  for (const [pid, { ticks, args }] of processTable({ withArgs: true })) {
    if (args.includes('functionsEmulatorRuntime')) out.set(pid, { ticks, name: functionOfProcess(pid) ?? '(worker without FUNCTION_TARGET)' });
  }
  return out;
}

/** CPU seconds by function between start() and stop(); a worker started in between counts from zero. */
export function cpuByFunction() {
  let before = new Map();
  const totals = {};
  return {
    start() {
      before = workerTicks();
    },
    stop() {
      for (const [pid, { ticks, name }] of workerTicks()) {
        const used = (ticks - (before.get(pid)?.ticks ?? 0)) / TICKS_PER_SECOND;
        if (used > 0) totals[name] = (totals[name] ?? 0) + used;
      }
    },
    totals: () => ({ ...totals }),
  };
}
