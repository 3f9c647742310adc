// Helpers shared by the host-defence plugins (ufw, sshd, unattended-upgrades, apparmor, auditd,
// crowdsec): finding a solution from every place it can be installed from, and turning a failed
// command into words an administrator understands.
import type { CommandResult, Host } from '../host/host.js';
import { packageVersion, which } from '../host/queries.js';
import type { Detection, DetectionSource, SolutionFindings } from './plugin.js';
import { parseJsonData } from '../host/own-data.js';

export type SolutionError = SolutionFindings['errors'][number];

/** Where systemd looks for unit files, in its own order of precedence (/lib is /usr/lib on merged-usr systems). */
export const UNIT_DIRS = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/local/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/lib/systemd/system',
];

export const NO_SYSTEMD = 'systemd is not running on this host (as in a container or chroot)';

export interface DetectionRecipe {
  /** Package names, Debian's first (dpkg, else rpm, is asked for each in turn). */
  packages?: string[];
  binaries?: string[];
  units?: string[];
  /** Files or directories whose presence shows the solution is configured here. */
  configs?: string[];
}

/** Every source in the recipe that matched, or undefined when none did. */
export async function detectFrom(host: Host, recipe: DetectionRecipe): Promise<Detection | undefined> {
  const detectedBy: DetectionSource[] = [];
  if (recipe.packages && (await installedPackage(host, recipe.packages))) detectedBy.push('package');
  if (recipe.binaries && (await firstBinary(host, recipe.binaries))) detectedBy.push('binary');
  if (recipe.units && (await unitFile(host, recipe.units))) detectedBy.push('unit');
  if (recipe.configs && (await firstExisting(host, recipe.configs))) detectedBy.push('config');
  return detectedBy.length > 0 ? { detectedBy } : undefined;
}

export async function installedPackage(
  host: Host,
  names: string[],
): Promise<{ name: string; version: string } | undefined> {
  for (const name of names) {
    const version = await packageVersion(host, name);
    if (version) return { name, version };
  }
  return undefined;
}

export async function firstBinary(host: Host, names: string[]): Promise<string | undefined> {
  for (const name of names) {
    const found = await which(host, name);
    if (found) return found;
  }
  return undefined;
}

/** The path of the first of these units' files, searched in systemd's own order. */
export async function unitFile(host: Host, units: string[]): Promise<string | undefined> {
  for (const unit of units) {
    for (const dir of UNIT_DIRS) {
      const candidate = `${dir}/${unit}`;
      if ((await host.stat(candidate))?.isFile) return candidate;
    }
  }
  return undefined;
}

export async function firstExisting(host: Host, paths: string[]): Promise<string | undefined> {
  for (const candidate of paths) {
    if (await host.stat(candidate)) return candidate;
  }
  return undefined;
}

export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.length > 0) ?? ''
  );
}

/** Why a command gave no usable answer, e.g. "`ufw status verbose` exited with 1: ERROR: ...". */
export function commandFailure(commandLine: string, result: CommandResult): string {
  if (result.notFound) return `\`${commandLine}\` could not run: the program is not installed`;
  if (result.timedOut) return `\`${commandLine}\` timed out`;
  const said = firstLine(result.stderr) || firstLine(result.stdout);
  return `\`${commandLine}\` exited with ${result.exitCode ?? 'no code'}${said ? `: ${said}` : ''}`;
}

export function succeeded(result: CommandResult): boolean {
  return result.exitCode === 0 && !result.timedOut;
}

/** A list for the report: at most 100 entries (the schema's limit), in a stable order. */
export function reportList(values: Iterable<string>, sort = true): string[] {
  const list = [...values];
  return (sort ? list.sort() : list).slice(0, 100);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "2026-11-27 11:09 UTC": a moment as an administrator reads it in an email. */
export function formatMoment(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A JSON document from a command's output, or undefined when there is none or it does not parse. */
export function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  try {
    return parseJsonData(trimmed);
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
