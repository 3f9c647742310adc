// The OpenSSH server's hardening: may root log in, may anyone log in with a password, is the
// configuration valid and is sshd running. The effective settings come from `sshd -T`, which
// resolves Include, Match-free defaults and every drop-in exactly as sshd will; when it cannot run
// (no /run/sshd in a container, a broken configuration) the files are parsed the way sshd reads them.
import type { Host } from '../host/host.js';
import { unitState } from '../host/queries.js';
import type { ConfigurationValue } from '@vigil/schema';
import { commandFailure, firstLine, succeeded } from './lib/command.js';
import { findInstallation, type Installation } from './lib/install.js';
import { reportList } from './lib/report.js';
import { NO_SYSTEMD } from './lib/service.js';
import { runTest, type SolutionError, type SolutionPlugin } from './plugin.js';
import { NO_SETTINGS } from './settings.js';

const MAIN_CONFIG = '/etc/ssh/sshd_config';

/** Keywords whose every occurrence applies; for all others sshd keeps the first value it reads. */
const ACCUMULATING = new Set(['port', 'listenaddress', 'hostkey', 'acceptenv', 'allowusers', 'allowgroups', 'denyusers', 'denygroups']);

/** OpenSSH's own defaults (sshd_config(5)) for the settings reported, used when only files can be read. */
const DEFAULTS: Record<string, string[]> = {
  permitrootlogin: ['prohibit-password'],
  passwordauthentication: ['yes'],
  kbdinteractiveauthentication: ['yes'],
  pubkeyauthentication: ['yes'],
  permitemptypasswords: ['no'],
  usepam: ['no'],
  port: ['22'],
  maxauthtries: ['6'],
  x11forwarding: ['no'],
  authenticationmethods: ['any'],
};

const ALIASES: Record<string, string> = {
  challengeresponseauthentication: 'kbdinteractiveauthentication',
};

export type SshdSettings = Map<string, string[]>;

