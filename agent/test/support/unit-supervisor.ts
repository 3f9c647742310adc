// systemd in miniature, for an agent install.sh put under --prefix: starts the installed unit's
// ExecStart (its paths moved under the prefix, StateDirectory= as VIGIL_STATE_DIR) and starts it
// again by the unit's own Restart= and RestartPreventExitStatus= (StartLimitBurst= caps the starts),
// so a test sees whether what the unit file says really brings the agent back after its exit 8.
// RestartSec= is not waited out: the order of events is what the tests look at, not the pause.
// Each process's command line (and its children's) is sampled from /proc while it runs, so a test
// can show that no secret ever sits in an argv.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface InstalledUnit {
  /** The command line, its paths under the prefix. */
  argv: string[];
  /** StateDirectory=, under the prefix. */
  stateDir: string;
  restart: string;
  preventExitStatus: number[];
  startLimitBurst: number;
}

function directives(unitText: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of unitText.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match) found.set(match[1]!, match[2]!.trim());
  }
  return found;
}

/** Reads `<prefix>/etc/systemd/system/<name>` as systemd would use it for this prefix. */
export function readInstalledUnit(prefix: string, name = 'vigil-agent.service'): InstalledUnit {
  const unit = directives(readFileSync(path.join(prefix, 'etc', 'systemd', 'system', name), 'utf8'));
  const execStart = unit.get('ExecStart');
  if (!execStart) throw new Error(`${name} has no ExecStart=`);
  // install.sh writes node's own absolute path (outside the prefix unless it installed one there);
  // every other absolute path of the line is one it installed under the prefix.
  const [node, ...args] = execStart.split(/\s+/);
  const underPrefix = (arg: string) => (arg.startsWith('/') && existsSync(path.join(prefix, arg)) ? path.join(prefix, arg) : arg);
  return {
    argv: [underPrefix(node!), ...args.map(underPrefix)],
    stateDir: path.join(prefix, 'var', 'lib', unit.get('StateDirectory') ?? 'vigil'),
    restart: unit.get('Restart') ?? 'no',
    preventExitStatus: (unit.get('RestartPreventExitStatus') ?? '').split(/\s+/).filter(Boolean).map(Number),
    startLimitBurst: Number(unit.get('StartLimitBurst') ?? 5),
  };
}

/** Whether systemd restarts a service that exited with `code` (null: killed by a signal) under this unit. */
export function restartsAfter(unit: InstalledUnit, code: number | null): boolean {
  if (code !== null && unit.preventExitStatus.includes(code)) return false;
  if (unit.restart === 'always') return true;
  // on-failure: an unclean exit code or a signal (systemd.service(5)); a stop we asked for never restarts.
  if (unit.restart === 'on-failure') return code !== 0;
  return false;
}

/** The pid's descendants, through /proc/PID/task/TID/children. */
function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const current = queue.shift()!;
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${current}/task`);
    } catch {
      continue; // exited meanwhile
    }
    for (const task of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${current}/task/${task}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of children.split(' ').filter(Boolean).map(Number)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** Samples the command lines of `pid` and its descendants every few milliseconds until stopped. */
export function watchCommandLines(pid: number, everyMs = 20): { stop: () => string[] } {
  const seen = new Set<string>();
  const sample = () => {
    for (const each of [pid, ...descendantsOf(pid)]) {
      try {
        seen.add(readFileSync(`/proc/${each}/cmdline`, 'utf8').split('\0').join(' ').trim());
      } catch {
        // exited between the listing and the read
      }
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return [...seen].filter(Boolean);
    },
  };
}

export interface ServiceStart {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

export interface Supervised {
  starts: ServiceStart[];
  /** Every command line seen in any start's process tree. */
  commandLines: string[];
  /** The whole output of all starts, in order. */
  output: string;
}

export interface SuperviseOptions {
  /** `systemctl stop` (SIGTERM) once the output of all starts so far matches; no restart after it. */
  stopWhen: RegExp;
  env?: Record<string, string>;
  /** Each start is killed after this long (and counts as a failure). */
  startTimeoutMs?: number;
  /** Runs after a start ended and before the restart systemd would make (a test looks at what that start left). */
  beforeRestart?: (start: ServiceStart) => Promise<void>;
}

/** Processes a supervisor started that have not exited yet: `stopRunning` ends them (a test that timed out). */
const running = new Set<ChildProcess>();

/** SIGKILLs every service process still running, e.g. in afterAll after a test timed out mid-run. */
export function stopRunning(): void {
  for (const child of running) child.kill('SIGKILL');
}

function startOnce(
  unit: InstalledUnit,
  options: SuperviseOptions,
  before: string,
): Promise<ServiceStart & { stopped: boolean; commandLines: string[] }> {
  return new Promise((resolve, reject) => {
    const [command, ...args] = unit.argv;
    const child = spawn(command!, args, {
      env: { PATH: process.env.PATH ?? '', ...options.env, VIGIL_STATE_DIR: unit.stateDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    const watcher = child.pid === undefined ? undefined : watchCommandLines(child.pid);
    let output = '';
    let stopped = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), options.startTimeoutMs ?? 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!stopped && options.stopWhen.test(before + output)) {
        stopped = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      running.delete(child);
      clearTimeout(timer);
      resolve({ code, signal, output, stopped, commandLines: watcher?.stop() ?? [] });
    });
  });
}

/** Starts the unit and restarts it as systemd would, until it is stopped or stays down. */
export async function supervise(unit: InstalledUnit, options: SuperviseOptions): Promise<Supervised> {
  const starts: ServiceStart[] = [];
  const commandLines = new Set<string>();
  let output = '';
  for (;;) {
    const { stopped, commandLines: seen, ...start } = await startOnce(unit, options, output);
    starts.push(start);
    seen.forEach((line) => commandLines.add(line));
    output += start.output;
    if (stopped || !restartsAfter(unit, start.code) || starts.length >= unit.startLimitBurst) break;
    await options.beforeRestart?.(start);
  }
  return { starts, commandLines: [...commandLines], output };
}
