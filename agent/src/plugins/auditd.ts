// auditd: is the kernel auditing, is the daemon writing the log, and are the administrator's rules
// loaded (an attacker's first move is often `auditctl -D`). The kernel's state comes from
// `auditctl -s` and `auditctl -l`; the chosen settings from auditd.conf and the rules files.
import { setTimeout as delay } from 'node:timers/promises';
import type { CommandResult, Host } from '../host/host.js';
import { unitState } from '../host/queries.js';
import type { ConfigurationValue } from '@vigil/schema';
import { commandFailure, succeeded } from './lib/command.js';
import { findInstallation, type Installation } from './lib/install.js';
import { reportList } from './lib/report.js';
import { NO_SYSTEMD } from './lib/service.js';
import { firstVersion, parseKeyValueLines, plural } from './lib/text.js';
import { runTest, type SolutionError, type SolutionPlugin } from './plugin.js';
import { NO_SETTINGS } from './settings.js';

const AUDITD_CONF = '/etc/audit/auditd.conf';
const RULES_DIR = '/etc/audit/rules.d';
const COMPILED_RULES = '/etc/audit/audit.rules';
const DEFAULT_LOG_FILE = '/var/log/audit/audit.log';

/** auditd.conf settings worth an email when they change: where the log goes and what happens when the disk fills. */
const REPORTED_SETTINGS = [
  'local_events',
  'write_logs',
  'log_file',
  'log_format',
  'log_group',
  'flush',
  'freq',
  'max_log_file',
  'num_logs',
  'max_log_file_action',
  'space_left',
  'space_left_action',
  'admin_space_left',
  'admin_space_left_action',
  'disk_full_action',
  'disk_error_action',
  'action_mail_acct',
];

/** Parses `auditctl -s`: "enabled 1", "pid 812", ... */
export function parseAuditStatus(text: string): Map<string, number> {
  const status = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+)\s+(-?\d+)/.exec(line.trim());
    if (match) status.set(match[1]!, Number(match[2]));
  }
  return status;
}

export interface AuditRules {
  /** -a, -A and -w lines: the rules themselves. */
  rules: string[];
  /** -k NAME and -F key=NAME of those rules. */
  keys: string[];
  /** The last -e, -f and -b values (control lines). */
  enable?: number;
  failure?: number;
  backlog?: number;
}

