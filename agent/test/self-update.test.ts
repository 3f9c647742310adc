// The self-update with real processes and two real builds (support/agent-builds.ts): the installed
// bundle of one version hands over to an update of the other in the state directory, and rolls back
// a new version that crashes before its first accepted report or gets none by its deadline. The
// update's download through a real ingest is agent/test/self-update.int.test.ts.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SOLUTION_CATALOG } from '@vigil/schema';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../src/cli/exit-codes.js';
import { buildAgent, OTHER_VERSION, placeUpdate, readUpdateState, REPO_VERSION, writeUpdateState, type Build } from './support/agent-builds.js';
import { TEST_KEY } from './support/cli.js';

const NOW = new Date().toISOString();
let work: string;
/** The bundle install.sh installed (the launcher): another version than the repo's. */
let installed: Build;
/** The repo's build: the update. */
let update: Build;
let stateDir: string;
let config: string;
let endpoint: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'vigil-self-update-'));
  installed = buildAgent(mkdtempSync(path.join(work, 'installed-')), OTHER_VERSION);
  update = buildAgent(mkdtempSync(path.join(work, 'update-')));
  // An ingest that is never reachable: a port just closed. Reports stay spooled, none is accepted.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/ingestReport`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeEach(() => {
  const dir = mkdtempSync(path.join(work, 'host-'));
  stateDir = path.join(dir, 'state');
  config = path.join(dir, 'agent.yaml');
  writeFileSync(config, `endpoint: ${endpoint}\nkey: ${TEST_KEY}\nspool_dir: ${path.join(stateDir, 'spool')}\nlog_level: debug\n`);
  chmodSync(config, 0o600);
});

interface Exit {
  code: number | null;
  output: string;
}

