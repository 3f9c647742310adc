// One emulator suite per machine: its ports are fixed. Commands that start emulators take this lock
// first, so a second `npm test` (or a benchmark) waits for the first instead of failing on a port.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const LOCK_DIR = path.join(tmpdir(), 'vigil-emulators.lock');

/** A lock without a pid this old was left by a process that died between its mkdir and its pid write. */
const PIDLESS_STALE_MS = 10_000;

/**
 * The holder's pid while it lives; 'starting' while the lock has no pid yet but was made moments
 * ago (its maker is between mkdir and the pid write: taking it over then let two suites start at
 * once); undefined when the lock is free to take over.
 */
function holderOf(dir, staleMs) {
  let text;
  try {
    text = readFileSync(path.join(dir, 'pid'), 'utf8');
  } catch {
    try {
      return Date.now() - statSync(dir).mtimeMs < staleMs ? 'starting' : undefined;
    } catch {
      return undefined; // released meanwhile
    }
  }
  const pid = Number(text);
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/**
 * Waits until this process holds the lock; releases it when the process exits. `dir` and
 * `staleMs` are for tests.
 */
export async function acquireEmulatorLock({ timeoutMs = 20 * 60_000, onWait, dir = LOCK_DIR, staleMs = PIDLESS_STALE_MS } = {}) {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'pid'), String(process.pid));
      if (dir === LOCK_DIR) process.on('exit', () => releaseEmulatorLock());
      return;
    } catch {
      const holder = holderOf(dir, staleMs);
      if (holder === undefined) {
        // Left behind by a process that died: take it over.
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      if (!told) {
        onWait?.(holder);
        told = true;
      }
      if (Date.now() > deadline) throw new Error(`emulators still in use by process ${holder}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

export function releaseEmulatorLock(dir = LOCK_DIR) {
  try {
    if (Number(readFileSync(path.join(dir, 'pid'), 'utf8')) === process.pid) rmSync(dir, { recursive: true, force: true });
  } catch {
    // Not ours or already gone.
  }
}
