// AppArmor: is it enabled in the running kernel, are profiles loaded, and are they enforced (a
// profile in complain mode only logs). Profiles come from `aa-status --json`, else straight from
// securityfs; the kernel's own switch from /sys/module/apparmor/parameters/enabled.
import type { Host } from '../host/host.js';
import type { ConfigurationValue } from '@vigil/schema';
import { succeeded } from './lib/command.js';
import { findInstallation, type Installation } from './lib/install.js';
import { isRecord, reportList } from './lib/report.js';
import { firstVersion, plural } from './lib/text.js';
import { runTest, type SolutionError, type SolutionPlugin } from './plugin.js';
import { NO_SETTINGS } from './settings.js';
import { parseJsonData } from '../host/own-data.js';

const PROFILE_DIR = '/etc/apparmor.d';
const ENABLED_PARAMETER = '/sys/module/apparmor/parameters/enabled';
const SECURITYFS = '/sys/kernel/security/apparmor';
const PROFILE_MODES = ['enforce', 'complain', 'kill', 'prompt', 'unconfined'] as const;

export interface AppArmorState {
  /** profile name to mode (`enforce`, `complain`, ...) */
  profiles: Map<string, string>;
  /** process modes (`enforce`, `complain`, `unconfined`, `mixed`, ...) to the number of processes */
  processes: Map<string, number>;
}

/**
 * Parses `aa-status --json` (format versions 1 and 2). aa-status 3.0.8 writes `"profiles": {, ...`
 * when no profile is in enforce mode, so that one slip is repaired before giving up.
 */
export function parseAaStatusJson(text: string): AppArmorState | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  let document: unknown;
  for (const candidate of [trimmed, trimmed.replace(/\{\s*,/g, '{')]) {
    try {
      document = parseJsonData(candidate);
      break;
    } catch {
      document = undefined;
    }
  }
  if (!isRecord(document) || !isRecord(document.profiles)) return undefined;
  const profiles = new Map<string, string>();
  for (const [name, mode] of Object.entries(document.profiles)) {
    if (typeof mode === 'string') profiles.set(name, mode);
  }
  const processes = new Map<string, number>();
  if (isRecord(document.processes)) {
    for (const entries of Object.values(document.processes)) {
      if (!Array.isArray(entries)) continue;
      for (const entry of entries) {
        const status = isRecord(entry) && typeof entry.status === 'string' ? entry.status : 'unknown';
        processes.set(status, (processes.get(status) ?? 0) + 1);
      }
    }
  }
  return { profiles, processes };
}

/** Parses securityfs's `profiles`: one "name (mode)" per line. */
export function parseKernelProfiles(text: string): Map<string, string> {
  const profiles = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^(.+?)\s+\((\w+)\)\s*$/.exec(line.trim());
    if (match) profiles.set(match[1]!, match[2]!);
  }
  return profiles;
}

type KernelSupport = 'enabled' | 'disabled' | 'absent';

async function kernelSupport(host: Host): Promise<KernelSupport> {
  const value = (await host.readFile(ENABLED_PARAMETER))?.trim();
  if (value === undefined) return 'absent';
  return value === 'Y' ? 'enabled' : 'disabled';
}

/** Why AppArmor is not enforcing anything here, in words for the administrator. */
async function kernelProblem(host: Host, support: KernelSupport): Promise<string | undefined> {
  if (support === 'enabled') return undefined;
  if (support === 'absent') {
    return 'the running kernel does not provide AppArmor (no /sys/module/apparmor): it was built without it, or this container cannot see it, so no profile can be enforced here';
  }
  const cmdline = (await host.readFile('/proc/cmdline')) ?? '';
  const bootParameter = /(?:^|\s)(apparmor=0|security=(?!apparmor)\S+|lsm=\S+)/.exec(cmdline)?.[1];
  return `AppArmor is disabled in the kernel (${ENABLED_PARAMETER} is N)${bootParameter ? `: the kernel was booted with ${bootParameter}` : ''}`;
}

function count(profiles: Map<string, string>, mode: string): number {
  return [...profiles.values()].filter((value) => value === mode).length;
}

function namesIn(profiles: Map<string, string>, mode: string): string[] {
  return [...profiles].filter(([, value]) => value === mode).map(([name]) => name);
}

