// Key rotation without re-enrolment, end to end: the built bundle's `once` as real processes (each
// run a restart) against ingestReport and fetchAgentKey in the emulators. A rotation requested on
// the dashboard's side reaches the agent in the reply, the agent fetches and stores its new key,
// the next process reports with it and the old key is retired. A restart after the fetch but before
// the key was stored, and a new key refused (unused 24 h), both lose no report and end rotated.
// Needs agent/dist (npm run build -w agent) and functions/lib (npm run build -w functions).
import { KEY_ROTATION, paths, parseApiKey, SOLUTION_CATALOG } from '@vigil/schema';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enrollAgent, freshReport, sendReport, type EnrolledAgent } from '../../tests/support/agents.js';
import { emulatorLogFile } from '../../tests/support/enrollment.js';
import { adminDb, callRaw, FUNCTIONS_ORIGIN } from '../../tests/support/emulators.js';

const BUNDLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'vigil-agent.mjs');
const INGEST = `${FUNCTIONS_ORIGIN}/ingestReport`;

const enrolled: EnrolledAgent[] = [];
const cleanups: Array<() => Promise<void>> = [];
/** Every key seen: none may appear in any output or in the emulators' log. */
const secrets: string[] = [];
const outputs: string[] = [];

beforeAll(() => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: npm run build -w agent`);
});
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
afterAll(async () => {
  await Promise.all(enrolled.map((agent) => agent.owner.close()));
  const log = emulatorLogFile();
  const everything = [...outputs, ...(log ? [await readFile(log, 'utf8')] : [])].join('\n');
  for (const secret of secrets) expect(everything).not.toContain(parseApiKey(secret)!.secret);
});

/** `vigil-agent once` as a process of its own. */
function once(config: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUNDLE, 'once', '--config', config],
      { env: { PATH: process.env.PATH ?? '' }, timeout: 120_000 },
      (error, stdout, stderr) => {
        outputs.push(stdout, stderr);
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** A host with its agent: a key file (0600) and a config naming it, collecting nothing of this machine. */
async function host(name: string) {
  const agent = await enrollAgent(name);
  enrolled.push(agent);
  secrets.push(agent.key);
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-rotation-int-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const keyFile = path.join(dir, 'key');
  await writeFile(keyFile, `${agent.key}\n`, { mode: 0o600 });
  const config = path.join(dir, 'agent.yaml');
  const skipped = Object.keys(SOLUTION_CATALOG).join(', ');
  await writeFile(config, `endpoint: ${INGEST}\nkey_file: ${keyFile}\nspool_dir: ${dir}/spool\nskip_solutions: [${skipped}]\n`, { mode: 0o600 });
  const agentRef = adminDb().doc(paths.agent(agent.workspaceId, agent.agentId));
  return {
    agent,
    config,
    keyFile,
    previousFile: `${keyFile}.previous`,
    agentRef,
    keyOnDisk: async () => (await readFile(keyFile, 'utf8')).trim(),
    spooled: async () => (await readdir(path.join(dir, 'spool')).catch(() => [])).filter((file) => file.endsWith('.json')).length,
    receipts: async () => (await agentRef.get()).get('receiptSequence') as number,
    requestRotation: () => agent.owner.call('requestKeyRotation', { workspaceId: agent.workspaceId, agentId: agent.agentId }),
  };
}

const keyIdOf = (key: string) => parseApiKey(key)!.keyId;
const delivered = async (run: Promise<{ code: number; stdout: string; stderr: string }>) => {
  const result = await run;
  expect(result.code, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toContain('report delivered');
  return result.stdout;
};

describe('vigil-agent rotates its key through the ingest reply', () => {
  it('fetches the new key when asked, reports with it after a restart, and the old key is retired', async () => {
    const web = await host('rotation-web');
    await delivered(once(web.config));
    await web.requestRotation();

    // The reply asks; this process fetches and stores the new key, keeping the old one aside.
    const asked = await delivered(once(web.config));
    expect(asked).toContain('fetched a new agent key; the next report uses it');
    const newKey = await web.keyOnDisk();
    secrets.push(newKey);
    expect(newKey).not.toBe(web.agent.key);
    expect((await stat(web.keyFile)).mode & 0o777).toBe(0o600);
    expect((await readFile(web.previousFile, 'utf8')).trim()).toBe(web.agent.key);
    expect((await web.agentRef.get()).get('pendingKeyId')).toBe(keyIdOf(newKey));

    // A new process (a restart with the new key stored, not yet used): it reports with the new key.
    const before = await web.receipts();
    const switched = await delivered(once(web.config));
    expect(switched).toContain('the new agent key was accepted; the rotation is complete');
    expect(existsSync(web.previousFile)).toBe(false);
    const agent = await web.agentRef.get();
    expect(agent.get('keyId')).toBe(keyIdOf(newKey));
    expect(agent.get('keyRotation')).toBeNull();
    expect(await web.receipts()).toBe(before + 1);
    expect(await web.spooled()).toBe(0);
    expect((await sendReport(web.agent.key, freshReport())).json?.error?.status).toBe('UNAUTHENTICATED');
    await delivered(once(web.config));
  });

  it('a restart after the fetch, before the key was stored: the old key still works and a fresh key is fetched', async () => {
    const crash = await host('rotation-crash');
    await crash.requestRotation();
    // The fetch the crashed process made: its key never reached the disk.
    const lost = await callRaw('fetchAgentKey', { data: {} }, { 'x-vigil-key': crash.agent.key });
    expect(lost.status).toBe(200);
    const lostKey = (lost.json!.result as { key: string }).key;
    secrets.push(lostKey);
    // As the agent's next report would be, past the fetch's minimum interval.
    await crash.agentRef.update({ 'keyRotation.fetchedAt': Timestamp.fromMillis(Date.now() - KEY_ROTATION.minFetchSeconds * 1000) });

    const asked = await delivered(once(crash.config));
    expect(asked).toContain('fetched a new agent key');
    const stored = await crash.keyOnDisk();
    secrets.push(stored);
    expect(stored).not.toBe(lostKey);
    await delivered(once(crash.config));
    expect((await crash.agentRef.get()).get('keyId')).toBe(keyIdOf(stored));
    expect((await sendReport(lostKey, freshReport())).json?.error?.status).toBe('UNAUTHENTICATED');
    expect(await crash.spooled()).toBe(0);
  });

  it('a new key refused (unused 24 h after its fetch): back to the previous key, the report delivered, and rotated after all', async () => {
    const late = await host('rotation-late');
    await late.requestRotation();
    await delivered(once(late.config));
    const stale = await late.keyOnDisk();
    secrets.push(stale);
    expect(existsSync(late.previousFile)).toBe(true);
    await late.agentRef.update({ 'keyRotation.fetchedAt': Timestamp.fromMillis(Date.now() - KEY_ROTATION.pendingKeySeconds * 1000 - 1000) });

    const before = await late.receipts();
    const fellBack = await delivered(once(late.config));
    expect(fellBack).toContain('the new agent key was refused; back to the previous one');
    // The same report went again with the old key; that reply asked again, and a fresh key is stored.
    expect(fellBack).toContain('fetched a new agent key');
    expect(await late.receipts()).toBe(before + 1);
    const fresh = await late.keyOnDisk();
    secrets.push(fresh);
    expect(fresh).not.toBe(stale);
    expect((await readFile(late.previousFile, 'utf8')).trim()).toBe(late.agent.key);
    await delivered(once(late.config));
    expect((await late.agentRef.get()).get('keyId')).toBe(keyIdOf(fresh));
    expect(existsSync(late.previousFile)).toBe(false);
    expect(await late.spooled()).toBe(0);
  });
});