/** Parses audit rules as auditctl reads them, from a rules file or `auditctl -l`. */
export function parseAuditRules(text: string): AuditRules {
  const parsed: AuditRules = { rules: [], keys: [] };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const control = /^-([efb])\s+(\d+)/.exec(line);
    if (control) {
      const value = Number(control[2]);
      if (control[1] === 'e') parsed.enable = value;
      else if (control[1] === 'f') parsed.failure = value;
      else parsed.backlog = value;
      continue;
    }
    if (!/^-[aAw]\s/.test(line)) continue;
    parsed.rules.push(line);
    for (const match of line.matchAll(/(?:-k\s+|-F\s+"?key=)"?([^\s"]+)/g)) parsed.keys.push(match[1]!);
  }
  return parsed;
}

async function readRuleFiles(host: Host): Promise<{ files: string[]; text: string }> {
  // augenrules compiles rules.d/*.rules into audit.rules; without rules.d, audit.rules is the source.
  const names = ((await host.listDir(RULES_DIR)) ?? []).filter((name) => name.endsWith('.rules'));
  const files = names.length > 0 ? names.map((name) => `${RULES_DIR}/${name}`) : [COMPILED_RULES];
  const texts: string[] = [];
  const read: string[] = [];
  for (const file of files) {
    const text = await host.readFile(file);
    if (text === undefined) continue;
    texts.push(text);
    read.push(file);
  }
  return { files: read, text: texts.join('\n') };
}

function numberOrText(value: string): string | number {
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Why `auditctl` got no answer from the kernel, in an administrator's words. */
function explainAuditctlFailure(commandLine: string, result: CommandResult): string {
  const failure = commandFailure(commandLine, result);
  if (/must be root|Operation not permitted/i.test(`${result.stderr}${result.stdout}`)) {
    return `the agent may not use the kernel's audit interface (${failure}): it lacks CAP_AUDIT_CONTROL, as in a container, so auditing cannot be checked here`;
  }
  if (/Protocol not supported|Address family not supported/i.test(result.stderr)) {
    return `the running kernel has no audit support (${failure})`;
  }
  return failure;
}

export const auditdPlugin: SolutionPlugin<typeof NO_SETTINGS, Installation> = {
  id: 'auditd',
  settings: NO_SETTINGS,

  detect: ({ host }) =>
    findInstallation(host, {
      packages: ['auditd', 'audit'],
      binaries: ['auditd', 'auditctl'],
      units: ['auditd.service'],
      configs: [AUDITD_CONF, RULES_DIR],
    }),

  async inspect({ host, options }, install) {
    const errors: SolutionError[] = [];
    const daemon = install.binaries.auditd;
    const auditctl = install.binaries.auditctl;

    const versionRun = auditctl ? await host.run('auditctl', ['-v'], { timeoutMs: 5_000 }) : undefined;
    const version = (versionRun && succeeded(versionRun) ? firstVersion(versionRun.stdout) : undefined) ?? install.packageVersion ?? null;

    const confText = await host.readFile(AUDITD_CONF);
    if (confText === undefined && (await host.stat(AUDITD_CONF))) {
      errors.push({ code: 'config-unreadable', message: `${AUDITD_CONF} cannot be read` });
    }
    const conf = parseKeyValueLines(confText ?? '', 'equals');
    const logFile = conf.get('log_file')?.at(-1) ?? DEFAULT_LOG_FILE;
    const ruleFiles = await readRuleFiles(host);
    const onDisk = parseAuditRules(ruleFiles.text);

    let status: Map<string, number> | undefined;
    let statusProblem: string | undefined;
    let loaded: AuditRules | undefined;
    let loadedProblem: string | undefined;
    if (auditctl) {
      const statusRun = await host.run('auditctl', ['-s'], { timeoutMs: 5_000 });
      if (succeeded(statusRun)) status = parseAuditStatus(statusRun.stdout);
      else statusProblem = explainAuditctlFailure('auditctl -s', statusRun);
      const listRun = await host.run('auditctl', ['-l'], { timeoutMs: 10_000 });
      if (succeeded(listRun)) loaded = parseAuditRules(listRun.stdout);
      else loadedProblem = explainAuditctlFailure('auditctl -l', listRun);
    } else {
      statusProblem = loadedProblem = 'auditctl is not installed, so the kernel cannot be asked';
    }
    if (statusProblem) errors.push({ code: 'status-unreadable', message: statusProblem });
    if (loadedProblem && loadedProblem !== statusProblem) errors.push({ code: 'rules-unreadable', message: loadedProblem });

    const configuration: Record<string, ConfigurationValue> = {};
    for (const name of REPORTED_SETTINGS) {
      const value = conf.get(name)?.at(-1);
      if (value !== undefined) configuration[name] = numberOrText(value);
    }
    configuration['rules.files'] = reportList(ruleFiles.files);
    configuration['rules.keys'] = reportList(new Set(onDisk.keys));
    configuration['rules.immutable'] = onDisk.enable === 2;
    configuration['rules.failureMode'] = onDisk.failure ?? null;
    configuration['rules.backlogLimit'] = onDisk.backlog ?? null;

    const metrics: Record<string, number> = { rulesOnDisk: onDisk.rules.length };
    if (loaded) metrics.rulesLoaded = loaded.rules.length;
    for (const [name, metric] of [
      ['enabled', 'enabled'],
      ['lost', 'lost'],
      ['backlog', 'backlog'],
    ] as const) {
      const value = status?.get(name);
      if (value !== undefined) metrics[metric] = value;
    }
    const logStat = await host.stat(logFile);
    if (logStat?.isFile) metrics.logBytes = logStat.size;

    const pid = status?.get('pid');
    const enabled = status?.get('enabled');

    const tests = [
      await runTest(host, 'installed', 'presence', async () =>
        daemon
          ? { passed: true, message: `auditd${version ? ` ${version}` : ''} is installed at ${daemon}` }
          : { passed: false, message: 'audit rules are configured here but the auditd program is not installed' },
      ),
      await runTest(host, 'kernel-audit', 'requirement', async () =>
        status
          ? { passed: true, message: "the kernel's audit interface answers" }
          : { passed: false, message: statusProblem ?? 'the kernel audit status is unknown' },
      ),
      await runTest(host, 'auditd-running', 'operational', async () => {
        if (pid !== undefined && pid > 0) return { passed: true, message: `auditd is running (pid ${pid})` };
        if (pid === undefined) return { passed: false, message: `whether auditd runs is unknown: ${statusProblem}` };
        const unit = await unitState(host, 'auditd.service');
        const why = unit.systemdRunning ? `auditd.service is ${unit.activeState} (${unit.unitFileState})` : `${NO_SYSTEMD}, so nothing starts auditd`;
        return {
          passed: false,
          message: `auditd is not running (auditctl -s reports pid 0): audit events are not written to ${logFile}; ${why}`,
        };
      }),
      await runTest(host, 'audit-enabled', 'operational', async () => {
        if (enabled === undefined) return { passed: false, message: `whether auditing is enabled is unknown: ${statusProblem}` };
        if (enabled === 2) return { passed: true, message: 'auditing is enabled and locked (immutable: changing the rules needs a reboot)' };
        if (enabled === 1) return { passed: true, message: 'auditing is enabled in the kernel' };
        return { passed: false, message: `auditing is disabled in the kernel (auditctl -s reports enabled ${enabled})` };
      }),
      await runTest(host, 'rules-loaded', 'security', async () => {
        if (!loaded) return { passed: false, message: `which audit rules are loaded is unknown: ${loadedProblem}` };
        const source = ruleFiles.files.length > 0 && ruleFiles.files[0] !== COMPILED_RULES ? RULES_DIR : COMPILED_RULES;
        const count = loaded.rules.length;
        if (count === 0) {
          return {
            passed: false,
            message:
              onDisk.rules.length > 0
                ? `no audit rule is loaded, although ${source} defines ${onDisk.rules.length} (load them with augenrules --load): no file or system call is watched`
                : `no audit rule is loaded, and ${source} defines none: no file or system call is watched`,
          };
        }
        if (count < onDisk.rules.length) {
          return {
            passed: false,
            message: `only ${count} of the ${onDisk.rules.length} rules in ${source} are loaded: the others were removed since, or failed to load`,
          };
        }
        return { passed: true, message: `${plural(count, 'audit rule is', 'audit rules are')} loaded (${onDisk.rules.length} in ${source})` };
      }),
    ];

    if (options.allowStateChanges) {
      tests.push(await runTest(host, 'event-logged', 'operational', () => checkEventLogged(host, pid, logFile)));
    }

    return { version, configuration, metrics, tests, errors };
  },
};

/** Sends a user message through the kernel (`auditctl -m`) and looks for it in the log: the whole path works. */
async function checkEventLogged(host: Host, pid: number | undefined, logFile: string): Promise<{ passed: boolean; message: string }> {
  if (!pid) return { passed: false, message: 'auditd is not running, so no event can reach the log' };
  const marker = `vigil-agent-check-${host.now().getTime()}`;
  const sent = await host.run('auditctl', ['-m', marker], { timeoutMs: 5_000 });
  if (!succeeded(sent)) return { passed: false, message: `the test event could not be sent: ${commandFailure('auditctl -m', sent)}` };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    // --input-logs: without it ausearch reads standard input whenever that is not a terminal.
    const search = await host.run('ausearch', ['--input-logs', '--message', 'USER', '--start', 'recent'], { timeoutMs: 15_000 });
    if (search.stdout.includes(marker)) return { passed: true, message: `a test event sent with auditctl -m reached ${logFile}` };
    if (search.notFound) return { passed: false, message: commandFailure('ausearch', search) };
    await delay(300);
  }
  return { passed: false, message: `a test event sent with auditctl -m did not reach ${logFile}: auditd receives events but does not write them` };
}