export const apparmorPlugin: SolutionPlugin<typeof NO_SETTINGS, Installation> = {
  id: 'apparmor',
  settings: NO_SETTINGS,

  detect: ({ host }) =>
    findInstallation(host, {
      packages: ['apparmor'],
      binaries: ['apparmor_parser', 'aa-status'],
      units: ['apparmor.service'],
      configs: [PROFILE_DIR, SECURITYFS],
    }),

  async inspect({ host }, install) {
    const errors: SolutionError[] = [];
    const parser = install.binaries.apparmor_parser;
    const parserVersion = parser ? await host.run('apparmor_parser', ['--version'], { timeoutMs: 5_000 }) : undefined;
    const version = (parserVersion && succeeded(parserVersion) ? firstVersion(parserVersion.stdout) : undefined) ?? install.packageVersion ?? null;

    const support = await kernelSupport(host);
    let state: AppArmorState | undefined;
    if (install.binaries['aa-status']) {
      const run = await host.run('aa-status', ['--json'], { timeoutMs: 15_000 });
      state = parseAaStatusJson(run.stdout);
      if (!state && support === 'enabled' && run.stdout.trim()) {
        errors.push({ code: 'aa-status-unreadable', message: '`aa-status --json` printed something that is not its JSON report' });
      }
    }
    if (!state && support === 'enabled') {
      const kernelList = await host.readFile(`${SECURITYFS}/profiles`);
      if (kernelList !== undefined) state = { profiles: parseKernelProfiles(kernelList), processes: new Map() };
    }
    const profilesUnreadable =
      support === 'enabled' && !state
        ? `AppArmor is enabled in the kernel, but its profiles cannot be read: securityfs is not mounted at /sys/kernel/security here (as in a container), or aa-status is missing`
        : undefined;

    const disabledProfiles = ((await host.listDir(`${PROFILE_DIR}/disable`)) ?? []).filter((name) => !name.startsWith('.'));
    const profileFiles = await countProfileFiles(host);

    const configuration: Record<string, ConfigurationValue> = {
      kernelEnabled: support === 'absent' ? null : support === 'enabled',
      'profiles.disabled': reportList(disabledProfiles),
    };
    const metrics: Record<string, number> = { profileFiles };
    if (state) {
      configuration['profiles.enforce'] = reportList(namesIn(state.profiles, 'enforce'));
      configuration['profiles.complain'] = reportList(namesIn(state.profiles, 'complain'));
      for (const mode of ['kill', 'prompt', 'unconfined']) {
        const names = namesIn(state.profiles, mode);
        if (names.length > 0) configuration[`profiles.${mode}`] = reportList(names);
      }
      metrics.profilesLoaded = state.profiles.size;
      for (const mode of PROFILE_MODES) metrics[`profiles${mode[0]!.toUpperCase()}${mode.slice(1)}`] = count(state.profiles, mode);
      const processes = [...state.processes];
      metrics.processesConfined = processes.filter(([mode]) => mode !== 'unconfined').reduce((sum, [, n]) => sum + n, 0);
      metrics.processesUnconfined = state.processes.get('unconfined') ?? 0;
    }

    const kernelWhy = await kernelProblem(host, support);
    const problem = kernelWhy ?? profilesUnreadable;
    const tests = [
      await runTest(host, 'installed', 'presence', async () =>
        parser
          ? { passed: true, message: `AppArmor${version ? ` ${version}` : ''} is installed (${parser})` }
          : { passed: false, message: 'AppArmor profiles are here but apparmor_parser is not installed, so they cannot be loaded' },
      ),
      await runTest(host, 'kernel-enabled', 'requirement', async () =>
        kernelWhy ? { passed: false, message: kernelWhy } : { passed: true, message: 'AppArmor is enabled in the running kernel' },
      ),
      await runTest(host, 'profiles-loaded', 'operational', async () => {
        if (!state) return { passed: false, message: problem ?? 'the loaded profiles cannot be read' };
        return state.profiles.size > 0
          ? { passed: true, message: `${plural(state.profiles.size, 'profile is', 'profiles are')} loaded` }
          : {
              passed: false,
              message: `no AppArmor profile is loaded${profileFiles > 0 ? `, although ${PROFILE_DIR} has ${plural(profileFiles, 'profile file')} (is apparmor.service run at boot?)` : ''}`,
            };
      }),
      await runTest(host, 'profiles-enforced', 'security', async () => {
        if (!state) return { passed: false, message: problem ?? 'the loaded profiles cannot be read' };
        const enforced = count(state.profiles, 'enforce') + count(state.profiles, 'kill');
        const complain = count(state.profiles, 'complain');
        const unconfinedProcesses = state.processes.get('unconfined') ?? 0;
        if (enforced === 0) {
          return {
            passed: false,
            message:
              complain > 0
                ? `no profile is enforced: ${plural(complain, 'profile is', 'profiles are')} in complain mode, which only logs what it would deny`
                : 'no profile is enforced: AppArmor confines nothing',
          };
        }
        const notes = [
          complain > 0 ? `${complain} in complain mode` : undefined,
          unconfinedProcesses > 0
            ? `${plural(unconfinedProcesses, 'process runs', 'processes run')} unconfined although a profile exists (restart them)`
            : undefined,
        ].filter(Boolean);
        return {
          passed: true,
          message: `${plural(enforced, 'profile is', 'profiles are')} enforced${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`,
        };
      }),
    ];

    return { version, configuration, metrics, tests, errors };
  },
};

/** Profile files at the top of /etc/apparmor.d (directories and package leftovers are not profiles). */
async function countProfileFiles(host: Host): Promise<number> {
  let files = 0;
  for (const name of (await host.listDir(PROFILE_DIR)) ?? []) {
    if (name.startsWith('.') || /\.(dpkg-\w+|ucf-\w+|rpmnew|rpmsave)$/.test(name) || name === 'README') continue;
    if ((await host.stat(`${PROFILE_DIR}/${name}`))?.isFile) files += 1;
  }
  return files;
}
