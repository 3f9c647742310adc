// teler (teler-sh/teler, HTTP intrusion detection on web server logs). teler has no config-test
// mode, so the plugin applies the checks teler itself makes at start (internal/runner/validator.go);
// alerts are counted from teler's own output file when `logs.file` is active.
import type { ConfigurationValue } from '@vigil/schema';
import { parseDocument } from 'yaml';
import type { Host } from '../host/host.js';
import { firstLine } from './lib/command.js';
import { findUnitFile, firstFile, ifDetected, probeInstall, withSource, type Installation } from './lib/install.js';
import { isRecord, keySegment } from './lib/report.js';
import { serviceVerdict } from './lib/service.js';
import { firstVersion } from './lib/text.js';
import { ageHours, describeAge } from './lib/time.js';
import { absolutePath, settingsSchema, type SettingsOf } from './settings.js';
import { runTest, type PluginContext, type SolutionFindings, type SolutionPlugin } from './plugin.js';
import { parseJsonData, yamlData } from '../host/own-data.js';

/** Where teler's installers and guides put its configuration; the seed product used /opt/mutablesecurity/teler. */
const CONFIG_PATHS = [
  '/etc/teler/teler.yaml',
  '/etc/teler/teler.yml',
  '/etc/teler.yaml',
  '/usr/local/etc/teler/teler.yaml',
  '/opt/teler/teler.yaml',
  '/opt/mutablesecurity/teler/teler.conf',
];
const BINARY_PATHS = ['/opt/teler/teler', '/opt/mutablesecurity/teler/teler'];
const RESOURCES_CACHE = '/root/.cache/teler-resources/.cached.json';
const BUILT_IN_THREATS = ['Common Web Attack', 'CVE', 'Bad IP Address', 'Bad Referrer', 'Bad Crawler', 'Directory Bruteforce'];
const ALERT_PROVIDERS = ['slack', 'telegram', 'discord', 'mattermost'];
const MAX_ALERT_LOG_BYTES = 16 * 1024 * 1024;

function at(root: unknown, ...path: string[]): unknown {
  let node = root;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return node;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(text).filter((item): item is string => item !== undefined) : [];
}