/** Parses `sshd -T`: one lower-case keyword and its value per line. */
export function parseSshdDump(text: string): SshdSettings {
  const settings: SshdSettings = new Map();
  for (const line of text.split('\n')) {
    const match = /^(\S+)\s+(.*)$/.exec(line.trim());
    if (!match) continue;
    const key = match[1]!.toLowerCase();
    settings.set(key, [...(settings.get(key) ?? []), match[2]!.trim()]);
  }
  return settings;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${escaped}$`);
}

/** The files an Include argument names, in glob(3) order; relative paths are under /etc/ssh. */
async function expandInclude(host: Host, argument: string): Promise<string[]> {
  const path = argument.startsWith('/') ? argument : `/etc/ssh/${argument}`;
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash) || '/';
  const name = path.slice(slash + 1);
  if (!/[*?]/.test(name)) return [path];
  const pattern = globToRegExp(name);
  const entries = (await host.listDir(dir)) ?? [];
  return entries.filter((entry) => pattern.test(entry)).map((entry) => `${dir}/${entry}`);
}

/**
 * Reads sshd_config as sshd does for the global settings: Include is expanded where it stands,
 * the first value of a keyword wins (except the accumulating ones), and everything after a Match
 * line up to the end of that file is conditional, so it is left out.
 */
export async function readSshdFiles(host: Host, file = MAIN_CONFIG): Promise<{ settings: SshdSettings; files: string[] }> {
  const settings: SshdSettings = new Map();
  const files: string[] = [];
  const visit = async (path: string, depth: number): Promise<void> => {
    if (depth > 8 || files.includes(path)) return;
    const text = await host.readFile(path);
    if (text === undefined) return;
    files.push(path);
    for (const raw of text.split('\n')) {
      const line = raw.replace(/#.*$/, '').trim();
      if (!line) continue;
      const match = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
      if (!match) continue;
      const keyword = match[1]!.toLowerCase();
      const value = match[2]!.trim();
      if (keyword === 'match') return;
      if (keyword === 'include') {
        for (const argument of value.split(/\s+/)) {
          for (const included of await expandInclude(host, argument)) await visit(included, depth + 1);
        }
        continue;
      }
      const key = ALIASES[keyword] ?? keyword;
      if (ACCUMULATING.has(key)) settings.set(key, [...(settings.get(key) ?? []), ...value.split(/\s+/)]);
      else if (!settings.has(key)) settings.set(key, [value]);
    }
  };
  await visit(file, 0);
  return { settings, files };
}

/** `without-password` is the old name of `prohibit-password`; `sshd -T` of OpenSSH 9.2 still prints it. */
function normalizeRootLogin(value: string): string {
  return value === 'without-password' ? 'prohibit-password' : value;
}

function splitList(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(/[\s,]+/)).filter((item) => item && item !== 'none');
}

export const sshdPlugin: SolutionPlugin<typeof NO_SETTINGS, Installation> = {
  id: 'sshd',
  settings: NO_SETTINGS,

  detect: ({ host }) =>
    findInstallation(host, {
      packages: ['openssh-server'],
      binaries: ['sshd'],
      units: ['ssh.service', 'sshd.service'],
      configs: [MAIN_CONFIG],
    }),

  async inspect({ host }, install) {
    const errors: SolutionError[] = [];
    const binary = install.binaries.sshd;

    let version: string | null = null;
    if (binary) {
      // OpenSSH 9.x prints its version for -V; older releases print it above the usage text.
      const run = await host.run('sshd', ['-V'], { timeoutMs: 5_000 });
      version = /OpenSSH_([0-9][\w.]*)/.exec(`${run.stderr}\n${run.stdout}`)?.[1] ?? null;
    }
    version ??= install.packageVersion ?? null;

    const dump = binary ? await host.run('sshd', ['-T'], { timeoutMs: 10_000 }) : undefined;
    const effective = dump && succeeded(dump) && dump.stdout.trim() ? parseSshdDump(dump.stdout) : undefined;
    let settings: SshdSettings;
    let fromDefaults = new Set<string>();
    if (effective) {
      settings = effective;
    } else {
      const read = await readSshdFiles(host);
      settings = read.settings;
      fromDefaults = new Set(Object.keys(DEFAULTS).filter((key) => !settings.has(key)));
      for (const key of fromDefaults) settings.set(key, DEFAULTS[key]!);
      errors.push({
        code: 'effective-config-unavailable',
        message: `${dump ? commandFailure('sshd -T', dump) : 'sshd is not installed'}; settings were read from ${read.files.join(', ') || 'no readable file'}, with OpenSSH's defaults for the ones not set there`,
      });
    }

    const one = (key: string): string | undefined => settings.get(key)?.[0];
    const rootLogin = normalizeRootLogin(one('permitrootlogin') ?? 'prohibit-password');
    const configuration: Record<string, ConfigurationValue> = {
      permitrootlogin: rootLogin,
      passwordauthentication: one('passwordauthentication') ?? null,
      kbdinteractiveauthentication: one('kbdinteractiveauthentication') ?? null,
      pubkeyauthentication: one('pubkeyauthentication') ?? null,
      permitemptypasswords: one('permitemptypasswords') ?? null,
      usepam: one('usepam') ?? null,
      authenticationmethods: one('authenticationmethods') ?? null,
      port: splitList(settings.get('port')).map(Number).filter(Number.isFinite),
      maxauthtries: one('maxauthtries') === undefined ? null : Number(one('maxauthtries')),
      x11forwarding: one('x11forwarding') ?? null,
      allowusers: reportList(splitList(settings.get('allowusers')), false),
      allowgroups: reportList(splitList(settings.get('allowgroups')), false),
      denyusers: reportList(splitList(settings.get('denyusers')), false),
      denygroups: reportList(splitList(settings.get('denygroups')), false),
    };
    for (const key of ['ciphers', 'macs', 'kexalgorithms']) {
      if (settings.has(key)) configuration[key] = reportList(splitList(settings.get(key)), false);
    }

    const origin = (key: string): string => (fromDefaults.has(key) ? " (OpenSSH's default: it is not set in the configuration files)" : '');

    const tests = [
      await runTest(host, 'installed', 'presence', async () =>
        binary
          ? { passed: true, message: `OpenSSH server${version ? ` ${version}` : ''} is installed at ${binary}` }
          : { passed: false, message: 'sshd is configured here but the sshd program is not installed' },
      ),
      await runTest(host, 'config-valid', 'operational', async () => {
        if (!binary) return { passed: false, message: 'the configuration cannot be checked: sshd is not installed' };
        const check = await host.run('sshd', ['-t'], { timeoutMs: 10_000 });
        if (succeeded(check)) return { passed: true, message: '`sshd -t` accepts the configuration' };
        const said = check.stderr
          .trim()
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
        const missingDir = said.find((line) => line.startsWith('Missing privilege separation directory'));
        if (missingDir) {
          const unit = await unitState(host, 'ssh.service');
          return {
            passed: false,
            message: `sshd cannot check its configuration here: ${missingDir}, which systemd creates when the ssh service starts${unit.systemdRunning ? '' : `, and ${NO_SYSTEMD}`}`,
          };
        }
        if (check.timedOut || check.notFound) return { passed: false, message: commandFailure('sshd -t', check) };
        if (said.some((line) => /no hostkeys available/.test(line))) {
          return { passed: false, message: 'sshd has no host key it can read (sshd: no hostkeys available), so the service cannot start' };
        }
        return {
          passed: false,
          message: `sshd rejects its configuration, so the service will not start or restart until it is fixed: ${said.slice(0, 3).join(' ') || (firstLine(check.stdout) ?? '')}`,
        };
      }),
      await runTest(host, 'root-login-disabled', 'security', async () => {
        const consequence: Record<string, string> = {
          no: 'root cannot log in over SSH',
          yes: 'root can log in over SSH',
          'prohibit-password': 'root can still log in over SSH with a key',
          'forced-commands-only': "root can log in over SSH with a key to run that key's forced command",
        };
        return {
          passed: rootLogin === 'no',
          message: `PermitRootLogin is ${rootLogin}${origin('permitrootlogin')}: ${consequence[rootLogin] ?? 'root may log in over SSH'}`,
        };
      }),
      await runTest(host, 'password-login-disabled', 'security', async () => {
        const problems: string[] = [];
        if (configuration.passwordauthentication !== 'no') {
          problems.push(
            `PasswordAuthentication is ${configuration.passwordauthentication ?? 'unset'}${origin('passwordauthentication')}: users can log in over SSH with a password`,
          );
        }
        if (configuration.kbdinteractiveauthentication !== 'no' && configuration.usepam === 'yes') {
          problems.push(
            `KbdInteractiveAuthentication is ${configuration.kbdinteractiveauthentication ?? 'unset'}${origin('kbdinteractiveauthentication')} with UsePAM yes: PAM can still ask for a password over SSH`,
          );
        }
        return problems.length > 0
          ? { passed: false, message: problems.join('; ') }
          : { passed: true, message: 'password logins over SSH are off: users need a key' };
      }),
      await runTest(host, 'empty-passwords-forbidden', 'security', async () =>
        configuration.permitemptypasswords === 'yes'
          ? { passed: false, message: 'PermitEmptyPasswords is yes: accounts without a password can log in over SSH' }
          : { passed: true, message: `PermitEmptyPasswords is ${configuration.permitemptypasswords ?? 'no'}` },
      ),
      await runTest(host, 'sshd-running', 'operational', () => checkRunning(host, install, one('pidfile') ?? '/run/sshd.pid')),
    ];

    return { version, configuration, metrics: {}, tests, errors };
  },
};

