// Fail2ban: the effective configuration comes from `fail2ban-client -d` (fail2ban's own reading of
// jail.conf, jail.d and jail.local, so overrides are resolved as fail2ban resolves them), the live
// state from the server's socket. Nothing here bans or unbans.
import type { ConfigurationValue } from '@vigil/schema';
import type { Host } from '../host/host.js';
import { runTest, type PluginContext, type SolutionFindings, type SolutionPlugin } from './plugin.js';
import { NO_SETTINGS } from './settings.js';
import { parsePythonLiteral, type PythonValue } from './config-parsers.js';
import { firstLine, timedOutMessage } from './lib/command.js';
import { findInstallation, type Installation } from './lib/install.js';
import { keySegment } from './lib/report.js';
import { serviceVerdict } from './lib/service.js';
import { firstVersion, plural } from './lib/text.js';

const SIGNALS = {
  packages: ['fail2ban'],
  binaries: ['fail2ban-client', 'fail2ban-server'],
  units: ['fail2ban.service'],
  configs: ['/etc/fail2ban/jail.conf', '/etc/fail2ban/jail.local', '/etc/fail2ban/fail2ban.conf'],
};
const CONFIG_TIMEOUT_MS = 30_000;
const SOCKET_TIMEOUT_MS = 10_000;

export interface JailConfig {
  name: string;
  backend: string;
  settings: Map<string, PythonValue>;
  actions: string[];
  logPaths: string[];
  ignoreIps: string[];
}

export interface DumpedConfig {
  global: Map<string, PythonValue>;
  jails: JailConfig[];
}

/** Reads the command stream `fail2ban-client -d` prints: one Python list per line. */
export function parseConfigDump(text: string): DumpedConfig {
  const global = new Map<string, PythonValue>();
  const jails = new Map<string, JailConfig>();
  for (const line of text.split('\n')) {
    const command = parsePythonLiteral(line.trim());
    if (!Array.isArray(command) || typeof command[0] !== 'string') continue;
    const [verb, first, second, ...rest] = command;
    if (verb === 'add' && typeof first === 'string') {
      jails.set(first, { name: first, backend: String(second ?? 'auto'), settings: new Map(), actions: [], logPaths: [], ignoreIps: [] });
      continue;
    }
    if (verb !== 'set' || typeof first !== 'string') continue;
    const jail = jails.get(first);
    if (!jail) {
      if (second !== undefined) global.set(first, second);
      continue;
    }
    if (typeof second !== 'string') continue;
    if (second === 'addaction' && typeof rest[0] === 'string') jail.actions.push(rest[0]);
    else if (second === 'addlogpath' && typeof rest[0] === 'string') jail.logPaths.push(rest[0]);
    else if (second === 'addignoreip') jail.ignoreIps.push(...rest.filter((value): value is string => typeof value === 'string'));
    else if (rest.length === 1) jail.settings.set(second, rest[0]!);
  }
  return { global, jails: [...jails.values()] };
}

export interface JailStatus {
  currentlyFailed?: number;
  totalFailed?: number;
  currentlyBanned?: number;
  totalBanned?: number;
}

/** `fail2ban-client status` → the jail names it lists. */
export function parseJailList(text: string): string[] {
  const list = /Jail list:\s*(.*)$/m.exec(text)?.[1] ?? '';
  return list
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}

/** `fail2ban-client status <jail>` → its counters. */
export function parseJailStatus(text: string): JailStatus {
  const number = (label: string) => {
    const match = new RegExp(`${label}:\\s*(\\d+)`).exec(text);
    return match ? { value: Number(match[1]) } : undefined;
  };
  const status: JailStatus = {};
  const fields: [keyof JailStatus, string][] = [
    ['currentlyFailed', 'Currently failed'],
    ['totalFailed', 'Total failed'],
    ['currentlyBanned', 'Currently banned'],
    ['totalBanned', 'Total banned'],
  ];
  for (const [key, label] of fields) {
    const found = number(label);
    if (found) status[key] = found.value;
  }
  return status;
}

