// Suricata: suricata.yaml (networks, capture interfaces, rule files, EVE output), suricata-update's
// enabled sources, the engine's own test mode (-T loads the configuration and every rule), rule
// freshness and, when the unix socket answers, the live counters.
import type { ConfigurationValue } from '@vigil/schema';
import { parseDocument } from 'yaml';
import { runTest, type PluginContext, type SolutionFindings, type SolutionPlugin } from './plugin.js';
import { firstLine, timedOutMessage } from './lib/command.js';
import { findInstallation, firstFile, type Installation } from './lib/install.js';
import { isRecord } from './lib/report.js';
import { serviceVerdict } from './lib/service.js';
import { firstVersion } from './lib/text.js';
import { ageHours, describeAge } from './lib/time.js';
import { absolutePath, positiveNumber, settingsSchema, type SettingsOf } from './settings.js';
import { ownRecord, parseJsonData, yamlData } from '../host/own-data.js';

const CONFIG_PATHS = ['/etc/suricata/suricata.yaml', '/usr/local/etc/suricata/suricata.yaml'];
const UPDATE_SOURCES_DIR = '/var/lib/suricata/update/sources';
const DEFAULT_RULE_PATH = '/var/lib/suricata/rules';
const RULE_MAX_AGE_DAYS = 7;
/** Loading 50,000 rules takes Suricata 20 to 40 s. */
const CONFIG_TEST_TIMEOUT_MS = 180_000;

function signals(configPath?: string) {
  return {
    packages: ['suricata'],
    binaries: ['suricata'],
    units: ['suricata.service'],
    configs: configPath ? [configPath] : CONFIG_PATHS,
  };
}

type Yaml = Record<string, unknown>;

function scalar(value: unknown): string | number | boolean | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Interfaces named in a capture section (`af-packet`, `pcap`, ...), without the `default` template. */
function captureInterfaces(section: unknown): string[] {
  if (!Array.isArray(section)) return [];
  return section
    .map((entry) => (isRecord(entry) ? scalarText(entry.interface) : undefined))
    .filter((name): name is string => Boolean(name) && name !== 'default');
}

/** The `- eve-log:` entry of `outputs`. */
function eveLog(outputs: unknown): Yaml | undefined {
  if (!Array.isArray(outputs)) return undefined;
  for (const output of outputs) if (isRecord(output) && isRecord(output['eve-log'])) return output['eve-log'] as Yaml;
  return undefined;
}

/** Counters of `-T -v`: "1 rule files processed. 52741 rules successfully loaded, 0 rules failed". */
export function parseRuleLoadSummary(output: string): { files: number; loaded: number; failed: number } | undefined {
  const match = /(\d+) rule files? processed\.\s*(\d+) rules successfully loaded,\s*(\d+) rules failed/.exec(output);
  return match ? { files: Number(match[1]), loaded: Number(match[2]), failed: Number(match[3]) } : undefined;
}

/** Error lines of Suricata's console log, short ("E: detect: ...") or verbose ("Error: detect: ..."). */
export function suricataErrors(output: string): string[] {
  return output
    .split('\n')
    .map((line) => /^(?:E|Error):\s*(.*)$/.exec(line.trim())?.[1])
    .filter((line): line is string => Boolean(line));
}

/** The numbers an administrator follows from `suricatasc -c dump-counters`. */
export function parseCounters(output: string): Record<string, number> {
  let reply: unknown;
  try {
    reply = parseJsonData(output);
  } catch {
    return {};
  }
  if (!isRecord(reply) || reply.return !== 'OK' || !isRecord(reply.message)) return {};
  const message = reply.message;
  const pick = (group: string, field: string): number | undefined => {
    const section = message[group];
    const value = isRecord(section) ? section[field] : undefined;
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  };
  const metrics: Record<string, number> = {};
  const wanted: [string, number | undefined][] = [
    ['uptimeSeconds', typeof message.uptime === 'number' ? message.uptime : undefined],
    ['packets', pick('decoder', 'pkts')],
    ['kernelPackets', pick('capture', 'kernel_packets')],
    ['kernelDrops', pick('capture', 'kernel_drops')],
    ['alerts', pick('detect', 'alert')],
    ['flows', pick('flow', 'total')],
  ];
  for (const [key, value] of wanted) if (value !== undefined) metrics[key] = value;
  return metrics;
}

export const suricataSettings = settingsSchema({
  /** suricata.yaml, instead of the two default locations. */
  configPath: absolutePath.optional(),
  maxRuleAgeDays: positiveNumber(RULE_MAX_AGE_DAYS),
});

