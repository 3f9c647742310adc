// `vigil-agent enroll` end to end: the built bundle as a real process against enrollAgent in the
// emulators, straight and through a relay, then `once` sends a report with the key it wrote.
// Needs agent/dist (npm run build -w agent) and functions/lib (npm run build -w functions).
import { paths, SOLUTION_CATALOG } from '@vigil/schema';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshReport, ownerWithWorkspace, sendReport } from '../../tests/support/agents.js';
import { createToken, emulatorLogFile } from '../../tests/support/enrollment.js';
import { adminDb, FUNCTIONS_ORIGIN, type SignedInClient } from '../../tests/support/emulators.js';
import { startTestRelay, testCertificate } from './support/relay.js';

const BUNDLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'vigil-agent.mjs');
const INGEST = `${FUNCTIONS_ORIGIN}/ingestReport`;

const clients: SignedInClient[] = [];
const cleanups: Array<() => Promise<void>> = [];
/** Every key and token seen: none may appear in any output or log. */
const secrets: string[] = [];
const outputs: string[] = [];

beforeAll(async () => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: npm run build -w agent`);
  await testCertificate();
}, 60_000);
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  const log = emulatorLogFile();
  const everything = [...outputs, ...(log ? [await readFile(log, 'utf8')] : [])].join('\n');
  for (const secret of secrets) expect(everything).not.toContain(secret);
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the bundle as a process (asynchronously: a relay may be serving in this one). */
function agent(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BUNDLE, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      outputs.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A machine of its own: a directory with a machine-id, and a config that collects nothing of this host. */
async function machine(): Promise<{ dir: string; config: string; env: Record<string, string> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-enroll-int-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'machine-id'), `${randomBytes(16).toString('hex')}\n`);
  const config = path.join(dir, 'agent.yaml');
  const skipped = Object.keys(SOLUTION_CATALOG).join(', ');
  await writeFile(config, `# this test's machine\nspool_dir: ${dir}/spool\nskip_solutions: [${skipped}]   # nothing of the host\n`, { mode: 0o600 });
  return { dir, config, env: { VIGIL_MACHINE_ID_FILE: path.join(dir, 'machine-id') } };
}

async function workspaceToken(labels: Record<string, string> = {}) {
  const { owner, workspaceId } = await ownerWithWorkspace('enroll-cli');
  clients.push(owner);
  const { token } = await createToken(owner, { workspaceId, name: 'cli fleet', maxUses: 10, labels });
  secrets.push(token);
  return { workspaceId, token };
}

function agentIdIn(stdout: string): string {
  const id = /\(agent ([^,]+),/.exec(stdout)?.[1];
  if (!id) throw new Error(`no agent id in: ${stdout}`);
  return id;
}

describe('vigil-agent enroll against enrollAgent', () => {
  it('enrolls from the environment token, writes the key file and config, and once sends a report ingest accepts; again gives the same agent', async () => {
    const { workspaceId, token } = await workspaceToken({ env: 'int' });
    const host = await machine();
    const env = { ...host.env, VIGIL_ENROLLMENT_TOKEN: token };

    const first = await agent(['enroll', '--config', host.config, '--endpoint', INGEST, '--label', 'role=web'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(': a new agent.');
    const agentId = agentIdIn(first.stdout);
    const keyFile = path.join(host.dir, 'key');
    const key = (await readFile(keyFile, 'utf8')).trim();
    secrets.push(key);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const config = await readFile(host.config, 'utf8');
    expect(config).toContain("# this test's machine\n");
    expect(config).toContain('   # nothing of the host\n');
    expect(config).toContain(`endpoint: ${INGEST}\nkey_file: ${keyFile}\n`);

    const agentDoc = adminDb().doc(paths.agent(workspaceId, agentId));
    expect((await agentDoc.get()).data()).toMatchObject({ status: 'never-seen', labels: { env: 'int', role: 'web' } });

    const once = await agent(['once', '--config', host.config], {});
    expect(once.code, once.stdout + once.stderr).toBe(0);
    expect(once.stdout).toContain('report delivered');
    expect((await agentDoc.get()).get('status')).not.toBe('never-seen');

    // The same machine again: its agent back, with a new key; the old one is refused.
    const again = await agent(['enroll', '--config', host.config, '--endpoint', INGEST], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('this machine was enrolled before: same agent, new key');
    expect(agentIdIn(again.stdout)).toBe(agentId);
    const newKey = (await readFile(keyFile, 'utf8')).trim();
    secrets.push(newKey);
    expect(newKey).not.toBe(key);
    expect((await sendReport(key, freshReport())).json?.error?.status).toBe('UNAUTHENTICATED');
    expect((await agent(['once', '--config', host.config], {})).code).toBe(0);
    expect((await adminDb().collection(paths.agents(workspaceId)).get()).size).toBe(1);
  });

  it("prints the server's reason for a revoked token and exits 7, writing nothing", async () => {
    const { owner, workspaceId } = await ownerWithWorkspace('enroll-cli-revoked');
    clients.push(owner);
    const { token, tokenId } = await createToken(owner, { workspaceId, name: 'revoked' });
    secrets.push(token);
    await owner.call('revokeEnrollmentToken', { workspaceId, tokenId });
    const host = await machine();
    const before = await readFile(host.config, 'utf8');
    const refused = await agent(['enroll', '--config', host.config, '--endpoint', INGEST], { ...host.env, VIGIL_ENROLLMENT_TOKEN: token });
    expect(refused.code).toBe(7);
    expect(refused.stderr).toMatch(/^vigil-agent: enrollment refused by http:\/\/127\.0\.0\.1:5001: .*revoked/i);
    expect(await readFile(host.config, 'utf8')).toBe(before);
    expect(existsSync(path.join(host.dir, 'key'))).toBe(false);
    expect((await adminDb().collection(paths.agents(workspaceId)).get()).size).toBe(0);
  });

  it('enrolls through a relay pinned by its fingerprint, and reports through it', async () => {
    const { workspaceId, token } = await workspaceToken();
    const relay = await startTestRelay(INGEST);
    cleanups.push(() => relay.close());
    const host = await machine();

    const enrolled = await agent(['enroll', '--config', host.config, '--endpoint', relay.endpoint, '--relay-fingerprint', relay.fingerprint], {
      ...host.env,
      VIGIL_ENROLLMENT_TOKEN: token,
    });
    expect(enrolled.code, enrolled.stderr).toBe(0);
    const agentId = agentIdIn(enrolled.stdout);
    secrets.push((await readFile(path.join(host.dir, 'key'), 'utf8')).trim());
    expect(await readFile(host.config, 'utf8')).toContain(`relay_fingerprint: "${relay.fingerprint}"`);

    const once = await agent(['once', '--config', host.config], {});
    expect(once.code, once.stdout + once.stderr).toBe(0);
    const reports = await adminDb().collection(paths.reports(workspaceId, agentId)).get();
    expect(reports.size).toBe(1);
    outputs.push(...relay.logs);
    expect(relay.logs.join('\n')).toContain('an agent enrolled through the relay');
  });
});
