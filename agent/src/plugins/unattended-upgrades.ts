// unattended-upgrades: are automatic upgrades switched on, may they install security updates, and
// did they run recently. APT's settings come from `apt-config dump` (which merges every file of
// /etc/apt/apt.conf.d as apt does), else from the files; the last run from the log's mtime.
import type { Host } from '../host/host.js';
import { unitState } from '../host/queries.js';
import type { ConfigurationValue } from '@vigil/schema';
import { commandFailure, succeeded } from './lib/command.js';
import { findInstallation, firstBinary, firstExisting, type Installation } from './lib/install.js';
import { reportList } from './lib/report.js';
import { NO_SYSTEMD } from './lib/service.js';
import { plural } from './lib/text.js';
import { daysBetween, formatMoment } from './lib/time.js';
import { runTest, type SolutionError, type SolutionPlugin } from './plugin.js';
import { positiveNumber, settingsSchema } from './settings.js';

const APT_CONF_DIR = '/etc/apt/apt.conf.d';
const LOG_FILE = '/var/log/unattended-upgrades/unattended-upgrades.log';
/** Touched by apt.systemd.daily each time it runs unattended-upgrade. */
const STAMP_FILE = '/var/lib/apt/periodic/unattended-upgrades-stamp';
const DEFAULT_MAX_DAYS_SINCE_RUN = 3;
/**
 * apt's cron job: where systemd is not running, cron's daily run-parts starts apt.systemd.daily (and
 * so unattended-upgrade) through it; where systemd runs, it exits at once and the apt timers do it.
 */
const CRON_JOB = '/etc/cron.daily/apt-compat';
/** The cron daemon's binary (Debian's cron, cronie and busybox call it crond) or its init script. */
const CRON_BINARIES = ['cron', 'crond'];
const CRON_INIT_SCRIPTS = ['/etc/init.d/cron', '/etc/init.d/crond'];

const UPDATE_LISTS = 'APT::Periodic::Update-Package-Lists';
const UNATTENDED_UPGRADE = 'APT::Periodic::Unattended-Upgrade';
const PERIODIC_ENABLE = 'APT::Periodic::Enable';
const ORIGINS_PATTERN = 'Unattended-Upgrade::Origins-Pattern';
const ALLOWED_ORIGINS = 'Unattended-Upgrade::Allowed-Origins';
const REPORTED_SCALARS = [
  'Unattended-Upgrade::Automatic-Reboot',
  'Unattended-Upgrade::Automatic-Reboot-Time',
  'Unattended-Upgrade::Remove-Unused-Dependencies',
  'Unattended-Upgrade::Mail',
  'Unattended-Upgrade::MailReport',
];
const REPORTED_LISTS = [ORIGINS_PATTERN, ALLOWED_ORIGINS, 'Unattended-Upgrade::Package-Blacklist'];

/**
 * APT configuration as apt sees it: `scalars` holds the value of each key, `lists` the items of
 * list keys (`Key:: "item";` in a dump). Keys are kept as written; look them up with `aptGet`.
 */
export interface AptConfig {
  scalars: Map<string, string>;
  lists: Map<string, string[]>;
}

function emptyAptConfig(): AptConfig {
  return { scalars: new Map(), lists: new Map() };
}

/** APT option names are case-insensitive. */
function aptKey(name: string): string {
  return name.toLowerCase();
}

export function aptScalar(config: AptConfig, name: string): string | undefined {
  return config.scalars.get(aptKey(name));
}

export function aptList(config: AptConfig, name: string): string[] {
  return config.lists.get(aptKey(name)) ?? [];
}

/** Parses `apt-config dump` lines: `Key "value";` and `Key:: "list item";`. */
export function parseAptConfigDump(text: string): AptConfig {
  const config = emptyAptConfig();
  for (const line of text.split('\n')) {
    const match = /^(\S+)\s+"(.*)";\s*$/.exec(line.trim());
    if (!match) continue;
    const [, name, value] = match as unknown as [string, string, string];
    if (name.endsWith('::')) {
      const key = aptKey(name.slice(0, -2));
      config.lists.set(key, [...(config.lists.get(key) ?? []), value]);
    } else {
      config.scalars.set(aptKey(name), value);
    }
  }
  return config;
}

/**
 * Parses apt.conf files (apt.conf(5)): `A::B "v";`, nested `A { B "v"; C { "x"; "y"; }; };`,
 * comments `//`, `/* *\/` and `#`, and `#clear`. Later files and lines override earlier ones.
 */
