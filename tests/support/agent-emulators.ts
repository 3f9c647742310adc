// Emulator suites that a test starts, stops and restarts itself, for the agent's outage test
// (agent/test/*.outage.test.ts): it must take the Functions emulator down mid-run, so it cannot run
// under `scripts/emulators.mjs exec`. Same harness as every other command (emulatorEnv, the emulator
// lock, process groups). firebase-tools cannot stop one emulator of a running suite, so Auth and
// Firestore run in one suite and Functions in a second one (functionsOnlyConfig) that stops alone.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// The harness is plain JavaScript without type declarations: load it by URL and describe what we use.
interface ProcessHandle {
  name: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
interface Harness {
  env: { emulatorEnv(): { env: NodeJS.ProcessEnv; notes: string[] }; firebaseBin: string; PROJECT_ID: string; PORTS: Record<string, number> };
  lock: { acquireEmulatorLock(options?: { timeoutMs?: number; onWait?: (pid: number) => void }): Promise<void>; releaseEmulatorLock(): void };
  processes: {
    startProcess(name: string, command: string, args: string[], options: Record<string, unknown>): ProcessHandle;
    stopProcess(handle: ProcessHandle, graceMs?: number): Promise<void>;
    stopAll(): Promise<void>;
  };
  wait: {
    isPortFree(port: number, host?: string): Promise<boolean>;
    waitFor<T>(description: string, check: () => Promise<T>, options?: { timeoutMs?: number; intervalMs?: number }): Promise<T>;
  };
}

async function load<T>(relative: string): Promise<T> {
  const url = new URL(`../../scripts/lib/${relative}`, import.meta.url).href;
  return (await import(url)) as T;
}

let harness: Harness | undefined;
async function loadHarness(): Promise<Harness> {
  harness ??= {
    env: await load('emulator-env.mjs'),
    lock: await load('emulator-lock.mjs'),
    processes: await load('processes.mjs'),
    wait: await load('wait.mjs'),
  };
  return harness;
}

/** Builds functions/lib, which the Functions emulator loads (as `npm test` does before its emulator tier). */
export function buildFunctions(): void {
  const result = spawnSync('npm', ['run', 'build', '-w', 'functions'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build -w functions failed:\n${result.stdout}\n${result.stderr}`);
}

/** Waits for any other emulator user on this machine (npm test, npm start, a benchmark) to finish. */
export async function takeEmulatorLock(): Promise<void> {
  const { lock } = await loadHarness();
  await lock.acquireEmulatorLock({
    onWait: (pid) => console.log(`[outage test] waiting for process ${pid}, which is using the emulators…`),
  });
}

export async function releaseEmulatorLock(): Promise<void> {
  (await loadHarness()).lock.releaseEmulatorLock();
}

/** Points this process's Admin SDK and the helpers of tests/support/emulators.ts at the emulators. */
export async function useEmulatorsInThisProcess(): Promise<void> {
  const { PORTS, PROJECT_ID } = (await loadHarness()).env;
  process.env.FIRESTORE_EMULATOR_HOST = `127.0.0.1:${PORTS.firestore}`;
  process.env.FIREBASE_AUTH_EMULATOR_HOST = `127.0.0.1:${PORTS.auth}`;
  process.env.GCLOUD_PROJECT = PROJECT_ID;
  // Nothing here runs on Google Cloud: no metadata-server probe (and its warning) from the Admin SDK.
  process.env.METADATA_SERVER_DETECTION = 'none';
}

export interface EmulatorSuite {
  /** SIGINT (firebase-tools stops its emulators), SIGKILL after the grace time. */
  stop(): Promise<void>;
  /** Everything firebase-tools printed, for a failure message. */
  output(): string;
}

export interface SuiteOptions {
  /** A name for messages. */
  name: string;
  only: string[];
  /** A firebase.json other than the repository's (see functionsOnlyConfig). */
  configFile?: string;
  /** Ports this suite needs free, besides those of `only` in the repository's firebase.json. */
  extraPorts?: number[];
  /** The hub that lists this suite's emulators. */
  hubPort?: number;
  /** Environment for firebase-tools and, through it, the functions it runs. */
  env?: Record<string, string>;
  /** A callable to wait for: the hub lists the Functions emulator before it has loaded our code. */
  probeFunction?: string;
}

/** Where the functions-only suite's hub and logging listen: beside the main suite's 4400 and 4500. */
export const FUNCTIONS_ONLY_PORTS = { hub: 4410, logging: 4510 } as const;

/**
 * A firebase.json (in .vigil/, git-ignored) that runs only the Functions emulator, on the usual port
 * 5001, with a hub and logging of its own, so it can stop and start while another suite keeps Auth and
 * Firestore running. The functions reach that Firestore and Auth through FIRESTORE_EMULATOR_HOST and
 * FIREBASE_AUTH_EMULATOR_HOST, which the Functions emulator passes on to them.
 */
export async function functionsOnlyConfig(): Promise<string> {
  const { env } = await loadHarness();
  const dir = path.join(REPO_ROOT, '.vigil', 'functions-only');
  mkdirSync(dir, { recursive: true });
  const base = JSON.parse(readFileSync(path.join(REPO_ROOT, 'firebase.json'), 'utf8')) as { functions: Array<Record<string, unknown>> };
  const config = {
    functions: base.functions.map((entry) => ({
      ...entry,
      source: path.relative(dir, path.join(REPO_ROOT, String(entry.source))),
      predeploy: undefined,
    })),
    emulators: {
      functions: { host: '127.0.0.1', port: env.PORTS.functions },
      hub: { host: '127.0.0.1', port: FUNCTIONS_ONLY_PORTS.hub },
      logging: { host: '127.0.0.1', port: FUNCTIONS_ONLY_PORTS.logging },
      ui: { enabled: false },
      singleProjectMode: true,
    },
  };
  const file = path.join(dir, 'firebase.json');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

async function listsAll(hubPort: number, only: string[]): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${hubPort}/emulators`, { signal: AbortSignal.timeout(2_000) });
  const running = Object.keys((await response.json()) as Record<string, unknown>);
  return only.every((name) => running.includes(name));
}

/** Starts `firebase emulators:start` and resolves once its hub lists every emulator and `probeFunction` is loaded. */
export async function startEmulatorSuite(options: SuiteOptions): Promise<EmulatorSuite> {
  const { env, processes, wait } = await loadHarness();
  const hubPort = options.hubPort ?? env.PORTS.hub!;
  const ports = [...options.only.map((name) => env.PORTS[name]!), ...(options.extraPorts ?? [env.PORTS.hub!, env.PORTS.logging!])];
  for (const port of ports) {
    if (!(await wait.isPortFree(port))) {
      throw new Error(`Port ${port} is in use although this test holds the emulator lock: stop whatever runs the emulators outside the harness.`);
    }
  }
  const { env: harnessEnv } = env.emulatorEnv();
  const lines: string[] = [];
  const args = ['emulators:start', '--project', env.PROJECT_ID, '--only', options.only.join(',')];
  if (options.configFile) args.push('--config', options.configFile);
  const handle = processes.startProcess(options.name, env.firebaseBin, args, {
    cwd: REPO_ROOT,
    env: { ...harnessEnv, ...options.env },
    quiet: true,
    onLine: (line: string) => lines.push(line),
  });
  let exited = false;
  void handle.exited.then(() => (exited = true));
  const suite: EmulatorSuite = {
    stop: () => processes.stopProcess(handle, 30_000),
    output: () => lines.join('\n'),
  };
  const stillRunning = () => {
    if (exited) throw new Error(`firebase emulators:start (${options.name}) exited early`);
  };
  try {
    await wait.waitFor(`the ${options.name} emulators`, async () => (stillRunning(), listsAll(hubPort, options.only)), {
      timeoutMs: 180_000,
      intervalMs: 500,
    });
    if (options.probeFunction) {
      const url = `http://127.0.0.1:${env.PORTS.functions}/${env.PROJECT_ID}/us-central1/${options.probeFunction}`;
      await wait.waitFor(
        `${options.probeFunction} to load`,
        async () => (stillRunning(), (await fetch(url, { method: 'POST', signal: AbortSignal.timeout(2_000) })).status !== 404),
        { timeoutMs: 90_000, intervalMs: 250 },
      );
    }
  } catch (error) {
    await suite.stop();
    throw new Error(`${(error as Error).message}\n--- firebase-tools said ---\n${suite.output().split('\n').slice(-40).join('\n')}`);
  }
  return suite;
}

/** Stops every process started through the harness in this test process, even after a failure. */
export async function stopEveryEmulator(): Promise<void> {
  await (await loadHarness()).processes.stopAll();
}
