// The dashboard's Rotate key end to end on a host, under the emulators: the host was installed with
// createAgent's command (install.sh --token, under --prefix, with the real bundle), and reports;
// rotateAgentKey kills its key at once and answers with a command that carries no key, only a token
// bound to the agent and --force-enroll. Run on the host, that command (install.sh again) replaces
// the dead key with a new one for the same agent, which reports; run a second time it is refused
// (the token is used up) and the host is left as it was. No key or token is ever printed.
// Needs agent/dist (npm run build -w agent) and functions/lib (npm run build -w functions).
import { ENROLLMENT_TOKEN_PATTERN, parseApiKey, paths, SOLUTION_CATALOG, type CreateAgentResult, type RotateAgentKeyResult } from '@vigil/schema';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerWithWorkspace } from '../../tests/support/agents.js';
import { emulatorLogFile } from '../../tests/support/enrollment.js';
import { adminDb, FUNCTIONS_ORIGIN, type SignedInClient } from '../../tests/support/emulators.js';
import { buildInstallScript } from '../install-script.mjs';

const AGENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = path.join(AGENT_DIR, 'dist', 'vigil-agent.mjs');
const ENDPOINT = `${FUNCTIONS_ORIGIN}/ingestReport`;

interface Run {
  code: number | null;
  output: string;
}

/** Every key and token seen, and everything the installer and the agent printed. */
const secrets: string[] = [];
const outputs: string[] = [];

/** install.sh from stdin, as `sh "$f"` runs it, with the machine-id of this test's "host". */
function install(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-s', '--', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      outputs.push(output);
      resolve({ code, output });
    });
    child.stdin.end(buildInstallScript());
  });
}

/**
 * The install.sh arguments of a dashboard command, as pasted, without the download of the bundle
 * (--from, --sha256: the dev dashboard of `npm start` is not running here; --bundle gives it).
 */
function installArgs(command: string): string[] {
  const args = /sudo sh "\$f" (.*); rm -f "\$f"$/.exec(command)?.[1]?.split(' ') ?? [];
  if (args.length === 0) throw new Error(`not an install command: ${command}`);
  return args.filter((arg, index) => !['--from', '--sha256'].includes(arg) && !['--from', '--sha256'].includes(args[index - 1] ?? ''));
}

describe("Rotate key's install command on a host", () => {
  let dir: string;
  let root: string;
  let env: Record<string, string>;
  let owner: SignedInClient;
  let workspaceId: string;
  const under = (...parts: string[]) => path.join(root, ...parts);
  const keyOnDisk = async () => (await readFile(under('etc/vigil/key'), 'utf8')).trim();

  /** The installed agent's `once`, with the config and key file the installer left. */
  function once(): Promise<Run> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [under('usr/local/lib/vigil/vigil-agent.mjs'), 'once', '--config', under('etc/vigil/agent.yaml')],
        { env: { PATH: process.env.PATH ?? '', VIGIL_SKIP_SOLUTIONS: Object.keys(SOLUTION_CATALOG).join(',') }, timeout: 120_000 },
        (error, stdout, stderr) => {
          outputs.push(stdout, stderr);
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr });
        },
      );
    });
  }

  beforeAll(async () => {
    expect(existsSync(BUNDLE), 'npm run build -w agent first').toBe(true);
    dir = await mkdtemp(path.join(tmpdir(), 'vigil-rotate-install-'));
    root = path.join(dir, 'root');
    await writeFile(path.join(dir, 'machine-id'), `${randomBytes(16).toString('hex')}\n`);
    env = { VIGIL_MACHINE_ID_FILE: path.join(dir, 'machine-id') };
    ({ owner, workspaceId } = await ownerWithWorkspace('rotate-install'));
  });
  afterAll(async () => {
    await owner?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    const log = emulatorLogFile();
    const everything = [...outputs, ...(log ? [await readFile(log, 'utf8')] : [])].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it('gives the same agent a new key where the old one was, once, and the agent reports again', async () => {
    const created = await owner.call<CreateAgentResult>('createAgent', { workspaceId, name: 'reinstalled' });
    secrets.push(ENROLLMENT_TOKEN_PATTERN.exec(created.token)![2]!);
    const agentRef = adminDb().doc(paths.agent(workspaceId, created.agentId));
    // Reports ingest accepted: a report identical to the last one is counted, not stored again.
    const reports = async () => ((await agentRef.get()).get('receiptSequence') as number | undefined) ?? 0;

    // The host, installed with createAgent's command, reports.
    const first = await install([...installArgs(created.installCommand), '--bundle', BUNDLE, '--prefix', root, '--no-start'], env);
    expect(first.code, first.output).toBe(0);
    const oldKey = await keyOnDisk();
    secrets.push(parseApiKey(oldKey)!.secret);
    await appendFile(under('etc/vigil/agent.yaml'), `spool_dir: ${under('var/lib/vigil/spool')}\n`);
    const reported = await once();
    expect(reported.code, reported.output).toBe(0);
    expect(await reports()).toBe(1);

    // Rotate key: no key in the reply; the old key is refused at once (exit 5: the server rejected the key).
    const rotated = await owner.call<RotateAgentKeyResult>('rotateAgentKey', { workspaceId, agentId: created.agentId });
    secrets.push(ENROLLMENT_TOKEN_PATTERN.exec(rotated.token)![2]!);
    const args = installArgs(rotated.installCommand);
    expect(args.slice(0, 5)).toEqual(['--token', rotated.token, '--force-enroll', '--endpoint', ENDPOINT]);
    expect(args).toHaveLength(5);
    const refused = await once();
    expect(refused.code, refused.output).toBe(5);
    expect(await reports()).toBe(1);

    // The rotation's command on the host: the same agent, a new key in the same key file.
    const rekeyed = await install([...args, '--bundle', BUNDLE, '--prefix', root, '--no-start'], env);
    expect(rekeyed.code, rekeyed.output).toBe(0);
    expect(rekeyed.output).toMatch(/^vigil: Enrolled as reinstalled \(agent [^,]+, .*: this machine was enrolled before: same agent, new key/m);
    expect(rekeyed.output).toContain(`(agent ${created.agentId},`);
    const newKey = await keyOnDisk();
    secrets.push(parseApiKey(newKey)!.secret);
    expect(newKey).not.toBe(oldKey);
    expect((await agentRef.get()).get('keyId')).toBe(parseApiKey(newKey)!.keyId);
    const back = await once();
    expect(back.code, back.output).toBe(0);
    // This report and the one refused with the dead key, which waited in the agent's spool: none lost.
    expect(await reports()).toBe(3);

    // The same command again: refused (used up, exit 7), the host left as it was.
    const config = await readFile(under('etc/vigil/agent.yaml'), 'utf8');
    const again = await install([...args, '--bundle', BUNDLE, '--prefix', root, '--no-start'], env);
    expect(again.code, again.output).toBe(7);
    expect(again.output).toMatch(/used up/);
    expect(await keyOnDisk()).toBe(newKey);
    expect(await readFile(under('etc/vigil/agent.yaml'), 'utf8')).toBe(config);
    expect((await adminDb().collection(paths.agents(workspaceId)).get()).size).toBe(1);
  });
});
