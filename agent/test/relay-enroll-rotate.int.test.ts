// The relay forwards enrollment and key fetches for the hosts behind it (#15 item 6), end to end:
// `vigil-agent relay` as a real process of the built bundle, its uplink the emulators' ingest, and
// an agent (the bundle's `enroll` and `once`, each a process) whose endpoint is the relay. The agent
// enrolls through the relay with createAgent's bound token, reports through it, and when the
// workspace asks for a key rotation (requestKeyRotation) fetches its new key through the relay
// (POST /agent-key → fetchAgentKey), switches to it, and the old key is revoked after the new one's
// first report; an allowlist that named the old key id lets the new one through. And the dashboard's
// Rotate key (rotateAgentKey) behind a relay: the old key refused at once, the rotation's token
// re-enrolling the host through the relay, once. No key or token appears in any output or log.
// Needs agent/dist (npm run build -w agent) and functions/lib (npm run build -w functions).
import { parseApiKey, paths, SOLUTION_CATALOG, type CreateAgentResult, type RotateAgentKeyResult } from '@vigil/schema';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Timestamp } from 'firebase-admin/firestore';
import { parse as parseYaml } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshReport, ownerWithWorkspace, sendReport } from '../../tests/support/agents.js';
import { emulatorLogFile } from '../../tests/support/enrollment.js';
import { adminDb, FUNCTIONS_ORIGIN, type SignedInClient } from '../../tests/support/emulators.js';
import { AGENT_BUNDLE, startRelayProcess, type RelayProcess } from './support/relay-process.js';

const INGEST = `${FUNCTIONS_ORIGIN}/ingestReport`;

const clients: SignedInClient[] = [];
const cleanups: Array<() => Promise<void>> = [];
/** Every key and token seen: none may appear in any output or log. */
const secrets: string[] = [];
const outputs: string[] = [];

beforeAll(() => {
  if (!existsSync(AGENT_BUNDLE)) throw new Error(`${AGENT_BUNDLE} is missing: npm run build -w agent`);
});
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

/** The bundle as a process of its own (asynchronously: the test waits on the relay meanwhile). */
function agent(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [AGENT_BUNDLE, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        outputs.push(stdout, stderr);
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

async function relay(): Promise<RelayProcess> {
  const started = await startRelayProcess(INGEST);
  cleanups.push(async () => {
    await started.stop();
    outputs.push(...started.output);
  });
  return started;
}

/** A host behind the relay: its machine-id, and a config that collects nothing of this machine. */
async function host() {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-relay-host-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'machine-id'), `${randomBytes(16).toString('hex')}\n`);
  const config = path.join(dir, 'agent.yaml');
  const skipped = Object.keys(SOLUTION_CATALOG).join(', ');
  await writeFile(config, `spool_dir: ${dir}/spool\nskip_solutions: [${skipped}]\n`, { mode: 0o600 });
  const keyFile = path.join(dir, 'key');
  return {
    config,
    env: { VIGIL_MACHINE_ID_FILE: path.join(dir, 'machine-id') },
    keyOnDisk: async () => (await readFile(keyFile, 'utf8')).trim(),
  };
}

async function createdAgent(name: string) {
  const { owner, workspaceId } = await ownerWithWorkspace('relay-e2e');
  clients.push(owner);
  const created = await owner.call<CreateAgentResult>('createAgent', { workspaceId, name });
  secrets.push(created.token);
  const agentRef = adminDb().doc(paths.agent(workspaceId, created.agentId));
  // Reports ingest accepted: a report identical to the last one is counted, not stored again.
  const reports = async () => ((await agentRef.get()).get('receiptSequence') as number | undefined) ?? 0;
  return { owner, workspaceId, created, agentRef, reports };
}

/** `vigil-agent enroll` through the relay, pinned by its fingerprint, the token in the environment (as install.sh passes it). */
async function enrollThrough(through: RelayProcess, machine: Awaited<ReturnType<typeof host>>, token: string): Promise<Run> {
  return agent(['enroll', '--config', machine.config, '--endpoint', through.endpoint, '--relay-fingerprint', through.fingerprint], {
    ...machine.env,
    VIGIL_ENROLLMENT_TOKEN: token,
  });
}

async function delivered(config: string): Promise<string> {
  const run = await agent(['once', '--config', config]);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toContain('report delivered');
  return run.stdout;
}

const keyIdOf = (key: string) => parseApiKey(key)!.keyId;