/** One start of the installed bundle; `stopWhen` sends SIGTERM once the output matches it. */
function start(args: string[], stopWhen?: RegExp, timeoutMs = 30_000): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [installed.file, ...args], {
      env: { PATH: process.env.PATH ?? '', VIGIL_STATE_DIR: stateDir, VIGIL_SKIP_SOLUTIONS: Object.keys(SOLUTION_CATALOG).join(',') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stopped = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (stopWhen && !stopped && stopWhen.test(output)) {
        stopped = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Starts `run` again after every exit but a clean one or 2 and 3, as systemd's Restart=on-failure does. */
async function supervise(stopWhen: RegExp, maxStarts = 5): Promise<Exit[]> {
  const exits: Exit[] = [];
  while (exits.length < maxStarts) {
    const exit = await start(['run', '--config', config], stopWhen);
    exits.push(exit);
    if (exit.code === 0 || exit.code === 2 || exit.code === 3) break;
  }
  return exits;
}

const startedAs = (version: string) => new RegExp(`"message":"agent started","version":"${version.replace(/[.+]/g, '\\$&')}"`);

describe('the launcher', () => {
  it('hands over to the active update whose file hashes as verified, for run and the other commands', async () => {
    const ref = placeUpdate(stateDir, update.file, update.version);
    writeUpdateState(stateDir, { active: { ...ref, from: OTHER_VERSION, at: NOW }, bad: [] });
    expect(installed.version).not.toBe(update.version);
    expect((await start(['--version'])).output.trim()).toBe(REPO_VERSION);
    const run = await start(['run', '--config', config], startedAs(REPO_VERSION));
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`"message":"running the updated agent","version":"${REPO_VERSION}","installed":"${OTHER_VERSION}","onTrial":false`);
    // Without a trial nothing is rewritten.
    expect(readUpdateState(stateDir)).toEqual({ active: { ...ref, from: OTHER_VERSION, at: NOW }, bad: [] });
  });

  it('runs the installed agent when the update’s file was changed, and run rolls it back', async () => {
    const ref = placeUpdate(stateDir, update.file, update.version);
    writeFileSync(path.join(stateDir, 'update', ref.sha256, 'vigil-agent.mjs'), 'export async function vigilAgentMain() { return 0; }\n');
    writeUpdateState(stateDir, { active: { ...ref, from: OTHER_VERSION, at: NOW }, bad: [] });
    expect((await start(['--version'])).output.trim()).toBe(OTHER_VERSION);
    expect(readUpdateState(stateDir).active).toBeDefined();
    const run = await start(['run', '--config', config], startedAs(OTHER_VERSION));
    expect(run.code, run.output).toBe(0);
    expect(readUpdateState(stateDir)).toMatchObject({
      bad: [ref],
      last: { outcome: 'rolled-back', from: OTHER_VERSION, to: REPO_VERSION, reason: `the file of ${REPO_VERSION} no longer matches its SHA-256` },
    });
    expect(readUpdateState(stateDir).active).toBeUndefined();
  });
});

describe('rollback of a version on trial', () => {
  it('rolls back a new version that crashes at each start, after its two starts, and the next report says so', async () => {
    const crasher = path.join(work, `crasher-${process.pid}.mjs`);
    writeFileSync(
      crasher,
      "export async function vigilAgentMain() { setTimeout(() => { throw new Error('the new version crashes'); }, 10); await new Promise(() => {}); }\n",
    );
    const ref = placeUpdate(stateDir, crasher, '9.9.9');
    writeUpdateState(stateDir, { active: { ...ref, from: OTHER_VERSION, at: NOW, trial: { starts: 0, deadlineSeconds: 900 } }, bad: [] });
    const exits = await supervise(/"message":"report not delivered yet"/);
    expect(exits.map((exit) => exit.code)).toEqual([1, 1, 0]);
    expect(exits[2]!.output).toMatch(startedAs(OTHER_VERSION));
    expect(exits[0]!.output).toContain('the new version crashes');
    expect(exits[2]!.output).toContain('"message":"rolled back an agent update","version":"9.9.9"');
    const state = readUpdateState(stateDir);
    expect(state.active).toBeUndefined();
    expect(state.bad).toEqual([ref]);
    expect(state.last).toMatchObject({
      outcome: 'rolled-back',
      from: OTHER_VERSION,
      to: '9.9.9',
      reason: 'it stopped 2 times before a report of it was accepted',
    });
    // The installed agent's report, waiting in the spool, carries the rollback and the policy.
    const [spooled] = readdirSync(path.join(stateDir, 'spool')).filter((name) => name.endsWith('.json') && name !== 'state.json');
    const report = JSON.parse(readFileSync(path.join(stateDir, 'spool', spooled!), 'utf8')) as { agentVersion: string; update: unknown };
    expect(report.agentVersion).toBe(OTHER_VERSION);
    expect(report.update).toEqual({ auto: true, channel: 'stable', last: state.last });
  }, 60_000);

  it('rolls back at once a new version that throws on import', async () => {
    const broken = path.join(work, `broken-${process.pid}.mjs`);
    writeFileSync(broken, "throw new Error('broken on import');\n");
    const ref = placeUpdate(stateDir, broken, '9.9.8');
    writeUpdateState(stateDir, { active: { ...ref, from: OTHER_VERSION, at: NOW, trial: { starts: 0, deadlineSeconds: 900 } }, bad: [] });
    const exits = await supervise(startedAs(OTHER_VERSION));
    expect(exits.map((exit) => exit.code)).toEqual([0]);
    expect(readUpdateState(stateDir).last).toMatchObject({ outcome: 'rolled-back', to: '9.9.8', reason: 'it failed to load: broken on import' });
  });

  it('rolls back a real new version that gets no report accepted by its deadline, exits 8, and the installed agent runs next', async () => {
    const ref = placeUpdate(stateDir, update.file, update.version);
    writeUpdateState(stateDir, { active: { ...ref, from: OTHER_VERSION, at: NOW, trial: { starts: 0, deadlineSeconds: 3 } }, bad: [] });
    const exits = await supervise(new RegExp(`${startedAs(OTHER_VERSION).source}[\\s\\S]*"message":"report not delivered yet"`));
    expect(exits.map((exit) => exit.code)).toEqual([EXIT.restartForUpdate, 0]);
    expect(exits[0]!.output).toMatch(startedAs(REPO_VERSION));
    expect(exits[0]!.output).toContain('"message":"rolled back an agent update; restarting"');
    const state = readUpdateState(stateDir);
    expect(state.active).toBeUndefined();
    expect(state.bad).toEqual([ref]);
    expect(state.last).toMatchObject({ outcome: 'rolled-back', to: REPO_VERSION, reason: 'no report of it was accepted within 3 s of its start' });
    // The version on trial said `updated` in its report (never accepted, so never read as such); the installed one says rolled-back.
    expect(exits[1]!.output).toMatch(startedAs(OTHER_VERSION));
    const spooled = readdirSync(path.join(stateDir, 'spool'))
      .filter((name) => name.endsWith('.json') && name !== 'state.json')
      .map((name) => JSON.parse(readFileSync(path.join(stateDir, 'spool', name), 'utf8')) as { agentVersion: string; update: { last: unknown } });
    expect(spooled.find((report) => report.agentVersion === REPO_VERSION)?.update.last).toMatchObject({
      outcome: 'updated',
      from: OTHER_VERSION,
      to: REPO_VERSION,
    });
    expect(spooled.find((report) => report.agentVersion === OTHER_VERSION)?.update.last).toEqual(state.last);
  }, 60_000);
});
