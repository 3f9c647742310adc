import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-atomic-'));
  dirs.push(dir);
  return dir;
}

describe('writeFileAtomic', () => {
  it('creates the file with exactly the mode given, whatever the umask, and leaves no temporary file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'key');
    const umask = process.umask(0o000);
    try {
      await writeFileAtomic(file, 'secret\n', 0o600);
    } finally {
      process.umask(umask);
    }
    expect(readFileSync(file, 'utf8')).toBe('secret\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['key']);
  });

  it('replaces an existing file, which may have been readable by others, with the new mode', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'key');
    writeFileSync(file, 'old\n', { mode: 0o644 });
    chmodSync(file, 0o644);
    await writeFileAtomic(file, 'new\n', 0o600);
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['key']);
  });

  it('leaves the target as it was and removes its temporary file when the rename fails', async () => {
    const dir = tempDir();
    // A non-empty directory cannot be renamed over, even by root: a failure after the write.
    const target = path.join(dir, 'key');
    mkdirSync(target);
    writeFileSync(path.join(target, 'inside'), 'old\n');
    await expect(writeFileAtomic(target, 'new\n', 0o600)).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readFileSync(path.join(target, 'inside'), 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['key']);
  });
});
