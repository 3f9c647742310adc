// The self-update end to end against the emulators (issue #15, "Done when"): install.sh --prefix
// installs an older build of the agent (support/agent-builds.ts) with a real enrollment token; the
// installed unit runs under a stand-in for systemd that restarts it as the unit's Restart= says
// (support/unit-supervisor.ts). The real ingest's reply offers the version the functions were built
// with (functions/build.mjs bakes agent/dist's version and SHA-256); the agent downloads it from the
// offer's URL, DASHBOARD_URL/vigil-agent.mjs (functions/.env.local: `npm start`'s dashboard at
// http://localhost:3000, which the int tier does not run, so support/dev-dashboard-bundle.ts serves
// the same file there; plain http to this machine is what the agent allows without
// allow_insecure_http), verifies it, exits 8, is restarted, and the launcher runs the new version,
// whose first accepted report confirms it. An agent with auto_update: false is offered it too and
// keeps its version. No key is ever in a command line, an output or the emulators' log.
// Needs agent/dist (npm run build -w agent) and functions/lib built from it (npm run build -w functions).
import { paths, parseApiKey, SOLUTION_CATALOG } from '@vigil/schema';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerWithWorkspace } from '../../tests/support/agents.js';
import { createToken, emulatorLogFile } from '../../tests/support/enrollment.js';
import { adminDb, FUNCTIONS_ORIGIN, type SignedInClient } from '../../tests/support/emulators.js';
import { buildInstallScript } from '../install-script.mjs';
import { EXIT } from '../src/cli/exit-codes.js';
import { buildAgent, OTHER_VERSION, REPO_VERSION, sha256Of, type Build } from './support/agent-builds.js';
import { SERVED_BUNDLE, serveBundleAtDashboardUrl, type DevDashboardBundle } from './support/dev-dashboard-bundle.js';
import { readInstalledUnit, restartsAfter, stopRunning, supervise, watchCommandLines, type Supervised } from './support/unit-supervisor.js';

const ENDPOINT = `${FUNCTIONS_ORIGIN}/ingestReport`;

let work: string;
/** Version A: what install.sh installs. */
let older: Build;
/** Version B: agent/dist's bundle, the one the functions offer. */
let served: Build;
let dashboard: DevDashboardBundle;
let owner: SignedInClient;
let workspaceId: string;
let token: string;
/** Every agent key: none may appear in a command line, an output or the emulators' log. */
const secrets: string[] = [];
const outputs: string[] = [];
const commandLines: string[] = [];

beforeAll(async () => {
  if (!existsSync(SERVED_BUNDLE)) throw new Error(`${SERVED_BUNDLE} is missing: npm run build -w agent`);
  work = await mkdtemp(path.join(tmpdir(), 'vigil-self-update-int-'));
  older = buildAgent(await mkdtemp(path.join(work, 'older-')), OTHER_VERSION);
  served = { file: SERVED_BUNDLE, version: REPO_VERSION, sha256: sha256Of(SERVED_BUNDLE) };
  expect(older.version).not.toBe(served.version);
  dashboard = await serveBundleAtDashboardUrl();
  ({ owner, workspaceId } = await ownerWithWorkspace('self-update'));
  ({ token } = await createToken(owner, { workspaceId, name: 'self-update test', maxUses: 2 }));
}, 120_000);

afterAll(async () => {
  stopRunning();
  await owner?.close();
  await dashboard?.close();
  if (work) await rm(work, { recursive: true, force: true });
  const log = emulatorLogFile();
  const everything = [...outputs, ...commandLines, ...(log ? [await readFile(log, 'utf8')] : [])].join('\n');
  for (const key of secrets) expect(everything).not.toContain(parseApiKey(key)!.secret);
});

/** install.sh (the built one, on stdin as the dashboard's command runs it), its process tree watched. */
function install(args: string[], env: Record<string, string>): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-s', '--', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const watcher = watchCommandLines(child.pid!);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      commandLines.push(...watcher.stop());
      outputs.push(output);
      resolve({ status, output });
    });
    child.stdin.end(buildInstallScript());
  });
}

