// Where a solution is installed from: its packages, binaries, systemd unit files and config files.
// `detect` finds them once and hands what it found to `inspect` (plugin.ts), which uses the paths
// and the package version instead of probing again. Everything goes through the Host, so the
// fixtures capture it.
import type { Host } from '../../host/host.js';
import { packageVersion, which } from '../../host/queries.js';
import type { Detection, DetectionSource } from '../plugin.js';

/**
 * Where systemd looks for unit files, in its own order of precedence (systemd-analyze unit-paths):
 * /usr/lib before /lib, which only split-usr systems search, and which is /usr/lib on merged-usr ones.
 */
export const UNIT_DIRS = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/local/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/lib/systemd/system',
];

/** The order of `detectedBy` in a report. */
const SOURCE_ORDER: readonly DetectionSource[] = ['package', 'binary', 'unit', 'config'];

export interface InstallSignals {
  /** Package names, Debian's first (dpkg, else rpm, is asked for each in turn until one is installed). */
  packages?: string[];
  binaries?: string[];
  /** Unit file names, e.g. `clamav-daemon.service`, looked up in UNIT_DIRS. */
  units?: string[];
  /** Files or directories whose existence means the tool is configured here. */
  configs?: string[];
}

/** What detection found: every signal that matched, with the paths, for inspect to reuse. */
export interface Installation extends Detection {
  /** The first installed package's version. */
  packageVersion?: string;
  /** Absolute path of each binary found on the search path, by name. */
  binaries: Record<string, string>;
  /** Absolute path of each unit file found, by unit name. */
  units: Record<string, string>;
  /** The config files and directories that exist, in the order asked. */
  configs: string[];
}

/** The first of UNIT_DIRS that holds this unit's file, as systemd would load it. */
export async function findUnitFile(host: Host, unit: string): Promise<string | undefined> {
  for (const dir of UNIT_DIRS) {
    const candidate = `${dir}/${unit}`;
    if ((await host.stat(candidate))?.isFile) return candidate;
  }
  return undefined;
}

/** The first binary of these names on the search path. */
export async function firstBinary(host: Host, names: string[]): Promise<string | undefined> {
  for (const name of names) {
    const found = await which(host, name);
    if (found) return found;
  }
  return undefined;
}

/** The first of these paths that exists, file or directory. */
export async function firstExisting(host: Host, paths: string[]): Promise<string | undefined> {
  for (const candidate of paths) {
    if (await host.stat(candidate)) return candidate;
  }
  return undefined;
}

/** The first of these paths that is a regular file. */
export async function firstFile(host: Host, paths: string[]): Promise<string | undefined> {
  for (const candidate of paths) {
    if ((await host.stat(candidate))?.isFile) return candidate;
  }
  return undefined;
}

/** `detectedBy` with one more source, in the report's order (a plugin's own way of finding a binary, say). */
export function withSource(detectedBy: readonly DetectionSource[], source: DetectionSource): DetectionSource[] {
  const sources = new Set([...detectedBy, source]);
  return SOURCE_ORDER.filter((known) => sources.has(known));
}

/** The detection when something was found, else undefined ("not on this host"). */
export function ifDetected<Found extends Detection>(found: Found): Found | undefined {
  return found.detectedBy.length > 0 ? found : undefined;
}

/** Every install signal that matched; `detectedBy` is empty when none did. */
export async function probeInstall(host: Host, signals: InstallSignals): Promise<Installation> {
  const sources = new Set<DetectionSource>();
  let version: string | undefined;
  for (const name of signals.packages ?? []) {
    version = await packageVersion(host, name);
    if (version) {
      sources.add('package');
      break;
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
  return {
    detectedBy: SOURCE_ORDER.filter((source) => sources.has(source)),
    ...(version ? { packageVersion: version } : {}),
    binaries,
    units,
    configs,
  };
}

/** The installation, or undefined when no signal matched: what most plugins' `detect` returns. */
export async function findInstallation(host: Host, signals: InstallSignals): Promise<Installation | undefined> {
  return ifDetected(await probeInstall(host, signals));
}
