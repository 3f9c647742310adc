// CrowdSec: does the Local API answer, does it read logs, and — what makes it protect anything —
// is a bouncer registered and pulling decisions. Everything comes from cscli's JSON outputs;
// the administrator's choices from config.yaml, acquis.yaml and the installed hub collections.
// The credentials files are never read.
import { parseAllDocuments } from 'yaml';
import type { Host } from '../host/host.js';
import { unitState } from '../host/queries.js';
import type { ConfigurationValue } from '@vigil/schema';
import { commandFailure, parseJson, succeeded } from './lib/command.js';
import { findInstallation, type Installation } from './lib/install.js';
import { isRecord, reportList } from './lib/report.js';
import { plural } from './lib/text.js';
import { formatMoment } from './lib/time.js';
import { runTest, type SolutionError, type SolutionPlugin } from './plugin.js';
import { positiveNumber, settingsSchema } from './settings.js';
import { yamlData } from '../host/own-data.js';

const CONFIG_FILE = '/etc/crowdsec/config.yaml';
const DEFAULT_ACQUISITION = '/etc/crowdsec/acquis.yaml';
const CSCLI_TIMEOUT_MS = 20_000;
/** Bouncers pull every 10 s by default; a quarter of an hour of silence means it stopped. */
const DEFAULT_MAX_PULL_AGE_MINUTES = 15;

export interface Bouncer {
  name: string;
  type: string;
  revoked: boolean;
  /** ms since the epoch, undefined when it never pulled */
  lastPull?: number;
}

/** Parses `cscli bouncers list -o json` (1.5 to 1.7 shapes). */
export function parseBouncers(text: string): Bouncer[] | undefined {
  const document = parseJson(text);
  if (document === null) return [];
  if (!Array.isArray(document)) return undefined;
  return document.filter(isRecord).map((entry) => {
    const lastPull = typeof entry.last_pull === 'string' ? Date.parse(entry.last_pull) : Number.NaN;
    return {
      name: typeof entry.name === 'string' ? entry.name : 'unnamed',
      type: typeof entry.type === 'string' ? entry.type : '',
      revoked: entry.revoked === true,
      // Old versions write year 1 for "never".
      lastPull: Number.isFinite(lastPull) && lastPull > 0 ? lastPull : undefined,
    };
  });
}

/** The number of decisions in `cscli decisions list -o json` (a list of alerts, each with its decisions). */
export function countDecisions(text: string): number | undefined {
  const document = parseJson(text);
  if (document === null) return 0;
  if (!Array.isArray(document)) return undefined;
  return document.filter(isRecord).reduce((sum, alert) => sum + (Array.isArray(alert.decisions) ? alert.decisions.length : 0), 0);
}

/** Sums every number found under a section of `cscli metrics -o json`, or of one field of its leaves. */
function sumSection(section: unknown, field?: string): number {
  if (typeof section === 'number') return field === undefined ? section : 0;
  if (!isRecord(section)) return 0;
  let total = 0;
  for (const [key, value] of Object.entries(section)) {
    if (field !== undefined && typeof value === 'number') total += key === field ? value : 0;
    else total += sumSection(value, field);
  }
  return total;
}

export interface CrowdsecMetrics {
  linesRead: number;
  linesParsed: number;
  linesUnparsed: number;
  alerts: number;
  activeDecisions: number;
  bucketOverflows: number;
}

export function summarizeMetrics(text: string): CrowdsecMetrics | undefined {
  const document = parseJson(text);
  if (!isRecord(document)) return undefined;
  return {
    linesRead: sumSection(document.acquisition, 'reads'),
    linesParsed: sumSection(document.acquisition, 'parsed'),
    linesUnparsed: sumSection(document.acquisition, 'unparsed'),
    alerts: sumSection(document.alerts),
    activeDecisions: sumSection(document.decisions),
    bucketOverflows: sumSection(document.scenarios, 'overflow'),
  };
}

/** Acquisition sources of acquis.yaml documents, e.g. "file:/var/log/auth.log (syslog)". */
export function describeAcquisition(text: string): string[] {
  const sources: string[] = [];
  for (const document of parseAllDocuments(text)) {
    if (!('toJS' in document)) continue;
    const entry = yamlData(document);
    if (!isRecord(entry)) continue;
    const source = typeof entry.source === 'string' ? entry.source : 'file';
    const type = isRecord(entry.labels) && typeof entry.labels.type === 'string' ? ` (${entry.labels.type})` : '';
    const targets = [
      ...(Array.isArray(entry.filenames) ? entry.filenames : []),
      ...(typeof entry.filename === 'string' ? [entry.filename] : []),
      ...(Array.isArray(entry.journalctl_filter) ? entry.journalctl_filter : []),
    ].filter((target): target is string => typeof target === 'string');
    if (targets.length === 0) sources.push(`${source}${type}`);
    for (const target of targets) sources.push(`${source}:${target}${type}`);
  }
  return sources;
}