export const suricataPlugin: SolutionPlugin<typeof suricataSettings, Installation> = {
  id: 'suricata',
  settings: suricataSettings,

  detect: ({ host, options }) => findInstallation(host, signals(options.settings.configPath)),

  async inspect({ host, options }: PluginContext<SettingsOf<typeof suricataSettings>>, install): Promise<SolutionFindings> {
    const errors: SolutionFindings['errors'] = [];
    const configured = options.settings.configPath;
    const suricata = install.binaries.suricata;
    const configuration: Record<string, ConfigurationValue> = {};
    const metrics: Record<string, number> = {};
    const tests: SolutionFindings['tests'] = [];

    let version: string | null = null;
    if (suricata) {
      const result = await host.run(suricata, ['-V'], { timeoutMs: 10_000 });
      version = firstVersion(result.stdout) ?? null;
    }
    version ??= install.packageVersion ?? null;

    // suricata.yaml
    const configPath = await firstFile(host, configured ? [configured] : CONFIG_PATHS);
    let config: Yaml = ownRecord();
    if (!configPath) {
      errors.push({ code: 'config-missing', message: `no Suricata configuration at ${(configured ? [configured] : CONFIG_PATHS).join(' or ')}` });
    } else {
      const text = await host.readFile(configPath, { maxBytes: 4 * 1024 * 1024 });
      const document = text !== undefined ? parseDocument(text, { prettyErrors: false }) : undefined;
      if (!document) errors.push({ code: 'config-unreadable', message: `${configPath} cannot be read` });
      else if (document.errors.length > 0) {
        errors.push({ code: 'config-invalid-yaml', message: `${configPath} is not valid YAML: ${document.errors[0]!.message.split('\n')[0]}` });
      } else {
        const parsed = yamlData(document);
        if (isRecord(parsed)) config = parsed;
      }
      configuration.configFile = configPath;
    }
    const vars = isRecord(config.vars) && isRecord(config.vars['address-groups']) ? config.vars['address-groups'] : {};
    for (const key of ['HOME_NET', 'EXTERNAL_NET']) {
      const value = scalarText(vars[key]);
      if (value !== undefined) configuration[key] = value;
    }
    const rulePath = scalarText(config['default-rule-path']) ?? DEFAULT_RULE_PATH;
    const ruleFiles = Array.isArray(config['rule-files']) ? config['rule-files'].map(scalarText).filter((file): file is string => Boolean(file)) : [];
    if (configPath) {
      configuration['default-rule-path'] = rulePath;
      configuration['rule-files'] = ruleFiles.slice(0, 100);
    }
    for (const capture of ['af-packet', 'pcap', 'netmap', 'pfring']) {
      const interfaces = captureInterfaces(config[capture]);
      if (interfaces.length > 0) configuration[`${capture}.interfaces`] = interfaces;
    }
    if (config.nfq !== undefined || config.nflog !== undefined) configuration['ips.nfq'] = true;
    const eve = eveLog(config.outputs);
    if (eve) {
      configuration['eve-log.enabled'] = scalar(eve.enabled) ?? true;
      const filename = scalarText(eve.filename);
      if (filename) configuration['eve-log.filename'] = filename;
      if (Array.isArray(eve.types)) {
        configuration['eve-log.types'] = eve.types
          .map((type) => (typeof type === 'string' ? type : isRecord(type) ? Object.keys(type)[0] : undefined))
          .filter((type): type is string => Boolean(type))
          .slice(0, 100);
      }
    }
    if (isRecord(config['unix-command'])) configuration['unix-command.enabled'] = scalar(config['unix-command'].enabled) ?? 'auto';
    if (isRecord(config.detect)) {
      const profile = scalarText(config.detect.profile);
      if (profile) configuration['detect.profile'] = profile;
    }

    // suricata-update keeps one YAML file per enabled source; with none, it fetches ET Open.
    const sourceFiles = ((await host.listDir(UPDATE_SOURCES_DIR)) ?? []).filter((name) => name.endsWith('.yaml'));
    if (sourceFiles.length > 0 || (await host.stat(UPDATE_SOURCES_DIR))?.isDirectory) {
      const sources: string[] = [];
      for (const file of sourceFiles.slice(0, 50)) {
        const parsed = yamlData(parseDocument((await host.readFile(`${UPDATE_SOURCES_DIR}/${file}`)) ?? ''));
        const name = isRecord(parsed) ? scalarText(parsed.source) : undefined;
        sources.push(name ?? file.replace(/\.yaml$/, ''));
      }
      configuration['update.sources'] = sources.sort();
    }

    // Rule files: where they are and how old the newest is.
    const ruleStats: { file: string; mtimeMs: number }[] = [];
    const missingRules: string[] = [];
    for (const file of ruleFiles.slice(0, 200)) {
      const full = file.startsWith('/') ? file : `${rulePath.replace(/\/+$/, '')}/${file}`;
      const stat = await host.stat(full);
      if (stat?.isFile) ruleStats.push({ file: full, mtimeMs: stat.mtimeMs });
      else missingRules.push(full);
    }
    // suricata-update writes into default-rule-path; an administrator's own rules elsewhere (local.rules)
    // change rarely and must not make stale downloaded rules look fresh.
    const managed = ruleStats.filter((rule) => rule.file.startsWith(`${rulePath.replace(/\/+$/, '')}/`));
    const newest = [...(managed.length > 0 ? managed : ruleStats)].sort((a, b) => b.mtimeMs - a.mtimeMs)[0];
    const rulesAgeHours = newest ? ageHours(host, newest.mtimeMs) : undefined;
    if (rulesAgeHours !== undefined) metrics['rules.ageHours'] = rulesAgeHours;

    tests.push(
      await runTest(host, 'config-test', 'security', async () => {
        if (!suricata) return { passed: false, message: 'the suricata binary is not installed, so its configuration cannot be tested' };
        if (!configPath) return { passed: false, message: 'no suricata.yaml to test' };
        const result = await host.run(suricata, ['-T', '-v', '-c', configPath], { timeoutMs: CONFIG_TEST_TIMEOUT_MS });
        if (result.timedOut) return { passed: false, message: timedOutMessage('suricata -T', CONFIG_TEST_TIMEOUT_MS) };
        const output = `${result.stdout}\n${result.stderr}`;
        const summary = parseRuleLoadSummary(output);
        if (summary) {
          metrics['rules.loaded'] = summary.loaded;
          metrics['rules.failed'] = summary.failed;
        }
        if (result.exitCode !== 0) {
          const reasons = suricataErrors(output);
          const why = reasons.length > 0 ? reasons.slice(0, 2).join('; ') : (firstLine(result.stderr) ?? `exit code ${result.exitCode}`);
          return { passed: false, message: `suricata -T rejects ${configPath}: ${why}` };
        }
        if (summary && summary.loaded === 0) {
          return { passed: false, message: `suricata -T loads ${configPath} but no rule: Suricata would inspect traffic without detecting anything` };
        }
        const counts = summary ? ` with ${summary.loaded} rules${summary.failed > 0 ? ` (${summary.failed} failed)` : ''}` : '';
        return { passed: true, message: `suricata -T: configuration provided was successfully loaded${counts}` };
      }),
    );

    const maxAgeDays = options.settings.maxRuleAgeDays;
    tests.push(
      await runTest(host, 'rules-fresh', 'operational', async () => {
        if (!newest || rulesAgeHours === undefined) {
          const expected = missingRules.length > 0 ? missingRules.join(', ') : `rule-files in ${configPath ?? 'suricata.yaml'}`;
          return { passed: false, message: `no rule file exists (${expected}): has suricata-update run?` };
        }
        const missing = missingRules.length > 0 ? `; missing: ${missingRules.join(', ')}` : '';
        if (rulesAgeHours > maxAgeDays * 24) {
          const updated = new Date(newest.mtimeMs).toISOString().slice(0, 10);
          return {
            passed: false,
            message: `rules are ${describeAge(rulesAgeHours)} old (limit ${maxAgeDays} days): ${newest.file} was last written ${updated}; is suricata-update scheduled?${missing}`,
          };
        }
        return { passed: !missing, message: `rules are ${describeAge(rulesAgeHours)} old (${newest.file})${missing}` };
      }),
    );

    const service = await serviceVerdict(host, { label: 'suricata', unit: 'suricata.service', processNames: ['Suricata-Main', 'suricata'] });
    tests.push(await runTest(host, 'service-running', 'operational', async () => ({ passed: service.running, message: service.message })));

    // Live counters through the unix socket, when Suricata runs with it (unix-command: auto/yes).
    const suricatasc = suricata?.replace(/suricata$/, 'suricatasc');
    if (service.running && suricatasc && (await host.stat(suricatasc))?.isFile) {
      const counters = await host.run(suricatasc, ['-c', 'dump-counters'], { timeoutMs: 10_000 });
      if (counters.exitCode === 0) Object.assign(metrics, parseCounters(counters.stdout));
      else if (counters.timedOut) errors.push({ code: 'socket-timeout', message: timedOutMessage('suricatasc -c dump-counters', 10_000) });
      else
        errors.push({
          code: 'socket-unavailable',
          message: `suricatasc -c dump-counters: ${firstLine(counters.stderr) ?? firstLine(counters.stdout) ?? 'no answer'}`,
        });
    }

    return { version, configuration, metrics, tests, errors };
  },
};
