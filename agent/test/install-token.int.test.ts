// install.sh --token end to end, under the emulators: an owner creates an enrollment token
// (createEnrollmentToken), the built installer runs with --prefix and the real bundle, whose
// `enroll` exchanges the token at enrollAgent for this "machine"'s own key (a temporary machine-id,
// VIGIL_MACHINE_ID_FILE); the agent then sends a report with that key, which ingest accepts. Run
// again, the installer keeps the key (no enrollment, the token's uses unchanged), and
// --force-enroll gives the same agent a new key. Neither the key nor the token is ever printed.
import { ENROLLMENT_TOKEN_PATTERN, paths, SOLUTION_CATALOG, type CreateEnrollmentTokenResult } from '@vigil/schema';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ownerWithWorkspace } from '../../tests/support/agents.js';
import { adminDb, FUNCTIONS_ORIGIN, type SignedInClient } from '../../tests/support/emulators.js';
import { buildInstallScript } from '../install-script.mjs';

const AGENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = path.join(AGENT_DIR, 'dist', 'vigil-agent.mjs');
const ENDPOINT = `${FUNCTIONS_ORIGIN}/ingestReport`;
const KEY_LINE = /^vgl_[a-z2-7]{16}_[A-Za-z0-9_-]{43}$/;

interface Run {
  status: number | null;
  output: string;
}

function install(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-s', '--', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
    child.stdin.end(buildInstallScript());
  });
}

let dir: string;
let root: string;
let owner: SignedInClient;
let workspaceId: string;
let created: CreateEnrollmentTokenResult;
let env: Record<string, string>;
const under = (...parts: string[]) => path.join(root, ...parts);
const secretOf = (token: string) => ENROLLMENT_TOKEN_PATTERN.exec(token)![2]!;
const usesOf = async () => (await adminDb().doc(paths.enrollmentToken(workspaceId, created.tokenId)).get()).get('uses') as number;
const agentIds = async () => (await adminDb().collection(paths.agents(workspaceId)).get()).docs.map((doc) => doc.id);

describe('install.sh --token against the emulators', () => {
  beforeAll(async () => {
    expect(existsSync(BUNDLE), 'npm run build -w agent first').toBe(true);
    dir = await mkdtemp(path.join(tmpdir(), 'vigil-install-token-'));
    root = path.join(dir, 'root');
    const machineId = path.join(dir, 'machine-id');
    await writeFile(machineId, `${randomBytes(16).toString('hex')}\n`);
    env = { VIGIL_MACHINE_ID_FILE: machineId };
    ({ owner, workspaceId } = await ownerWithWorkspace('install-token'));
    created = await owner.call<CreateEnrollmentTokenResult>('createEnrollmentToken', { workspaceId, name: 'install.sh test', maxUses: 5 });
  });
  afterAll(async () => {
    await owner?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('enrolls the host with the token, and the key it got sends a report that ingest accepts', async () => {
    // The dashboard's command, as pasted: its install.sh arguments, with the bundle given instead of
    // downloaded (--from, --sha256: the dev dashboard of `npm start` is not running here).
    const args = /sudo sh "\$f" (.*); rm -f "\$f"$/.exec(created.installCommand)?.[1]?.split(' ') ?? [];
    expect(args.slice(0, 4)).toEqual(['--token', created.token, '--endpoint', ENDPOINT]);
    const withoutDownload = args.filter((_arg, index) => !['--from', '--sha256'].includes(args[index - (index % 2)]!));
    expect(withoutDownload).toEqual(args.slice(0, 4));
    const run = await install([...withoutDownload, '--bundle', BUNDLE, '--prefix', root, '--no-start'], env);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/^vigil: Enrolled as \S+ \(agent [^,]+, key [^,]+, workspace [^)]+\): a new agent\.$/m);
    expect(run.output).toContain(`the key is in ${under('etc/vigil/key')} (mode 0600)`);
    const keyFile = under('etc/vigil/key');
    const key = (await readFile(keyFile, 'utf8')).trim();
    expect(key).toMatch(KEY_LINE);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const config = await readFile(under('etc/vigil/agent.yaml'), 'utf8');
    expect(parseYaml(config)).toMatchObject({ endpoint: ENDPOINT, key_file: keyFile });
    expect(config).not.toMatch(/^key:/m);
    for (const secret of [key, secretOf(created.token)]) {
      expect(run.output).not.toContain(secret);
      expect(config).not.toContain(secret);
    }
    expect(await agentIds()).toHaveLength(1);
    expect(await usesOf()).toBe(1);

    // The agent, with the config and key the installer left, sends one report (its spool under the prefix).
    await appendFile(under('etc/vigil/agent.yaml'), `spool_dir: ${under('var/lib/vigil/spool')}\n`);
    const once = spawnSync(process.execPath, [under('usr/local/lib/vigil/vigil-agent.mjs'), 'once', '--config', under('etc/vigil/agent.yaml')], {
      encoding: 'utf8',
      env: { ...process.env, VIGIL_SKIP_SOLUTIONS: Object.keys(SOLUTION_CATALOG).join(',') },
      timeout: 120_000,
    });
    expect(once.status, `${once.stdout}\n${once.stderr}`).toBe(0);
    expect(`${once.stdout}${once.stderr}`).not.toContain(key);
    const [agentId] = await agentIds();
    const agent = await adminDb().doc(paths.agent(workspaceId, agentId!)).get();
    expect(agent.get('status')).not.toBe('never-seen');
  });

  it('keeps the key on a re-run with the same token, and --force-enroll gives the same agent a new one', async () => {
    const keyFile = under('etc/vigil/key');
    const before = readFileSync(keyFile, 'utf8');
    const kept = await install(['--token', created.token, '--endpoint', ENDPOINT, '--prefix', root, '--no-start'], env);
    expect(kept.status, kept.output).toBe(0);
    expect(kept.output).toContain('already has a key');
    expect(readFileSync(keyFile, 'utf8')).toBe(before);
    expect(await usesOf()).toBe(1);

    const forced = await install(['--token', created.token, '--endpoint', ENDPOINT, '--prefix', root, '--no-start', '--force-enroll'], env);
    expect(forced.status, forced.output).toBe(0);
    expect(forced.output).toMatch(/^vigil: Enrolled as .*: this machine was enrolled before: same agent, new key/m);
    const after = readFileSync(keyFile, 'utf8');
    expect(after.trim()).toMatch(KEY_LINE);
    expect(after).not.toBe(before);
    expect(forced.output).not.toContain(after.trim());
    expect(await agentIds()).toHaveLength(1);
    expect(await usesOf()).toBe(2);
  });

  it('stops with the server’s reason and leaves the host as it was when the token is revoked', async () => {
    await owner.call('revokeEnrollmentToken', { workspaceId, tokenId: created.tokenId });
    const config = readFileSync(under('etc/vigil/agent.yaml'), 'utf8');
    const key = readFileSync(under('etc/vigil/key'), 'utf8');
    const run = await install(['--token', created.token, '--endpoint', ENDPOINT, '--prefix', root, '--no-start', '--force-enroll'], env);
    // enroll's own exit code, 7: refused, the same token will be refused again.
    expect(run.status).toBe(7);
    expect(run.output).toMatch(/revoked/);
    expect(run.output).toContain('were left as they were');
    expect(readFileSync(under('etc/vigil/agent.yaml'), 'utf8')).toBe(config);
    expect(readFileSync(under('etc/vigil/key'), 'utf8')).toBe(key);
    expect(run.output).not.toContain(secretOf(created.token));
  });
});
