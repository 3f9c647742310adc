// The host facts of a report: hostname, OS (PRETTY_NAME of os-release), kernel release, machine.
// The OS comes through the Host (a fixture can claim any distribution); the rest from Node's `os`,
// which reads the kernel's own answers without starting a process. None is needed to run the
// service: a detail named in `hide` (the config's hide_host_details) is not even read.
import os from 'node:os';
import { LIMITS, type HostDetail, type HostFacts } from '@vigil/schema';
import type { Host } from '../host/host.js';
import { truncate } from './fit-to-limits.js';

const UNAME_MACHINE: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686', arm: 'armv7l', ppc64: 'ppc64le', s390x: 's390x' };

/** `uname -m`'s name for a `process.arch` value (ppc64 is little-endian on Linux distributions Node supports). */
export function unameMachine(nodeArch: string): string {
  return UNAME_MACHINE[nodeArch] ?? nodeArch;
}

export interface SystemInfo {
  hostname(): string;
  /** The kernel release, as `uname -r` prints it. */
  release(): string;
  /** The machine, as `uname -m` prints it (x86_64, aarch64). */
  machine(): string;
}

export const nodeSystem: SystemInfo = {
  hostname: () => os.hostname(),
  release: () => os.release(),
  // os.machine() arrived in Node 18.9; on earlier 18.x, Node's own name for it (x64, arm64) is
  // translated to uname's, so the dashboard shows one name whatever Node the host runs.
  machine: () => (typeof os.machine === 'function' ? os.machine() : unameMachine(process.arch)),
};

/** The value of one variable of an os-release file, unquoted. */
export function osReleaseField(text: string, name: string): string | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}=`));
  if (line === undefined) return undefined;
  const raw = line.slice(name.length + 1).trim();
  const unquoted = /^(["'])(.*)\1$/.exec(raw)?.[2] ?? raw;
  return unquoted.replace(/\\(["'$`\\])/g, '$1') || undefined;
}

async function readOsRelease(host: Host): Promise<string | undefined> {
  return (await host.readFile('/etc/os-release', { maxBytes: 64 * 1024 })) ?? (await host.readFile('/usr/lib/os-release', { maxBytes: 64 * 1024 }));
}

export async function collectHostFacts(host: Host, system: SystemInfo = nodeSystem, hide: Iterable<HostDetail> = []): Promise<HostFacts> {
  const hidden = new Set(hide);
  const osRelease = hidden.has('os') ? undefined : await readOsRelease(host);
  const pretty = osRelease
    ? (osReleaseField(osRelease, 'PRETTY_NAME') ??
      [osReleaseField(osRelease, 'NAME'), osReleaseField(osRelease, 'VERSION')].filter(Boolean).join(' '))
    : undefined;
  const facts: HostFacts = {};
  const safely = (read: () => string): string | undefined => {
    try {
      return read().trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const hostname = hidden.has('hostname') ? undefined : safely(system.hostname);
  const kernel = hidden.has('kernel') ? undefined : safely(system.release);
  const arch = hidden.has('arch') ? undefined : safely(system.machine);
  if (hostname) facts.hostname = truncate(hostname, 253);
  if (pretty) facts.os = truncate(pretty, LIMITS.shortText);
  if (kernel) facts.kernel = truncate(kernel, LIMITS.shortText);
  if (arch) facts.arch = truncate(arch, 32);
  return facts;
}