describe('agents behind a `vigil-agent relay` process', () => {
  it('enroll through it with createAgent’s token, report through it, and rotate their key through it when asked', async () => {
    const through = await relay();
    const machine = await host();
    const { owner, workspaceId, created, agentRef, reports } = await createdAgent('behind-relay');

    // Enrollment through the relay: exactly the agent createAgent made, its endpoint the relay.
    const enrolled = await enrollThrough(through, machine, created.token);
    expect(enrolled.code, enrolled.stdout + enrolled.stderr).toBe(0);
    expect(enrolled.stdout).toContain(`(agent ${created.agentId},`);
    const oldKey = await machine.keyOnDisk();
    secrets.push(oldKey);
    const config = parseYaml(await readFile(machine.config, 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ endpoint: through.endpoint, relay_fingerprint: through.fingerprint });
    expect(through.logged('an agent enrolled through the relay')).toEqual([
      expect.objectContaining({ agentId: created.agentId, keyId: keyIdOf(oldKey) }),
    ]);

    // Only this key id is let through the relay from now on (the relay reads access.json as it changes).
    const allowed = await through.command('allow', keyIdOf(oldKey));
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(await through.allowed()).toEqual([keyIdOf(oldKey)]);
    await delivered(machine.config);
    expect(await reports()).toBe(1);

    // The workspace asks; the next reply (through the relay) says rotateKey, and the agent fetches
    // its new key through the relay's /agent-key, which lets the new key id through too.
    await owner.call('requestKeyRotation', { workspaceId, agentId: created.agentId });
    const asked = await delivered(machine.config);
    expect(asked).toContain('fetched a new agent key; the next report uses it');
    const newKey = await machine.keyOnDisk();
    secrets.push(newKey);
    expect(newKey).not.toBe(oldKey);
    expect(through.logged('an agent fetched its rotated key through the relay; its new key id is allowed like the old one')).toEqual([
      expect.objectContaining({ keyId: keyIdOf(oldKey), newKeyId: keyIdOf(newKey) }),
    ]);
    expect((await through.allowed()).sort()).toEqual([keyIdOf(oldKey), keyIdOf(newKey)].sort());
    expect((await agentRef.get()).get('pendingKeyId')).toBe(keyIdOf(newKey));
    // Both keys work until the new one's first report.
    expect(
      (
        await adminDb()
          .doc(paths.agentKey(keyIdOf(oldKey)))
          .get()
      ).get('revokedAt'),
    ).toBeNull();

    // The next report, with the new key, through the relay: ingest accepts it and promotes the key.
    const switched = await delivered(machine.config);
    expect(switched).toContain('the new agent key was accepted; the rotation is complete');
    expect((await agentRef.get()).data()).toMatchObject({ keyId: keyIdOf(newKey), pendingKeyId: null, keyRotation: null });
    expect(await reports()).toBe(3);
    // The old key is revoked after that first use: refused by ingest itself.
    expect(
      (
        await adminDb()
          .doc(paths.agentKey(keyIdOf(oldKey)))
          .get()
      ).get('revokedAt'),
    ).toBeInstanceOf(Timestamp);
    expect((await sendReport(oldKey, freshReport())).json?.error?.status).toBe('UNAUTHENTICATED');
    await delivered(machine.config);
    expect(await reports()).toBe(4);
  });

  it('after Rotate key (rotateAgentKey) the old key is refused through the relay, and the rotation’s token re-enrolls the host through it, once', async () => {
    const through = await relay();
    const machine = await host();
    const { owner, workspaceId, created, reports } = await createdAgent('rotated-behind-relay');
    const enrolled = await enrollThrough(through, machine, created.token);
    expect(enrolled.code, enrolled.stdout + enrolled.stderr).toBe(0);
    const oldKey = await machine.keyOnDisk();
    secrets.push(oldKey);
    await delivered(machine.config);

    const rotated = await owner.call<RotateAgentKeyResult>('rotateAgentKey', { workspaceId, agentId: created.agentId });
    secrets.push(rotated.token);
    expect(JSON.stringify(rotated)).not.toMatch(/vgl_/);
    // Dead at once: the next report through the relay is refused (the relay passes ingest's answer on).
    const refused = await agent(['once', '--config', machine.config]);
    expect(refused.code, refused.stdout + refused.stderr).toBe(5);
    expect(await reports()).toBe(1);

    // The host runs `vigil-agent enroll` with the rotation's token, through the relay: same agent, new key.
    const again = await enrollThrough(through, machine, rotated.token);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain(`(agent ${created.agentId},`);
    expect(again.stdout).toContain('this machine was enrolled before: same agent, new key');
    const newKey = await machine.keyOnDisk();
    secrets.push(newKey);
    expect(newKey).not.toBe(oldKey);
    await delivered(machine.config);
    // This report and the one refused with the dead key, which waited in the agent's spool: none lost.
    expect(await reports()).toBe(3);

    // The token works once: a second enrollment is refused (exit 7) and the key file is left as it is.
    const twice = await enrollThrough(through, machine, rotated.token);
    expect(twice.code, twice.stdout + twice.stderr).toBe(7);
    expect(twice.stderr).toMatch(/used up/);
    expect(await machine.keyOnDisk()).toBe(newKey);
    expect(through.logged('an agent enrolled through the relay')).toHaveLength(2);
  });
});
