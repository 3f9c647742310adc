// The real agent bundle (agent/dist/vigil-agent.mjs) against the emulators: `once` on this machine,
// and `collect --json --fixture …` over captured fixtures, whose report the test then sends to the
// ingest callable with the agent's key (`once` has no fixture option).
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ENROLLMENT_TOKEN_HEADER, type ReportInput } from '@vigil/schema';
import { createHash, randomBytes } from 'node:crypto';

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUNDLE = path.join(REPO_ROOT, 'agent', 'dist', 'vigil-agent.mjs');

export function fixture(id: string, scenario: string): string {
  return `${id}=${path.join(REPO_ROOT, 'agent', 'fixtures', id, scenario)}`;
}

/** The value after `--flag` in the install command the dashboard showed. */
export function optionOf(command: string, flag: string): string {
  const match = new RegExp(`${flag}\\s+(\\S+)`).exec(command);
  if (!match) throw new Error(`the install command has no ${flag}: ${command}`);
  return match[1]!;
}

/**
 * What install.sh does with the command createAgent's dialog showed: enrolls a machine (of its
 * own, random) with the command's `--token` at the enrollAgent beside its `--endpoint`. The key and
 * the endpoint the host then reports with.
 */
export async function enrollWithCommand(command: string, hostname: string): Promise<{ key: string; endpoint: string; agentId: string }> {
  const token = optionOf(command, '--token');
  const endpoint = optionOf(command, '--endpoint');
  const machineId = createHash('sha256')
    .update(`vigil:${randomBytes(16).toString('hex')}`)
    .digest('hex');
  const response = await fetch(endpoint.replace(/\/ingestReport$/, '/enrollAgent'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', [ENROLLMENT_TOKEN_HEADER]: token },
    body: JSON.stringify({ data: { machineId, hostname } }),
  });
  const body = (await response.json()) as { result?: { key?: string; agentId?: string } };
  if (response.status !== 200 || typeof body.result?.key !== 'string') throw new Error(`enrollAgent answered HTTP ${response.status}`);
  return { key: body.result.key, endpoint, agentId: body.result.agentId! };
}

/** `vigil-agent once` with a config file like the installer writes; resolves with its output. */
export async function runAgentOnce(endpoint: string, key: string): Promise<{ stdout: string; stderr: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-browser-agent-'));
  try {
    const config = path.join(dir, 'agent.yaml');
    await writeFile(config, `endpoint: ${endpoint}\nkey: ${key}\nspool_dir: ${path.join(dir, 'spool')}\nlog_level: info\n`);
    await chmod(config, 0o600);
    return await run(process.execPath, [BUNDLE, 'once', '--config', config], { timeout: 120_000 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What this machine would report now (the same collection `once` makes). */
export async function collectHere(): Promise<ReportInput> {
  const { stdout } = await run(process.execPath, [BUNDLE, 'collect', '--json'], { timeout: 120_000 });
  return JSON.parse(stdout) as ReportInput;
}

/** A report collected by the real bundle over fixture directories (ID=DIR each). */
export async function collectFixtures(fixtures: string[]): Promise<ReportInput> {
  const args = [BUNDLE, 'collect', '--json', ...fixtures.flatMap((item) => ['--fixture', item])];
  const { stdout } = await run(process.execPath, args, { timeout: 120_000 });
  return JSON.parse(stdout) as ReportInput;
}

/** POSTs a report to ingestReport as the agent does (X-Vigil-Key); throws unless accepted. */
export async function sendReport(endpoint: string, key: string, report: ReportInput): Promise<void> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Vigil-Key': key },
    body: JSON.stringify({ data: report }),
  });
  const body = await response.text();
  if (!response.ok || !body.includes('"accepted":true')) throw new Error(`ingestReport refused the report: ${response.status} ${body}`);
}