async function checkRunning(host: Host, install: Installation, pidFile: string): Promise<{ passed: boolean; message: string }> {
  // Debian names the unit ssh.service, others sshd.service.
  const service = install.units['ssh.service'] ? 'ssh' : 'sshd';
  const unit = await unitState(host, `${service}.service`);
  if (unit.systemdRunning) {
    if (unit.activeState === 'active') return { passed: true, message: `${service}.service is active` };
    // Ubuntu 22.10 and later start sshd on the first connection, through ssh.socket.
    const socket = await unitState(host, `${service}.socket`);
    if (socket.systemdRunning && socket.activeState === 'active') {
      return { passed: true, message: `${service}.socket is listening: systemd starts sshd on the first connection` };
    }
    return {
      passed: false,
      message: `${service}.service is ${unit.activeState} (${unit.unitFileState}): nobody can log in over SSH`,
    };
  }
  const pid = (await host.readFile(pidFile))?.trim();
  const command = pid && /^\d+$/.test(pid) ? (await host.readFile(`/proc/${pid}/comm`))?.trim() : undefined;
  if (command?.startsWith('sshd')) return { passed: true, message: `sshd is running (pid ${pid}); ${NO_SYSTEMD}` };
  return {
    passed: false,
    message: `${NO_SYSTEMD}, and no sshd process was found through ${pidFile}: sshd is not running here`,
  };
}