/** How teler was started by its unit: `teler -c FILE -i LOG`, or `tail -f LOG | teler -c FILE` in a shell. */
export function parseTelerCommand(unit: string): { config?: string; input?: string } {
  const execLines = unit.split('\n').filter((line) => /^\s*ExecStart\s*=/.test(line));
  const environment = /^\s*Environment\s*=.*\bTELER_CONFIG=("?)([^"\s]+)\1/m.exec(unit)?.[2];
  for (const line of execLines) {
    const command = line.replace(/^\s*ExecStart\s*=\s*/, '');
    const config = /(?:^|\s)(?:-c|--config)(?:\s+|=)(["']?)([^"'\s]+)\1/.exec(command)?.[2] ?? environment;
    const input =
      /(?:^|\s)(?:-i|--input)(?:\s+|=)(["']?)([^"'\s]+)\1/.exec(command)?.[2] ??
      /\btail\s+(?:-[-\w]+(?:[= ]\d+)?\s+)*(["']?)(\/[^"'\s|]+)\1/.exec(command)?.[2];
    if (config || input) return { ...(config ? { config } : {}), ...(input ? { input } : {}) };
  }
  return environment ? { config: environment } : {};
}

/** The problems teler's own validator would stop on, in its order. */
export function validateTelerConfig(config: unknown): string[] {
  const problems: string[] = [];
  const logFormat = text(at(config, 'log_format'))?.trim() ?? '';
  if (!logFormat) problems.push('log_format is empty');
  else if (!/\$\w+/.test(logFormat)) problems.push('log_format names no $variable');
  const seen = new Set<string>();
  const customs = at(config, 'rules', 'threat', 'customs');
  for (const custom of Array.isArray(customs) ? customs : []) {
    const name = text(at(custom, 'name'))?.trim() ?? '';
    const label = name ? `custom threat "${name}"` : 'a custom threat';
    if (!name) problems.push('a custom threat has no name');
    if (name && seen.has(name)) problems.push(`${label} is defined twice`);
    seen.add(name);
    const condition = (text(at(custom, 'condition')) ?? 'or').toLowerCase();
    if (!['and', 'or'].includes(condition)) problems.push(`${label}: condition must be "and" or "or", not "${condition}"`);
    const rules = at(custom, 'rules');
    if (!Array.isArray(rules) || rules.length === 0) {
      problems.push(`${label} has no rules`);
      continue;
    }
    for (const rule of rules) {
      const element = text(at(rule, 'element'))?.trim() ?? '';
      if (!element) problems.push(`${label}: a rule has no element`);
      else if (!new RegExp(`\\$${element.replace(/[^\w]/g, '')}\\b`).test(logFormat)) {
        problems.push(`${label}: element $${element} is not in log_format`);
      }
      if (!text(at(rule, 'pattern'))?.trim()) problems.push(`${label}: a rule has no pattern`);
    }
  }
  if (at(config, 'alert', 'active') === true) {
    const provider = (text(at(config, 'alert', 'provider')) ?? '').toLowerCase();
    if (!ALERT_PROVIDERS.includes(provider)) problems.push(`alert provider "${provider}" is not one of ${ALERT_PROVIDERS.join(', ')}`);
    else {
      const settings = at(config, 'notifications', provider);
      const webhook = text(at(settings, 'webhook')) ?? '';
      const usesWebhook = provider !== 'telegram' && /^https?:\/\/\S+$/.test(webhook);
      if (provider === 'mattermost' && !usesWebhook) problems.push('notifications.mattermost.webhook is not a valid URL');
      if (provider === 'telegram' && !text(at(settings, 'chat_id'))) problems.push('notifications.telegram.chat_id is empty');
      if (!usesWebhook && provider !== 'mattermost' && !text(at(settings, 'token'))) problems.push(`notifications.${provider}.token is empty`);
    }
  }
  if (at(config, 'logs', 'file', 'active') === true && !text(at(config, 'logs', 'file', 'path'))) {
    problems.push('logs.file is active but logs.file.path is empty');
  }
  return problems;
}

/** "27/Nov/2026:10:00:00 +0000", nginx's $time_local, as teler copies it into each alert. */
export function parseTimeLocal(value: string): Date | undefined {
  const match = /(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})/.exec(value);
  if (!match) return undefined;
  const date = new Date(`${match[2]} ${match[1]} ${match[3]} ${match[4]}:${match[5]}:${match[6]} GMT${match[7]}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Alerts in teler's output file (JSON lines or its text format), in total and in the last 24 hours by category. */
export function countAlerts(log: string, now: Date): { total: number; last24h: number; byCategory: Map<string, number> } {
  const since = now.getTime() - 86_400_000;
  const byCategory = new Map<string, number>();
  let total = 0;
  let last24h = 0;
  for (const line of log.split('\n')) {
    if (!line.trim()) continue;
    let category: string | undefined;
    let when: Date | undefined;
    if (line.startsWith('{')) {
      try {
        const alert = parseJsonData(line) as Record<string, unknown>;
        category = text(alert.category);
        when = parseTimeLocal(text(alert.time_local) ?? '');
      } catch {
        continue;
      }
    } else {
      const match = /^\[([^\]]+)\] \[[^\]]*\] \[([^\]]+)\]/.exec(line);
      if (!match) continue;
      when = parseTimeLocal(match[1]!);
      category = match[2];
    }
    total += 1;
    if (when && when.getTime() >= since) {
      last24h += 1;
      if (category) byCategory.set(category, (byCategory.get(category) ?? 0) + 1);
    }
  }
  return { total, last24h, byCategory };
}

export const telerSettings = settingsSchema({
  /** teler's config, tried before the one its unit names and the default locations. */
  configPath: absolutePath.optional(),
  /** The log teler reads, when its unit does not say. */
  inputLog: absolutePath.optional(),
});

type TelerSettings = SettingsOf<typeof telerSettings>;

/** The installation, with the binary (on the search path or where the release archive puts it), config and input. */
interface TelerInstallation extends Installation {
  binary?: string;
  configPath?: string;
  input?: string;
}

async function findTeler(host: Host, settings: TelerSettings): Promise<TelerInstallation | undefined> {
  const unitFile = await findUnitFile(host, 'teler.service');
  const fromUnit = unitFile ? parseTelerCommand((await host.readFile(unitFile)) ?? '') : {};
  const configCandidates = [settings.configPath, fromUnit.config, ...CONFIG_PATHS].filter((file): file is string => Boolean(file));
  const install = await probeInstall(host, { packages: ['teler'], binaries: ['teler'], units: ['teler.service'], configs: configCandidates });
  const unpacked = install.binaries.teler ? undefined : await firstFile(host, BINARY_PATHS);
  return ifDetected({
    ...install,
    ...(unpacked ? { detectedBy: withSource(install.detectedBy, 'binary') } : {}),
    binary: install.binaries.teler ?? unpacked,
    configPath: install.configs[0],
    input: settings.inputLog ?? fromUnit.input,
  });
}

export const telerPlugin: SolutionPlugin<typeof telerSettings, TelerInstallation> = {
  id: 'teler',
  settings: telerSettings,

  detect: ({ host, options }) => findTeler(host, options.settings),

  async inspect({ host }: PluginContext<TelerSettings>, install): Promise<SolutionFindings> {
    const errors: SolutionFindings['errors'] = [];
    const { binary, configPath, input } = install;
    const configuration: Record<string, ConfigurationValue> = {};
    const metrics: Record<string, number> = {};
    const tests: SolutionFindings['tests'] = [];

    // `teler -v` prints "teler v2.0.0" and exits 2.
    let version: string | null = null;
    if (binary) {
      const result = await host.run(binary, ['-v'], { timeoutMs: 10_000 });
      version = firstVersion(`${result.stdout}\n${result.stderr}`) ?? null;
    }
    version ??= install.packageVersion ?? null;

    let config: unknown;
    let parseProblem: string | undefined;
    if (configPath) {
      configuration.configFile = configPath;
      const raw = await host.readFile(configPath);
      if (raw === undefined) parseProblem = `${configPath} cannot be read`;
      else {
        const document = parseDocument(raw, { prettyErrors: false });
        if (document.errors.length > 0) parseProblem = `${configPath} is not valid YAML: ${document.errors[0]!.message.split('\n')[0]}`;
        else config = yamlData(document);
      }
    }
    if (input) configuration.inputLog = input;
    if (config !== undefined) {
      const logFormat = text(at(config, 'log_format'));
      if (logFormat) configuration.log_format = logFormat.replace(/\s+/g, ' ').trim();
      const cache = at(config, 'rules', 'cache');
      if (typeof cache === 'boolean') configuration['rules.cache'] = cache;
      const excludes = strings(at(config, 'rules', 'threat', 'excludes'));
      configuration['rules.threat.excludes'] = excludes;
      configuration['rules.threat.enabled'] = BUILT_IN_THREATS.filter((threat) => !excludes.includes(threat));
      configuration['rules.threat.whitelists'] = strings(at(config, 'rules', 'threat', 'whitelists')).slice(0, 100);
      const customs = at(config, 'rules', 'threat', 'customs');
      configuration['rules.threat.customs'] = (Array.isArray(customs) ? customs : [])
        .map((custom) => text(at(custom, 'name')) ?? '')
        .filter(Boolean)
        .slice(0, 100);
      for (const [key, path] of [
        ['dashboard.active', ['dashboard', 'active']],
        ['metrics.prometheus.active', ['metrics', 'prometheus', 'active']],
        ['logs.file.active', ['logs', 'file', 'active']],
        ['logs.file.json', ['logs', 'file', 'json']],
        ['logs.file.path', ['logs', 'file', 'path']],
        ['logs.zinc.active', ['logs', 'zinc', 'active']],
        ['alert.active', ['alert', 'active']],
        ['alert.provider', ['alert', 'provider']],
      ] as const) {
        const value = at(config, ...path);
        if (typeof value === 'boolean' || typeof value === 'string') configuration[key] = value;
      }
      if (at(config, 'metrics', 'prometheus', 'active') === true) {
        const listenHost = text(at(config, 'metrics', 'prometheus', 'host')) ?? '127.0.0.1';
        const port = text(at(config, 'metrics', 'prometheus', 'port')) ?? '9090';
        configuration['metrics.prometheus.address'] = `${listenHost}:${port}${text(at(config, 'metrics', 'prometheus', 'endpoint')) ?? '/metrics'}`;
      }
    }

    tests.push(
      await runTest(host, 'config-valid', 'requirement', async () => {
        if (!configPath) return { passed: false, message: `no teler configuration found (looked for ${CONFIG_PATHS.join(', ')})` };
        if (parseProblem) return { passed: false, message: parseProblem };
        const problems = validateTelerConfig(config);
        if (problems.length > 0) return { passed: false, message: `teler would refuse ${configPath}: ${problems.slice(0, 3).join('; ')}` };
        return { passed: true, message: `${configPath} passes teler's start-up checks` };
      }),
    );

    const service = await serviceVerdict(host, { label: 'teler', unit: 'teler.service', processNames: ['teler'] });
    tests.push(await runTest(host, 'process-running', 'operational', async () => ({ passed: service.running, message: service.message })));

    if (input) {
      tests.push(
        await runTest(host, 'input-log-present', 'requirement', async () => {
          const stat = await host.stat(input);
          if (!stat?.isFile) return { passed: false, message: `teler reads ${input}, which does not exist: it sees no traffic` };
          return { passed: true, message: `teler reads ${input} (last written ${describeAge(ageHours(host, stat.mtimeMs))} ago)` };
        }),
      );
    }

    // Alerts, from teler's own output file.
    const alertLog = at(config, 'logs', 'file', 'active') === true ? text(at(config, 'logs', 'file', 'path')) : undefined;
    if (alertLog) {
      const stat = await host.stat(alertLog);
      if (stat?.isFile && stat.size <= MAX_ALERT_LOG_BYTES) {
        const counted = countAlerts((await host.readFile(alertLog, { maxBytes: MAX_ALERT_LOG_BYTES })) ?? '', host.now());
        metrics['alerts.total'] = counted.total;
        metrics['alerts.last24h'] = counted.last24h;
        const top = [...counted.byCategory.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
        for (const [category, count] of top) metrics[`alerts.last24h.${keySegment(category).toLowerCase()}`] = count;
      } else if (stat?.isFile) {
        const lines = await host.run('wc', ['-l', alertLog], { timeoutMs: 30_000 });
        const total = Number(/^\s*(\d+)/.exec(lines.stdout)?.[1]);
        if (lines.exitCode === 0 && Number.isFinite(total)) metrics['alerts.total'] = total;
        else errors.push({ code: 'alerts-uncounted', message: `wc -l ${alertLog}: ${firstLine(lines.stderr) ?? 'failed'}` });
      } else if (service.running) {
        errors.push({ code: 'alerts-log-missing', message: `logs.file.path ${alertLog} does not exist yet` });
      }
    }

    // teler refreshes its threat resources at start when its cache is older than 24 hours.
    const cache = await host.readFile(RESOURCES_CACHE);
    if (cache !== undefined) {
      let updatedAt = Number.NaN;
      try {
        updatedAt = Date.parse(text(at(parseJsonData(cache), 'updated_at')) ?? '');
      } catch {
        errors.push({ code: 'resources-cache-unreadable', message: `${RESOURCES_CACHE} is not JSON` });
      }
      if (Number.isFinite(updatedAt)) metrics['resources.ageHours'] = ageHours(host, updatedAt);
    }

    return { version, configuration, metrics, tests, errors };
  },
};