/** A machine of its own with version A installed under a prefix and enrolled with the token; `config` is added to its agent.yaml. */
async function installedHost(name: string, config = '') {
  const dir = await mkdtemp(path.join(work, `${name}-`));
  const root = path.join(dir, 'root');
  const machineId = path.join(dir, 'machine-id');
  await writeFile(machineId, `${randomBytes(16).toString('hex')}\n`);
  const run = await install(['--token', token, '--endpoint', ENDPOINT, '--bundle', older.file, '--prefix', root, '--no-start'], {
    VIGIL_MACHINE_ID_FILE: machineId,
  });
  expect(run.status, run.output).toBe(0);
  const agentId = /^vigil: Enrolled as \S+ \(agent ([^,]+),/m.exec(run.output)?.[1];
  expect(agentId, run.output).toBeDefined();
  secrets.push((await readFile(path.join(root, 'etc/vigil/key'), 'utf8')).trim());
  // What an administrator may add: the spool under the prefix, nothing of this machine collected.
  const skipped = Object.keys(SOLUTION_CATALOG).join(', ');
  await appendFile(
    path.join(root, 'etc/vigil/agent.yaml'),
    `spool_dir: ${path.join(root, 'var/lib/vigil/spool')}\nskip_solutions: [${skipped}]\nlog_level: debug\n${config}`,
  );
  const unit = readInstalledUnit(root);
  return { root, unit, agentRef: adminDb().doc(paths.agent(workspaceId, agentId!)), updateDir: path.join(unit.stateDir, 'update') };
}

type LogLine = Record<string, unknown> & { message: string };

function logLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

const lineOf = (output: string, message: string) => logLines(output).find((line) => line.message === message);

function recordRun(run: Supervised): Supervised {
  outputs.push(run.output);
  commandLines.push(...run.commandLines);
  return run;
}

describe('the self-update through the real ingest', () => {
  it('installs the offered version, exits 8, is restarted by the unit, and the new version’s accepted report confirms it', async () => {
    const host = await installedHost('update-web');
    // The unit install.sh installed restarts the agent after exit 8; that is what brings B up.
    expect(restartsAfter(host.unit, EXIT.restartForUpdate)).toBe(true);
    expect(host.unit.argv.slice(1)).toEqual([
      path.join(host.root, 'usr/local/lib/vigil/vigil-agent.mjs'),
      'run',
      '--config',
      path.join(host.root, 'etc/vigil/agent.yaml'),
    ]);

    let firstStart: { agentVersion: unknown; update: unknown } | undefined;
    const run = recordRun(
      await supervise(host.unit, {
        // Stopped too when the update fails, so that the assertions below say why instead of a timeout.
        stopWhen: /"message":"(the agent update works: its first report was accepted|the agent update failed; the running version stays)"/,
        startTimeoutMs: 60_000,
        beforeRestart: async () => {
          const doc = await host.agentRef.get();
          firstStart = { agentVersion: doc.get('agentVersion'), update: doc.get('update') };
        },
      }),
    );
    expect(
      run.starts.map((start) => start.code),
      run.output,
    ).toEqual([EXIT.restartForUpdate, EXIT.ok]);
    const [first, second] = run.starts;

    // Start 1, version A: its report accepted (the agent document says A), the reply's offer followed.
    expect(lineOf(first!.output, 'agent started')).toMatchObject({ version: older.version });
    expect(firstStart).toEqual({ agentVersion: older.version, update: { auto: true, channel: 'stable' } });
    expect(lineOf(first!.output, 'downloading an agent update')).toMatchObject({ version: served.version, from: older.version, url: dashboard.url });
    expect(lineOf(first!.output, 'installed an agent update; restarting to run it')).toMatchObject({ version: served.version });
    expect(dashboard.requests).toEqual(['GET /vigil-agent.mjs']);

    // Start 2: the installed bundle (A) hands over to B on trial; B's first accepted report confirms it.
    expect(lineOf(second!.output, 'running the updated agent')).toMatchObject({ version: served.version, installed: older.version, onTrial: true });
    expect(lineOf(second!.output, 'agent started')).toMatchObject({ version: served.version });
    expect(lineOf(second!.output, 'the agent update works: its first report was accepted')).toMatchObject({
      version: served.version,
      from: older.version,
    });

    // The state directory holds B by its SHA-256 (the served bundle's), active and no longer on trial.
    expect((await readdir(host.updateDir)).sort()).toEqual([served.sha256, 'state.json'].sort());
    expect(sha256Of(path.join(host.updateDir, served.sha256, 'vigil-agent.mjs'))).toBe(served.sha256);
    const state = JSON.parse(await readFile(path.join(host.updateDir, 'state.json'), 'utf8')) as Record<string, unknown>;
    expect(state.active).toEqual({ version: served.version, sha256: served.sha256, from: older.version, at: expect.any(String) });
    expect(state.last).toMatchObject({ outcome: 'updated', from: older.version, to: served.version });
    // The installed bundle is still A: the update lives in the state directory only.
    expect(sha256Of(path.join(host.root, 'usr/local/lib/vigil/vigil-agent.mjs'))).toBe(older.sha256);

    // The agent document, from B's accepted report.
    const agent = await host.agentRef.get();
    expect(agent.get('agentVersion')).toBe(served.version);
    expect(agent.get('update')).toEqual({
      auto: true,
      channel: 'stable',
      last: { outcome: 'updated', from: older.version, to: served.version, at: expect.any(String) },
    });
  });

  it('an agent with auto_update: false is offered the new version and keeps its own', async () => {
    const requestsBefore = dashboard.requests.length;
    const host = await installedHost('update-off', 'auto_update: false\n');
    const run = recordRun(
      await supervise(host.unit, {
        stopWhen: /"message":"(not installing the offered agent version|downloading an agent update)"/,
        startTimeoutMs: 60_000,
      }),
    );
    expect(
      run.starts.map((start) => start.code),
      run.output,
    ).toEqual([EXIT.ok]);
    expect(lineOf(run.output, 'not installing the offered agent version')).toMatchObject({ version: served.version, reason: 'auto_update is off' });
    expect(lineOf(run.output, 'downloading an agent update')).toBeUndefined();
    expect(dashboard.requests).toHaveLength(requestsBefore);
    expect(existsSync(path.join(host.updateDir, served.sha256))).toBe(false);

    const agent = await host.agentRef.get();
    expect(agent.get('agentVersion')).toBe(older.version);
    expect(agent.get('update')).toEqual({ auto: false, channel: 'stable' });
  });

  it('saw the agents’ command lines', () => {
    // The secrets check in afterAll is only as good as what it looked at.
    expect(secrets).toHaveLength(2);
    expect(commandLines.some((line) => line.includes('vigil-agent.mjs run --config'))).toBe(true);
    expect(commandLines.some((line) => line.includes('vigil-agent.mjs enroll'))).toBe(true);
  });
});
