// Two real builds of the agent for the self-update's tests: the repo's version (package.json) and
// another (agent/build.mjs with VIGIL_AGENT_VERSION_OVERRIDE), each a bundle as install.sh installs
// it, plus a state directory and a launcher's-eye view of it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const AGENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REPO_VERSION = (JSON.parse(readFileSync(path.join(AGENT_DIR, 'package.json'), 'utf8')) as { version: string }).version;
export const OTHER_VERSION = '0.0.9-test';

export interface Build {
  file: string;
  version: string;
  sha256: string;
}

export function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Builds the agent into `dir` with this version (the repo's when undefined). */
export function buildAgent(dir: string, version?: string): Build {
  const file = path.join(dir, 'vigil-agent.mjs');
  execFileSync(process.execPath, [path.join(AGENT_DIR, 'build.mjs'), '--outfile', file], {
    stdio: 'pipe',
    env: { ...process.env, ...(version ? { VIGIL_AGENT_VERSION_OVERRIDE: version } : {}) },
  });
  return { file, version: version ?? REPO_VERSION, sha256: sha256Of(file) };
}

/** Puts a bundle where the updater would have (`<state dir>/update/<sha256>/`) and returns its ref. */
export function placeUpdate(stateDir: string, source: string, version: string): { version: string; sha256: string } {
  const sha256 = sha256Of(source);
  const dir = path.join(stateDir, 'update', sha256);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(dir, 'vigil-agent.mjs'), readFileSync(source), { mode: 0o600 });
  return { version, sha256 };
}

export function writeUpdateState(stateDir: string, state: unknown): void {
  mkdirSync(path.join(stateDir, 'update'), { recursive: true, mode: 0o700 });
  writeFileSync(path.join(stateDir, 'update', 'state.json'), JSON.stringify(state), { mode: 0o600 });
}

export function readUpdateState(stateDir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(stateDir, 'update', 'state.json'), 'utf8')) as Record<string, unknown>;
}
