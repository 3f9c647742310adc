// `vigil-agent relay` as a real process of the built bundle (agent/dist), as systemd runs it: a
// config with a relay: section on a free port, its own state directory (where it makes its
// self-signed certificate and access list), the uplink an ingest URL. Its log lines (JSON, stdout)
// are kept; the fingerprint agents pin comes from its "relay listening" line.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const AGENT_BUNDLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'vigil-agent.mjs');

export interface RelayProcess {
  /** What an agent behind it puts in `endpoint:`. */
  endpoint: string;
  fingerprint: string;
  config: string;
  stateDir: string;
  /** Its standard output and error so far, line by line. */
  output: string[];
  /** The log lines whose message is `message` (their JSON fields). */
  logged(message: string): Array<Record<string, unknown>>;
  /** The key ids access.json lets through (empty: no allowlist). */
  allowed(): Promise<string[]>;
  /** `vigil-agent relay SUBCOMMAND … --config` as a process of its own (allow, deny, list). */
  command(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** SIGTERM, and waits for the process to exit; then removes its directory. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function parsed(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts the relay and resolves once it listens (or rejects with what it printed). */
export async function startRelayProcess(uplink: string, timeoutMs = 60_000): Promise<RelayProcess> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-relay-process-'));
  const stateDir = path.join(dir, 'relay');
  const config = path.join(dir, 'relay.yaml');
  const port = await freePort();
  await writeFile(config, `endpoint: ${uplink}\nlog_level: debug\nrelay:\n  listen: 127.0.0.1:${port}\n  state_dir: ${stateDir}\n`, { mode: 0o600 });
  const child = spawn(process.execPath, [AGENT_BUNDLE, 'relay', '--config', config], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let pending = '';
  const collect = (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    output.push(...lines);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const logged = (message: string) => output.map(parsed).filter((line): line is Record<string, unknown> => line?.message === message);

  const started = Date.now();
  while (logged('relay listening').length === 0) {
    if (child.exitCode !== null || Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
      throw new Error(`vigil-agent relay did not start (exit ${child.exitCode}):\n${output.join('\n')}${pending}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const fingerprint = logged('relay listening')[0]!.fingerprint as string;

  return {
    endpoint: `https://127.0.0.1:${port}/ingest`,
    fingerprint,
    config,
    stateDir,
    output,
    logged,
    async allowed() {
      const text = await readFile(path.join(stateDir, 'access.json'), 'utf8').catch(() => '{"allow":[]}');
      return (JSON.parse(text) as { allow: string[] }).allow;
    },
    command: (...args) =>
      new Promise((resolve) => {
        execFile(
          process.execPath,
          [AGENT_BUNDLE, 'relay', ...args, '--config', config],
          { env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 },
          (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
        );
      }),
    async stop() {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(killer);
      if (pending) output.push(pending);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
