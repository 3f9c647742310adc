import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireEmulatorLock, releaseEmulatorLock } from './emulator-lock.mjs';

const made = [];
function lockPath() {
  const parent = mkdtempSync(path.join(tmpdir(), 'vigil-lock-test-'));
  made.push(parent);
  return path.join(parent, 'lock');
}

afterEach(() => {
  for (const parent of made.splice(0)) rmSync(parent, { recursive: true, force: true });
});

describe('acquireEmulatorLock', () => {
  it('takes a free lock and writes its own pid', async () => {
    const dir = lockPath();
    await acquireEmulatorLock({ dir });
    expect(readFileSync(path.join(dir, 'pid'), 'utf8')).toBe(String(process.pid));
    releaseEmulatorLock(dir);
  });

  it('waits for a lock whose holder has made it but not yet written its pid, instead of taking it over', async () => {
    // Another process between its mkdir and its pid write: taking that over let two suites run at once
    // (EADDRINUSE on the mail sink's port) when several waited on the lock.
    const dir = lockPath();
    mkdirSync(dir);
    await expect(acquireEmulatorLock({ dir, timeoutMs: 1_500, staleMs: 60_000 })).rejects.toThrow(/still in use/);
  });

  it('takes over a lock without a pid once it is older than staleMs (its maker died before writing it)', async () => {
    const dir = lockPath();
    mkdirSync(dir);
    const old = new Date(Date.now() - 120_000);
    utimesSync(dir, old, old);
    await acquireEmulatorLock({ dir, timeoutMs: 5_000, staleMs: 60_000 });
    expect(readFileSync(path.join(dir, 'pid'), 'utf8')).toBe(String(process.pid));
    releaseEmulatorLock(dir);
  });

  it('takes over a lock whose holder has exited', async () => {
    const dir = lockPath();
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'pid'), '2147483646');
    await acquireEmulatorLock({ dir, timeoutMs: 5_000 });
    expect(readFileSync(path.join(dir, 'pid'), 'utf8')).toBe(String(process.pid));
    releaseEmulatorLock(dir);
  });
});