function at(document: unknown, ...path: string[]): unknown {
  let current = document;
  for (const key of path) current = isRecord(current) ? current[key] : undefined;
  return current;
}

function scalar(value: unknown): ConfigurationValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
}

async function readYaml(host: Host, file: string, errors: SolutionError[]): Promise<unknown> {
  const text = await host.readFile(file);
  if (text === undefined) return undefined;
  const [document] = parseAllDocuments(text);
  if (!document || !('toJS' in document) || document.errors.length > 0) {
    errors.push({ code: 'config-invalid', message: `${file} is not valid YAML` });
    return undefined;
  }
  return yamlData(document);
}

export const crowdsecSettings = settingsSchema({
  /** A bouncer that has not pulled decisions for longer than this does not count as active. */
  maxBouncerPullAgeMinutes: positiveNumber(DEFAULT_MAX_PULL_AGE_MINUTES),
});

export const crowdsecPlugin: SolutionPlugin<typeof crowdsecSettings, Installation> = {
  id: 'crowdsec',
  settings: crowdsecSettings,

  detect: ({ host }) =>
    findInstallation(host, {
      packages: ['crowdsec'],
      binaries: ['crowdsec', 'cscli'],
      units: ['crowdsec.service'],
      configs: [CONFIG_FILE],
    }),

  async inspect({ host, options }, install) {
    const errors: SolutionError[] = [];
    const cscli = install.binaries.cscli;
    const cscliRun = (args: string[]) => host.run('cscli', args, { timeoutMs: CSCLI_TIMEOUT_MS });

    const versionRun = cscli ? await cscliRun(['version']) : undefined;
    // 1.6 and later print to stdout; older releases log the same lines to stderr.
    const versionText = versionRun && succeeded(versionRun) ? `${versionRun.stdout}\n${versionRun.stderr}` : '';
    const version = /version:\s*v?(\d+\.\d+\.\d+)/.exec(versionText)?.[1] ?? install.packageVersion ?? null;

    const config = await readYaml(host, CONFIG_FILE, errors);
    const acquisitionPath = scalar(at(config, 'crowdsec_service', 'acquisition_path'));
    const acquisitionFile = typeof acquisitionPath === 'string' ? acquisitionPath : DEFAULT_ACQUISITION;
    const acquisitionText = await host.readFile(acquisitionFile);
    const promListen = [at(config, 'prometheus', 'listen_addr'), at(config, 'prometheus', 'listen_port')];
    const trustedIpsSetting = at(config, 'api', 'server', 'trusted_ips');
    const trustedIps: unknown[] = Array.isArray(trustedIpsSetting) ? trustedIpsSetting : [];

    const configuration: Record<string, ConfigurationValue> = {
      'api.server.enable': scalar(at(config, 'api', 'server', 'enable')) ?? (isRecord(at(config, 'api', 'server')) ? true : null),
      'api.server.listen_uri': scalar(at(config, 'api', 'server', 'listen_uri')),
      'api.server.online_client': isRecord(at(config, 'api', 'server', 'online_client')),
      'api.server.trusted_ips': reportList(trustedIps.map(String), false),
      'db_config.type': scalar(at(config, 'db_config', 'type')),
      'common.log_level': scalar(at(config, 'common', 'log_level')),
      'prometheus.enabled': scalar(at(config, 'prometheus', 'enabled')),
      'prometheus.listen': promListen.every((part) => part !== undefined) ? promListen.join(':') : null,
      'crowdsec_service.acquisition_path': acquisitionFile,
    };
    // The sources come from acquis.yaml and every *.yaml of acquisition_dir (acquis.d), in that order.
    const acquisitionDir = scalar(at(config, 'crowdsec_service', 'acquisition_dir'));
    const acquisitionFiles = [acquisitionFile];
    if (typeof acquisitionDir === 'string') {
      configuration['crowdsec_service.acquisition_dir'] = acquisitionDir;
      const names = (await host.listDir(acquisitionDir)) ?? [];
      const dir = acquisitionDir.replace(/\/+$/, '');
      for (const name of names.filter((entry) => /\.ya?ml$/.test(entry))) acquisitionFiles.push(`${dir}/${name}`);
    }
    const sources: string[] = [];
    for (const file of acquisitionFiles) {
      const text = file === acquisitionFile ? acquisitionText : await host.readFile(file);
      if (text === undefined) continue;
      try {
        sources.push(...describeAcquisition(text));
      } catch {
        errors.push({ code: 'acquisition-invalid', message: `${file} is not valid YAML` });
      }
    }
    configuration.acquisition = reportList(sources, false);

    const metrics: Record<string, number> = {};
    const results = cscli
      ? {
          lapi: await cscliRun(['lapi', 'status']),
          bouncers: await cscliRun(['bouncers', 'list', '-o', 'json']),
          decisions: await cscliRun(['decisions', 'list', '-o', 'json']),
          metrics: await cscliRun(['metrics', '-o', 'json']),
          collections: await cscliRun(['collections', 'list', '-o', 'json']),
        }
      : undefined;

    const collections = results && succeeded(results.collections) ? parseJson(results.collections.stdout) : undefined;
    if (isRecord(collections) && Array.isArray(collections.collections)) {
      configuration.collections = reportList(
        collections.collections
          .filter(isRecord)
          // Text only: a parsed object has no prototype, so String() of one would throw.
          .filter((item) => typeof item.name === 'string')
          .map((item) => `${item.name as string}${typeof item.status === 'string' && item.status !== 'enabled' ? ` (${item.status})` : ''}`),
      );
    }

    const bouncers = results && succeeded(results.bouncers) ? parseBouncers(results.bouncers.stdout) : undefined;
    const maxPullAgeMinutes = options.settings.maxBouncerPullAgeMinutes;
    const now = host.now().getTime();
    const isActive = (bouncer: Bouncer) => !bouncer.revoked && bouncer.lastPull !== undefined && now - bouncer.lastPull <= maxPullAgeMinutes * 60_000;
    if (bouncers) {
      configuration.bouncers = reportList(bouncers.map((bouncer) => bouncer.name));
      metrics.bouncers = bouncers.length;
      metrics.bouncersActive = bouncers.filter(isActive).length;
    } else if (results) {
      errors.push({ code: 'bouncers-unreadable', message: commandFailure('cscli bouncers list -o json', results.bouncers) });
    }

    const localDecisions = results && succeeded(results.decisions) ? countDecisions(results.decisions.stdout) : undefined;
    if (localDecisions !== undefined) metrics.decisionsLocal = localDecisions;
    else if (results) errors.push({ code: 'decisions-unreadable', message: commandFailure('cscli decisions list -o json', results.decisions) });

    const summary = results && succeeded(results.metrics) ? summarizeMetrics(results.metrics.stdout) : undefined;
    if (summary) Object.assign(metrics, summary);
    else if (results) errors.push({ code: 'metrics-unreadable', message: commandFailure('cscli metrics -o json', results.metrics) });

    const tests = [
      await runTest(host, 'installed', 'presence', async () =>
        cscli
          ? { passed: true, message: `CrowdSec${version ? ` ${version}` : ''} is installed (${cscli})` }
          : { passed: false, message: 'CrowdSec is configured here but cscli is not installed' },
      ),
      await runTest(host, 'lapi-reachable', 'integration', async () => {
        if (!results) return { passed: false, message: 'cscli is not installed, so the Local API cannot be asked' };
        const url = /on (\S+)\s*$/m.exec(results.lapi.stdout)?.[1] ?? 'the Local API';
        if (succeeded(results.lapi)) return { passed: true, message: `the Local API at ${url} accepts this machine's credentials` };
        const unit = await unitState(host, 'crowdsec.service');
        const service = unit.systemdRunning ? `; crowdsec.service is ${unit.activeState}` : '';
        return { passed: false, message: `cscli cannot use the Local API: ${commandFailure('cscli lapi status', results.lapi)}${service}` };
      }),
      await runTest(host, 'bouncer-active', 'security', async () => {
        if (!bouncers) return { passed: false, message: 'the registered bouncers cannot be listed, so nothing is known to enforce decisions' };
        if (bouncers.length === 0) {
          return { passed: false, message: 'no bouncer is registered: CrowdSec detects attacks but nothing blocks them' };
        }
        const active = bouncers.filter(isActive);
        if (active.length > 0) {
          return {
            passed: true,
            message: `${active.map((bouncer) => bouncer.name).join(', ')} pulled decisions within the last ${plural(maxPullAgeMinutes, 'minute')}`,
          };
        }
        const described = bouncers.map((bouncer) =>
          bouncer.revoked
            ? `${bouncer.name} is revoked`
            : bouncer.lastPull === undefined
              ? `${bouncer.name} never pulled decisions`
              : `${bouncer.name} last pulled decisions ${describeAge(now - bouncer.lastPull)} ago (${formatMoment(bouncer.lastPull)})`,
        );
        return { passed: false, message: `${described.join('; ')}: no bouncer enforces new decisions` };
      }),
      await runTest(host, 'logs-read', 'operational', async () => {
        if (!summary) {
          return {
            passed: false,
            message: `whether CrowdSec reads logs is unknown: ${results ? commandFailure('cscli metrics -o json', results.metrics) : 'cscli is not installed'}`,
          };
        }
        return summary.linesRead > 0
          ? {
              passed: true,
              message: `CrowdSec read ${plural(summary.linesRead, 'log line')} since it started, ${summary.linesParsed} of them parsed`,
            }
          : { passed: false, message: `CrowdSec has read no log line since it started: check the sources in ${acquisitionFile}` };
      }),
    ];

    return { version, configuration, metrics, tests, errors };
  },
};

function describeAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? plural(hours, 'hour') : plural(Math.floor(hours / 24), 'day');
}
