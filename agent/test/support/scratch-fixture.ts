// A throw-away fixture directory for tests of plugin helpers: files under root/ and a commands.json,
// read through the FixtureHost that `collect --fixture` uses. Removed after the test file.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { FixtureHost } from '../../src/host/fixture-host.js';

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Files (absolute paths on the pretend host, made executable) and recorded command answers. */
export function scratchFixture(files: Record<string, string>, commands: Record<string, unknown> = {}): FixtureHost {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-probe-'));
  made.push(dir);
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, 'root', file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content, { mode: 0o755 });
  }
  writeFileSync(path.join(dir, 'commands.json'), JSON.stringify(commands));
  return new FixtureHost(dir);
}