export function parseAptConfFiles(texts: string[], config: AptConfig = emptyAptConfig()): AptConfig {
  for (const text of texts) {
    const tokens = tokenizeAptConf(text);
    const scope: string[] = [];
    let pendingName: string | undefined;
    for (let index = 0; index < tokens.length; index += 1) {
      const token = tokens[index]!;
      if (token.kind === 'clear') {
        const key = aptKey(token.value);
        config.lists.delete(key);
        config.scalars.delete(key);
      } else if (token.kind === 'word') {
        pendingName = token.value;
      } else if (token.kind === 'string') {
        const name = [...scope, ...(pendingName ? [pendingName] : [])].join('::');
        if (pendingName) config.scalars.set(aptKey(name), token.value);
        else if (name) config.lists.set(aptKey(name), [...(config.lists.get(aptKey(name)) ?? []), token.value]);
        pendingName = undefined;
      } else if (token.kind === '{') {
        if (pendingName) scope.push(pendingName);
        pendingName = undefined;
      } else if (token.kind === '}') {
        scope.pop();
      } else {
        pendingName = undefined;
      }
    }
  }
  return config;
}

type AptToken = { kind: 'word' | 'string' | 'clear'; value: string } | { kind: '{' | '}' | ';'; value?: undefined };

function tokenizeAptConf(text: string): AptToken[] {
  const tokens: AptToken[] = [];
  const source = text.replace(/\/\*[\s\S]*?\*\//g, ' ');
  for (const rawLine of source.split('\n')) {
    const clear = /^\s*#clear\s+([^;\s]+)/.exec(rawLine);
    if (clear) {
      tokens.push({ kind: 'clear', value: clear[1]! });
      continue;
    }
    const line = rawLine;
    let position = 0;
    while (position < line.length) {
      const rest = line.slice(position);
      const space = /^\s+/.exec(rest);
      if (space) {
        position += space[0].length;
        continue;
      }
      if (rest.startsWith('//') || rest.startsWith('#')) break;
      const char = rest[0]!;
      if (char === '{' || char === '}' || char === ';') {
        tokens.push({ kind: char });
        position += 1;
        continue;
      }
      if (char === '"') {
        const end = rest.indexOf('"', 1);
        const value = end < 0 ? rest.slice(1) : rest.slice(1, end);
        tokens.push({ kind: 'string', value });
        position += end < 0 ? rest.length : end + 1;
        continue;
      }
      const word = /^[^\s{};"]+/.exec(rest)![0];
      tokens.push({ kind: 'word', value: word });
      position += word.length;
    }
  }
  return tokens;
}

/** An origin that lets unattended-upgrades install security updates. */
export function isSecurityOrigin(origin: string): boolean {
  return /security/i.test(origin);
}

export interface LastRunSummary {
  /** Packages listed in "Packages that will be upgraded:" of the last run. */
  packages: number;
  errors: number;
}

/** Reads the last run of unattended-upgrades.log (from its last "Starting unattended upgrades script"). */
export function summarizeLastRun(log: string): LastRunSummary | undefined {
  const lines = log.split('\n');
  let start = -1;
  lines.forEach((line, index) => {
    if (line.includes('Starting unattended upgrades script')) start = index;
  });
  if (start < 0) return undefined;
  const run = lines.slice(start);
  const upgraded = run
    .map((line) => /Packages that will be upgraded:\s*(.*)$/.exec(line)?.[1])
    .filter((list): list is string => list !== undefined)
    .flatMap((list) => list.split(/\s+/).filter(Boolean));
  return {
    packages: new Set(upgraded).size,
    errors: run.filter((line) => /^\S+ \S+ ERROR /.test(line)).length,
  };
}

async function readAptConfig(host: Host, errors: SolutionError[]): Promise<AptConfig> {
  const dump = await host.run('apt-config', ['dump', 'APT::Periodic', 'Unattended-Upgrade'], { timeoutMs: 10_000 });
  if (succeeded(dump) && dump.stdout.trim()) return parseAptConfigDump(dump.stdout);
  errors.push({
    code: 'apt-config-failed',
    message: `${commandFailure('apt-config dump', dump)}; settings were read from ${APT_CONF_DIR} instead`,
  });
  const texts: string[] = [];
  const main = await host.readFile('/etc/apt/apt.conf');
  if (main !== undefined) texts.push(main);
  // apt reads the parts in lexical order and skips names with other characters (apt.conf(5)).
  for (const name of (await host.listDir(APT_CONF_DIR)) ?? []) {
    if (!/^[A-Za-z0-9_.-]+$/.test(name) || (name.includes('.') && !name.endsWith('.conf'))) continue;
    const text = await host.readFile(`${APT_CONF_DIR}/${name}`);
    if (text !== undefined) texts.push(text);
  }
  return parseAptConfFiles(texts);
}

/** "1" means every day, "7" every week, "0" or unset never (apt.systemd.daily). */
function everyDays(value: string | undefined): number {
  const days = Number(value ?? '0');
  return Number.isFinite(days) && days > 0 ? days : 0;
}

export const unattendedUpgradesSettings = settingsSchema({
  /** recent-run fails when unattended-upgrades last ran longer ago than this. */
  maxDaysSinceRun: positiveNumber(DEFAULT_MAX_DAYS_SINCE_RUN),
});

export const unattendedUpgradesPlugin: SolutionPlugin<typeof unattendedUpgradesSettings, Installation> = {
  id: 'unattended-upgrades',
  settings: unattendedUpgradesSettings,

  detect: ({ host }) =>
    findInstallation(host, {
      packages: ['unattended-upgrades'],
      binaries: ['unattended-upgrade'],
      units: ['unattended-upgrades.service'],
      configs: [`${APT_CONF_DIR}/50unattended-upgrades`, `${APT_CONF_DIR}/20auto-upgrades`],
    }),

  async inspect({ host, options }, install) {
    const errors: SolutionError[] = [];
    const binary = install.binaries['unattended-upgrade'];
    const version = install.packageVersion ?? null;
    const apt = await readAptConfig(host, errors);

    const updateLists = aptScalar(apt, UPDATE_LISTS);
    const upgrade = aptScalar(apt, UNATTENDED_UPGRADE);
    const periodicEnable = aptScalar(apt, PERIODIC_ENABLE);
    const origins = [...aptList(apt, ORIGINS_PATTERN), ...aptList(apt, ALLOWED_ORIGINS)];

    const configuration: Record<string, ConfigurationValue> = {
      [UPDATE_LISTS]: updateLists ?? null,
      [UNATTENDED_UPGRADE]: upgrade ?? null,
    };
    if (periodicEnable !== undefined) configuration[PERIODIC_ENABLE] = periodicEnable;
    for (const name of REPORTED_LISTS) configuration[name] = reportList(aptList(apt, name), false);
    for (const name of REPORTED_SCALARS) {
      const value = aptScalar(apt, name);
      if (value !== undefined) configuration[name] = value;
    }

    const logStat = await host.stat(LOG_FILE);
    const stampStat = await host.stat(STAMP_FILE);
    const lastRunMs = Math.max(logStat?.isFile ? logStat.mtimeMs : 0, stampStat?.isFile ? stampStat.mtimeMs : 0) || undefined;
    const log = logStat?.isFile ? await host.readFile(LOG_FILE) : undefined;
    if (logStat?.isFile && log === undefined) errors.push({ code: 'log-unreadable', message: `${LOG_FILE} cannot be read` });
    const lastRun = log === undefined ? undefined : summarizeLastRun(log);

    const metrics: Record<string, number> = {};
    if (lastRunMs !== undefined) metrics.daysSinceLastRun = daysBetween(new Date(lastRunMs), host.now());
    if (lastRun) {
      metrics.packagesInLastRun = lastRun.packages;
      metrics.errorsInLastRun = lastRun.errors;
    }

    const timers = await schedulerState(host);
    const maxDays = options.settings.maxDaysSinceRun;
    const enabled = periodicEnable !== '0' && everyDays(updateLists) > 0 && everyDays(upgrade) > 0;

    const tests = [
      await runTest(host, 'installed', 'presence', async () =>
        binary
          ? { passed: true, message: `unattended-upgrades${version ? ` ${version}` : ''} is installed at ${binary}` }
          : { passed: false, message: 'unattended-upgrades is configured here but the unattended-upgrade program is not installed' },
      ),
      await runTest(host, 'auto-upgrades-enabled', 'operational', async () => {
        if (enabled) {
          const days = everyDays(upgrade);
          return {
            passed: true,
            message: `package lists are refreshed and upgrades installed ${days === 1 ? 'every day' : `every ${days} days`} (${UPDATE_LISTS} "${updateLists}", ${UNATTENDED_UPGRADE} "${upgrade}")`,
          };
        }
        const problems: string[] = [];
        if (periodicEnable === '0') problems.push(`${PERIODIC_ENABLE} is "0": every periodic apt job is off`);
        if (everyDays(updateLists) === 0) {
          problems.push(`${UPDATE_LISTS} is ${describeValue(updateLists)}: package lists are never refreshed automatically`);
        }
        if (everyDays(upgrade) === 0) {
          problems.push(`${UNATTENDED_UPGRADE} is ${describeValue(upgrade)}: upgrades are never installed automatically`);
        }
        return { passed: false, message: problems.join('; ') };
      }),
      await runTest(host, 'security-origins-allowed', 'security', async () => {
        const security = origins.filter(isSecurityOrigin);
        if (security.length > 0) return { passed: true, message: `security updates are allowed: ${security.join('; ')}` };
        return {
          passed: false,
          message:
            origins.length === 0
              ? `no origin is allowed (${ORIGINS_PATTERN} and ${ALLOWED_ORIGINS} are empty): unattended-upgrades installs nothing`
              : `no allowed origin is a security archive (${origins.join('; ')}): security updates are not installed automatically`,
        };
      }),
      await runTest(host, 'recent-run', 'operational', async () => {
        const why = [enabled ? undefined : 'automatic upgrades are switched off', timers.problem].filter(Boolean);
        const because = why.length > 0 ? `; ${why.join('; ')}` : '';
        if (lastRunMs === undefined) {
          return { passed: false, message: `unattended-upgrades has never run here: ${LOG_FILE} does not exist${because}` };
        }
        const days = daysBetween(new Date(lastRunMs), host.now());
        const when = `${plural(days, 'day')} ago (${formatMoment(lastRunMs)})`;
        return days <= maxDays
          ? { passed: true, message: `unattended-upgrades last ran ${when}` }
          : { passed: false, message: `unattended-upgrades last ran ${when}, more than ${plural(maxDays, 'day')}${because}` };
      }),
      await runTest(host, 'scheduler-active', 'requirement', async () =>
        timers.scheduler !== undefined ? { passed: true, message: timers.scheduler } : { passed: false, message: timers.problem },
      ),
    ];

    return { version, configuration, metrics, tests, errors };
  },
};

function describeValue(value: string | undefined): string {
  return value === undefined ? 'not set' : `"${value}"`;
}

/**
 * What starts the daily upgrade (`scheduler`, said when it passes), or what keeps it from starting
 * (`problem`): systemd's apt timers where systemd runs, else cron through /etc/cron.daily/apt-compat.
 */
type SchedulerState = { scheduler: string; problem?: undefined } | { scheduler?: undefined; problem: string };

async function schedulerState(host: Host): Promise<SchedulerState> {
  const problems: string[] = [];
  for (const timer of ['apt-daily.timer', 'apt-daily-upgrade.timer']) {
    const state = await unitState(host, timer);
    if (!state.systemdRunning) return cronState(host);
    if (state.activeState !== 'active') problems.push(`${timer} is ${state.activeState} (${state.unitFileState})`);
  }
  return problems.length > 0
    ? { problem: `${problems.join(', ')}: nothing starts the daily upgrade` }
    : { scheduler: 'apt-daily.timer and apt-daily-upgrade.timer are active: systemd starts the daily upgrade' };
}

/**
 * Without systemd (a container, a minimal host), Debian runs the same daily job from cron. It counts
 * when apt's cron job is there and executable (run-parts skips it otherwise) and a cron daemon is
 * installed; whether that daemon runs is left to recent-run, which sees whether the job happened.
 */
async function cronState(host: Host): Promise<SchedulerState> {
  const noTimers = `${NO_SYSTEMD}, so the apt-daily timers cannot fire`;
  const job = await host.stat(CRON_JOB);
  const cron = (await firstBinary(host, CRON_BINARIES)) ?? (await firstExisting(host, CRON_INIT_SCRIPTS));
  const problems: string[] = [];
  if (!job?.isFile) problems.push(`${CRON_JOB}, which cron would run instead, does not exist`);
  else if ((job.mode & 0o111) === 0) problems.push(`${CRON_JOB} is not executable, so cron's run-parts skips it`);
  if (!cron) problems.push(`no cron daemon is installed (${CRON_BINARIES.join(' or ')})`);
  if (problems.length > 0) return { problem: `${noTimers}; ${problems.join('; ')}: nothing starts the daily upgrade` };
  return { scheduler: `${NO_SYSTEMD}, so cron starts the daily upgrade: ${CRON_JOB} is in place and a cron daemon is installed (${cron})` };
}
