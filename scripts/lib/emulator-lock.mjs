// One emulator suite per machine: its ports are fixed. Commands that start emulators take this lock
// first, so a second `npm test` (or a benchmark) waits for the first instead of failing on a port.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const LOCK_DIR = path.join(tmpdir(), 'vigil-emulators.lock');

function holderAlive() {
  try {
    const pid = Number(readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Waits until this process holds the lock; releases it when the process exits. */
export async function acquireEmulatorLock({ timeoutMs = 20 * 60_000, onWait } = {}) {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
      process.on('exit', releaseEmulatorLock);
      return;
    } catch {
      const holder = holderAlive();
      if (holder === undefined) {
        // Left behind by a process that died: take it over.
        rmSync(LOCK_DIR, { recursive: true, force: true });
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

export function releaseEmulatorLock() {
  try {
    if (Number(readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8')) === process.pid) rmSync(LOCK_DIR, { recursive: true, force: true });
  } catch {
    // Not ours or already gone.
  }
}
