// Questions the clamav, fail2ban, certbot, suricata, teler and vector plugins share: where a tool was
// installed from, whether its service or process runs, how old a file is. Everything goes through the
// Host, so the fixtures capture it.
import type { Host } from '../host/host.js';
import { packageVersion, unitState, which } from '../host/queries.js';
import type { Detection, DetectionSource } from './plugin.js';

/** Where distributions and administrators put systemd unit files, in systemd's own order of precedence. */
export const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];

export interface InstallSignals {
  packages?: string[];
  binaries?: string[];
  /** Unit file names, e.g. `clamav-daemon.service`, looked up in UNIT_DIRS. */
  units?: string[];
  /** Files or directories whose existence means the tool is configured here. */
  configs?: string[];
}

export interface InstallFacts {
  detection: Detection | undefined;
  /** The first installed package's version. */
  packageVersion?: string;
  /** Absolute path of the first binary found on the search path. */
  binaries: Record<string, string>;
  /** Absolute path of each unit file found. */
  units: Record<string, string>;
  configs: string[];
}

export async function findUnitFile(host: Host, unit: string): Promise<string | undefined> {
  for (const dir of UNIT_DIRS) {
    const candidate = `${dir}/${unit}`;
    if ((await host.stat(candidate))?.isFile) return candidate;
  }
  return undefined;
}

/** Every install signal that matched, so `detectedBy` lists all of them and inspect can reuse the paths. */
export async function probeInstall(host: Host, signals: InstallSignals): Promise<InstallFacts> {
  const sources = new Set<DetectionSource>();
  let version: string | undefined;
  for (const name of signals.packages ?? []) {
    const found = await packageVersion(host, name);
    if (found) {
      sources.add('package');
      version ??= found;
    }
  }
  const binaries: Record<string, string> = {};
  for (const name of signals.binaries ?? []) {
    const found = await which(host, name);
    if (found) {
      sources.add('binary');
      binaries[name] = found;
    }
  }
  const units: Record<string, string> = {};
  for (const unit of signals.units ?? []) {
    const found = await findUnitFile(host, unit);
    if (found) {
      sources.add('unit');
      units[unit] = found;
    }
  }
  const configs: string[] = [];
  for (const file of signals.configs ?? []) {
    if (await host.stat(file)) {
      sources.add('config');
      configs.push(file);
    }
  }
  const order: DetectionSource[] = ['package', 'binary', 'unit', 'config'];
  const detectedBy = order.filter((source) => sources.has(source));
  return {
    detection: detectedBy.length > 0 ? { detectedBy } : undefined,
    ...(version ? { packageVersion: version } : {}),
    binaries,
    units,
    configs,
  };
}

export interface RunningProcess {
  pid: number;
  name: string;
}

/** Processes whose name (`/proc/<pid>/comm`) is one of `names`: how a tool is found running without systemd. */
export async function findProcesses(host: Host, names: string[]): Promise<RunningProcess[]> {
  const entries = (await host.listDir('/proc')) ?? [];
  const found: RunningProcess[] = [];
  for (const entry of entries.filter((name) => /^\d+$/.test(name)).slice(0, 10_000)) {
    const comm = (await host.readFile(`/proc/${entry}/comm`, { maxBytes: 64 }))?.trim();
    if (comm && names.includes(comm)) found.push({ pid: Number(entry), name: comm });
  }
  return found.sort((a, b) => a.pid - b.pid);
}

export interface ServiceVerdict {
  running: boolean;
  message: string;
}

/**
 * Whether a service runs, said honestly: systemd's view when systemd runs and knows the unit, else
 * the process table, and "systemd is not running here" rather than "stopped" when there is no systemd.
 */
export async function serviceVerdict(
  host: Host,
  options: { label: string; unit: string; processNames: string[] },
): Promise<ServiceVerdict> {
  const { label, unit, processNames } = options;
  const state = await unitState(host, unit);
  if (state.systemdRunning && state.loadState !== 'not-found') {
    const boot = state.unitFileState === 'enabled' ? '' : ` (${state.unitFileState} at boot)`;
    if (state.activeState === 'active') return { running: true, message: `${unit} is active${boot}` };
    return { running: false, message: `${unit} is ${state.activeState}${boot}` };
  }
  const processes = await findProcesses(host, processNames);
  const pids = processes.map((process) => process.pid).join(', ');
  if (!state.systemdRunning) {
    return processes.length > 0
      ? { running: true, message: `${label} is running (pid ${pids}); systemd is not running on this host` }
      : {
          running: false,
          message: `no ${label} process is running, and systemd is not running on this host, so ${unit} cannot be started by it`,
        };
  }
  return processes.length > 0
    ? { running: true, message: `${label} is running (pid ${pids}) outside systemd` }
    : { running: false, message: `${unit} is not installed and no ${label} process is running` };
}

/** Hours since a moment, to one decimal: a metric that grows by itself. */
export function ageHours(host: Host, sinceMs: number): number {
  return Math.round(((host.now().getTime() - sinceMs) / 3_600_000) * 10) / 10;
}

/** "9 days", "1 day", "5 hours": ages as an administrator reads them. */
export function describeAge(hours: number): string {
  if (hours < 1) return 'less than an hour';
  if (hours < 48) {
    const whole = Math.max(0, Math.floor(hours));
    return `${whole} hour${whole === 1 ? '' : 's'}`;
  }
  const days = Math.floor(hours / 24);
  return `${days} days`;
}

/** A config or metric key segment from a free name ("Common Web Attack" → "common-web-attack"). */
export function keySegment(name: string): string {
  const cleaned = name
    .trim()
    .replace(/[^A-Za-z0-9_.:@-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/-+$/, '');
  return (cleaned || 'unnamed').slice(0, 60);
}

/** A test id segment: lower-case slug. */
export function slugSegment(name: string): string {
  return keySegment(name).toLowerCase().replace(/[^a-z0-9_.-]/g, '-').slice(0, 40);
}

/** The first line of a command's error output, for a message that says why in a few words. */
export function firstErrorLine(text: string): string | undefined {
  return text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line.length > 0);
}

export function timedOutMessage(command: string, timeoutMs: number): string {
  return `${command} did not answer within ${Math.round(timeoutMs / 1000)} s`;
}