/** The reason in fail2ban's log-style error lines ("... ERROR   Failed during configuration: X" → "X"). */
export function fail2banError(stderr: string): string | undefined {
  const reasons = stderr
    .split('\n')
    .map((line) => /\bERROR\s+(.*)$/.exec(line)?.[1]?.trim())
    .filter((reason): reason is string => Boolean(reason) && !/test configuration failed/i.test(reason!))
    .map((reason) => reason.replace(/^Failed during configuration:\s*/, ''));
  return reasons[0];
}

function scalar(value: PythonValue | undefined): ConfigurationValue | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.filter((item): item is string | number | boolean | null => !Array.isArray(item));
  return value;
}

/** A failed SSH login as sshd logs it, from a documentation address (RFC 5737): nothing real is named. */
function sampleSshdFailure(host: Host): string {
  const stamp = host.now().toISOString().replace('Z', '+00:00');
  return `${stamp} vigil sshd[4242]: Failed password for invalid user vigil-probe from 192.0.2.10 port 4242 ssh2`;
}

export const fail2banPlugin: SolutionPlugin<typeof NO_SETTINGS, Installation> = {
  id: 'fail2ban',
  settings: NO_SETTINGS,

  detect: ({ host }) => findInstallation(host, SIGNALS),

  async inspect({ host }: PluginContext, install): Promise<SolutionFindings> {
    const errors: SolutionFindings['errors'] = [];
    const client = install.binaries['fail2ban-client'];
    const configuration: Record<string, ConfigurationValue> = {};
    const metrics: Record<string, number> = {};
    const tests: SolutionFindings['tests'] = [];

    let version: string | null = null;
    if (client) {
      const result = await host.run(client, ['--version'], { timeoutMs: SOCKET_TIMEOUT_MS });
      version = firstVersion(result.stdout) ?? null;
    }
    version ??= install.packageVersion ?? null;

    if (!client) {
      errors.push({ code: 'client-missing', message: 'fail2ban-client is not installed: configuration and state cannot be read' });
      return { version, configuration, metrics, tests, errors };
    }

    // Effective configuration, as fail2ban itself resolves it.
    let dumped: DumpedConfig | undefined;
    const dump = await host.run(client, ['-d'], { timeoutMs: CONFIG_TIMEOUT_MS });
    if (dump.timedOut) errors.push({ code: 'config-timeout', message: timedOutMessage('fail2ban-client -d', CONFIG_TIMEOUT_MS) });
    else if (dump.exitCode !== 0) {
      errors.push({
        code: 'config-unreadable',
        message: `fail2ban-client -d failed: ${fail2banError(dump.stderr) ?? firstLine(dump.stderr) ?? `exit code ${dump.exitCode}`}`,
      });
    } else {
      dumped = parseConfigDump(dump.stdout);
      for (const key of ['loglevel', 'dbpurgeage', 'allowipv6']) {
        const value = scalar(dumped.global.get(key));
        if (value !== undefined) configuration[key] = value;
      }
      configuration.jails = dumped.jails.map((jail) => jail.name);
      for (const jail of dumped.jails.slice(0, 30)) {
        const prefix = `jail.${keySegment(jail.name)}`;
        configuration[`${prefix}.backend`] = jail.backend;
        for (const key of ['bantime', 'findtime', 'maxretry', 'bantime.increment', 'bantime.maxtime']) {
          const value = scalar(jail.settings.get(key));
          if (value !== undefined) configuration[`${prefix}.${key}`] = value;
        }
        configuration[`${prefix}.actions`] = jail.actions;
        if (jail.logPaths.length > 0) configuration[`${prefix}.logpath`] = jail.logPaths;
        if (jail.ignoreIps.length > 0) configuration[`${prefix}.ignoreip`] = jail.ignoreIps;
      }
    }

    tests.push(
      await runTest(host, 'config-valid', 'requirement', async () => {
        const check = await host.run(client, ['-t'], { timeoutMs: CONFIG_TIMEOUT_MS });
        if (check.timedOut) return { passed: false, message: timedOutMessage('fail2ban-client -t', CONFIG_TIMEOUT_MS) };
        if (check.exitCode === 0) return { passed: true, message: 'fail2ban-client -t: configuration test is successful' };
        const why = fail2banError(check.stderr) ?? firstLine(check.stderr) ?? `exit code ${check.exitCode}`;
        return { passed: false, message: `fail2ban configuration test failed: ${why}` };
      }),
    );

    // Live state from the server.
    const ping = await host.run(client, ['ping'], { timeoutMs: SOCKET_TIMEOUT_MS });
    const serverAnswers = ping.exitCode === 0 && /pong/i.test(ping.stdout);
    let activeJails: string[] = [];
    if (serverAnswers) {
      const status = await host.run(client, ['status'], { timeoutMs: SOCKET_TIMEOUT_MS });
      activeJails = status.exitCode === 0 ? parseJailList(status.stdout) : [];
      if (status.exitCode !== 0)
        errors.push({ code: 'status-failed', message: `fail2ban-client status failed: ${firstLine(status.stderr) ?? 'no output'}` });
      let currentlyBanned = 0;
      let totalBanned = 0;
      for (const jail of activeJails.slice(0, 30)) {
        const result = await host.run(client, ['status', jail], { timeoutMs: SOCKET_TIMEOUT_MS });
        if (result.exitCode !== 0) continue;
        const counters = parseJailStatus(result.stdout);
        for (const [key, value] of Object.entries(counters)) metrics[`jail.${keySegment(jail)}.${key}`] = value;
        currentlyBanned += counters.currentlyBanned ?? 0;
        totalBanned += counters.totalBanned ?? 0;
      }
      metrics['jails.active'] = activeJails.length;
      metrics['banned.current'] = currentlyBanned;
      metrics['banned.total'] = totalBanned;
    }

    tests.push(
      await runTest(host, 'server-responds', 'operational', async () => {
        if (serverAnswers) return { passed: true, message: 'fail2ban-client ping: Server replied: pong' };
        const service = await serviceVerdict(host, { label: 'fail2ban-server', unit: 'fail2ban.service', processNames: ['fail2ban-server'] });
        const detail = ping.timedOut ? 'no answer within 10 s' : 'no answer';
        return { passed: false, message: `fail2ban-client ping: ${detail} (is fail2ban-server running?); ${service.message}` };
      }),
    );

    tests.push(
      await runTest(host, 'jails-active', 'operational', async () => {
        if (!serverAnswers) return { passed: false, message: 'no jail is active: fail2ban-server does not answer' };
        if (activeJails.length === 0) return { passed: false, message: 'fail2ban runs with no jail enabled, so it protects nothing' };
        const missing = (dumped?.jails ?? []).map((jail) => jail.name).filter((name) => !activeJails.includes(name));
        if (missing.length > 0) {
          return { passed: false, message: `configured but not running: ${missing.join(', ')} (active: ${activeJails.join(', ')})` };
        }
        return { passed: true, message: `${plural(activeJails.length, 'jail')} active: ${activeJails.join(', ')}` };
      }),
    );

    // The sshd filter must still recognise a failed login: a fail2ban upgrade or a changed log format
    // silently breaks it while the server keeps answering.
    const regex = install.binaries['fail2ban-client']?.replace(/fail2ban-client$/, 'fail2ban-regex');
    const sshdEnabled = dumped?.jails.some((jail) => jail.name === 'sshd') ?? false;
    if (regex && sshdEnabled && (await host.stat(regex))?.isFile) {
      tests.push(
        await runTest(host, 'sshd-filter-matches', 'security', async () => {
          const result = await host.run(regex, [sampleSshdFailure(host), 'sshd'], { timeoutMs: CONFIG_TIMEOUT_MS });
          if (result.timedOut) return { passed: false, message: timedOutMessage('fail2ban-regex', CONFIG_TIMEOUT_MS) };
          const lines = /^Lines:\s*(\d+) lines, (\d+) ignored, (\d+) matched, (\d+) missed/m.exec(result.stdout);
          if (result.exitCode === 0 && lines && Number(lines[3]) >= 1) {
            return { passed: true, message: 'the sshd filter recognises a failed SSH login (fail2ban-regex: 1 matched)' };
          }
          const why = lines
            ? `${lines[3]} matched, ${lines[4]} missed`
            : (firstLine(result.stderr) ?? firstLine(result.stdout) ?? `exit code ${result.exitCode}`);
          return { passed: false, message: `the sshd filter does not recognise a failed SSH login (fail2ban-regex: ${why})` };
        }),
      );
    }

    return { version, configuration, metrics, tests, errors };
  },
};
