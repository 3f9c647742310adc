// The bundle is the product: build it, move it where no node_modules can help it, and run it.
// VIGIL_TEST_NODE18 names a binary of the oldest Node the agent supports (MINIMUM_NODE in main.ts) to
// run it under as well: `npm test` fetches one (scripts/lib/node18.mjs); by hand,
//   VIGIL_TEST_NODE18=$(node scripts/lib/node18.mjs) npx vitest run --project unit agent/src/build.test.ts
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const AGENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const node18 = process.env.VIGIL_TEST_NODE18;
let buildDir: string;
let runDir: string;
let bundle: string;

beforeAll(() => {
  buildDir = mkdtempSync(path.join(tmpdir(), 'vigil-build-'));
  runDir = mkdtempSync(path.join(tmpdir(), 'vigil-run-'));
  execFileSync(process.execPath, [path.join(AGENT_DIR, 'build.mjs'), '--outfile', path.join(buildDir, 'vigil-agent.mjs')], {
    stdio: 'pipe',
  });
  bundle = path.join(runDir, 'vigil-agent.mjs');
  copyFileSync(path.join(buildDir, 'vigil-agent.mjs'), bundle);
}, 60_000);

afterAll(() => {
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(runDir, { recursive: true, force: true });
});

function runBundle(nodeBinary: string, ...args: string[]): string {
  // No NODE_PATH, cwd outside the repo: only what is inside the file can be used.
  return execFileSync(nodeBinary, [bundle, ...args], { cwd: runDir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
}

describe('dist/vigil-agent.mjs', () => {
  it('is under 1 MB', () => {
    expect(statSync(bundle).size).toBeLessThan(1024 * 1024);
  });

  it('runs --version and --help with no node_modules around it', () => {
    const { version } = JSON.parse(readFileSync(path.join(AGENT_DIR, 'package.json'), 'utf8')) as { version: string };
    expect(runBundle(process.execPath, '--version').trim()).toBe(version);
    const help = runBundle(process.execPath, '--help');
    expect(help).toContain('Usage: vigil-agent <command> [--config FILE]');
    expect(help).toContain('collect --json');
  });

  it('reads a YAML config, collects and validates a report with what it bundles', () => {
    const config = path.join(runDir, 'agent.yaml');
    writeFileSync(config, '# test\nskip_solutions: [crowdsec]\nlog_level: warn\n', { mode: 0o600 });
    const empty = mkdtempSync(path.join(runDir, 'fixture-'));
    const report = JSON.parse(runBundle(process.execPath, 'collect', '--json', '--config', config, '--fixture', `ufw=${empty}`)) as {
      solutions: unknown[];
      host: { hostname?: string };
    };
    expect(report.solutions).toEqual([]);
    expect(report.host.hostname).toBeTruthy();
  });

  it('loads node:tls and node:https only where it sends or serves over them', () => {
    // A static import would load them into every command, collect included: most of 1 MiB of
    // peak RSS (bench/agent-collect.mjs). Only `import("node:…")` at the point of use may name them.
    expect(readFileSync(bundle, 'utf8')).not.toMatch(/(?<!import\()"node:(tls|https)"/);
  });

  it('starts with a shebang and is executable', () => {
    expect(readFileSync(bundle, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(statSync(bundle).mode & 0o111).not.toBe(0);
  });

  it.skipIf(!node18)(
    'runs on the oldest Node it claims to support (VIGIL_TEST_NODE18)',
    () => {
      // Exactly the claimed minimum: a newer 18.x would pass while the claim stays untested.
      const claimed = /const MINIMUM_NODE = \[(\d+), (\d+)\]/.exec(readFileSync(path.join(AGENT_DIR, 'src', 'main.ts'), 'utf8'));
      expect(claimed).not.toBeNull();
      expect(execFileSync(node18!, ['--version'], { encoding: 'utf8' }).trim()).toBe(`v${claimed![1]}.${claimed![2]}.0`);

      const { version } = JSON.parse(readFileSync(path.join(AGENT_DIR, 'package.json'), 'utf8')) as { version: string };
      expect(runBundle(node18!, '--version').trim()).toBe(version);
      expect(runBundle(node18!, '--help')).toContain('Usage: vigil-agent <command> [--config FILE]');

      // A real collect runs every plugin's detection and tests on this host. Under the old Node it must
      // find what the current one finds, and nothing may throw where it does not: an API missing from
      // the old Node would fail a plugin (its status), a solution (an error code) or a check (whose
      // thrown error becomes a "check failed: …" message). Pass or fail of each test is the host's.
      type Report = {
        reportId: string;
        agentVersion: string;
        solutions: { id: string; errors: { code: string }[]; tests: { id: string; message: string }[] }[];
        agentHealth: { plugins: { id: string; status: string }[] };
      };
      const shape = (report: Report) => ({
        plugins: report.agentHealth.plugins.map(({ id, status }) => `${id}: ${status}`),
        solutions: report.solutions.map((solution) => ({
          id: solution.id,
          errors: solution.errors.map((error) => error.code),
          tests: solution.tests.map((test) => (test.message.startsWith('check failed:') ? `${test.id}: ${test.message}` : test.id)),
        })),
      });
      const old = JSON.parse(runBundle(node18!, 'collect', '--json')) as Report;
      const current = JSON.parse(runBundle(process.execPath, 'collect', '--json')) as Report;
      expect(old.reportId).toMatch(/^[0-9a-f-]{36}$/);
      expect(old.agentVersion).toBe(version);
      expect(shape(old)).toEqual(shape(current));
    },
    60_000,
  );
});
