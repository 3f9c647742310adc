import { fileURLToPath } from 'node:url';
import { solutionReportSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { FixtureHost } from '../host/fixture-host.js';
import { parseCounters, parseRuleLoadSummary, suricataErrors, suricataPlugin, suricataSettings } from './suricata.js';

const fixtures = fileURLToPath(new URL('../../fixtures/suricata/', import.meta.url));
/** Test mode and read-only socket queries only: never reload-rules, shutdown or suricata-update. */
const READ_ONLY = /^(dpkg-query|rpm|systemctl show|\/usr\/bin\/suricata (-V|-T -v -c \S+)$|\/usr\/bin\/suricatasc -c dump-counters$)/;

async function inspect(scenario: string, settings: Record<string, unknown> = {}) {
  const host = new FixtureHost(`${fixtures}${scenario}`);
  const context = { host, options: { allowStateChanges: false, settings: suricataSettings.parse(settings) } };
  const detection = await suricataPlugin.detect(context);
  if (!detection) throw new Error(`suricata not detected in ${scenario}`);
  const findings = await suricataPlugin.inspect(context, detection);
  solutionReportSchema.parse({ id: suricataPlugin.id, detectedBy: detection.detectedBy, ...findings });
  expect(host.ran.filter((line) => !READ_ONLY.test(line))).toEqual([]);
  const test = (id: string) => findings.tests.find((candidate) => candidate.id === id);
  return { host, detection, findings, test };
}

describe('suricata plugin', () => {
  it('reports networks, interfaces, rule sources and live counters of a running sensor', async () => {
    const { detection, findings, test } = await inspect('healthy');
    expect(detection.detectedBy).toEqual(['package', 'binary', 'unit', 'config']);
    expect(findings.version).toBe('7.0.3');
    expect(findings.configuration).toEqual({
      configFile: '/etc/suricata/suricata.yaml',
      HOME_NET: '[10.20.0.0/16,192.168.10.0/24]',
      EXTERNAL_NET: '!$HOME_NET',
      'default-rule-path': '/var/lib/suricata/rules',
      'rule-files': ['suricata.rules', '/etc/suricata/rules/local.rules'],
      'af-packet.interfaces': ['ens3'],
      'pcap.interfaces': ['ens3'],
      'eve-log.enabled': true,
      'eve-log.filename': 'eve.json',
      'eve-log.types': ['alert', 'anomaly', 'http', 'dns', 'tls', 'files', 'smtp', 'ssh', 'stats', 'flow'],
      'unix-command.enabled': 'auto',
      'detect.profile': 'medium',
      'update.sources': ['et/open', 'oisf/trafficid'],
    });
    expect(findings.metrics).toEqual({
      'rules.ageHours': 5.9,
      'rules.loaded': 43107,
      'rules.failed': 0,
      uptimeSeconds: 431712,
      packets: 183744669,
      kernelPackets: 183746201,
      kernelDrops: 1532,
      alerts: 418,
      flows: 2834512,
    });
    expect(findings.tests.map(({ id, type, passed }) => ({ id, type, passed }))).toEqual([
      { id: 'config-test', type: 'security', passed: true },
      { id: 'rules-fresh', type: 'operational', passed: true },
      { id: 'service-running', type: 'operational', passed: true },
    ]);
    expect(test('config-test')?.message).toBe('suricata -T: configuration provided was successfully loaded with 43107 rules');
    expect(test('rules-fresh')?.message).toBe('rules are 5 hours old (/var/lib/suricata/rules/suricata.rules)');
    expect(test('service-running')?.message).toBe('suricata.service is active');
    expect(findings.errors).toEqual([]);
  });

  it("fails the test mode on a broken local rule, with Suricata's own words", async () => {
    const { findings, test, host } = await inspect('config-test-fails');
    expect(test('config-test')).toMatchObject({ type: 'security', passed: false });
    expect(test('config-test')?.message).toMatch(
      /^suricata -T rejects \/etc\/suricata\/suricata\.yaml: detect-parse: unknown rule keyword 'contnt'\.; detect: error parsing signature .* from file \/etc\/suricata\/rules\/local\.rules at line 2$/,
    );
    // local.rules was edited minutes ago, but freshness is about the downloaded rules.
    expect(test('rules-fresh')).toMatchObject({ passed: true, message: 'rules are 5 hours old (/var/lib/suricata/rules/suricata.rules)' });
    expect(test('service-running')).toMatchObject({ passed: false, message: 'suricata.service is failed' });
    expect(findings.metrics['rules.loaded']).toBeUndefined();
    expect(host.ran).not.toContain('/usr/bin/suricatasc -c dump-counters');
  });

  it('fails freshness when suricata-update has not run for 12 days, and finds the process without systemd', async () => {
    const { test, findings } = await inspect('stale-rules');
    expect(findings.configuration['update.sources']).toEqual(['et/open']);
    expect(findings.metrics['rules.ageHours']).toBe(293.9);
    expect(test('rules-fresh')).toMatchObject({
      passed: false,
      message:
        'rules are 12 days old (limit 7 days): /var/lib/suricata/rules/suricata.rules was last written 2026-11-15; is suricata-update scheduled?',
    });
    expect(test('service-running')).toMatchObject({ passed: true, message: 'suricata is running (pid 27); systemd is not running on this host' });
    expect(test('config-test')?.passed).toBe(true);
  });

  it('takes the rule age limit from the settings', async () => {
    const { test } = await inspect('stale-rules', { maxRuleAgeDays: 14 });
    expect(test('rules-fresh')?.passed).toBe(true);
  });

  it('is not detected where Suricata is not installed (real capture)', async () => {
    const host = new FixtureHost(`${fixtures}absent`);
    expect(await suricataPlugin.detect({ host, options: { allowStateChanges: false, settings: suricataSettings.parse({}) } })).toBeUndefined();
  });
});

describe('suricata output parsers', () => {
  it('reads the rule load summary of -T -v, with or without "rules skipped"', () => {
    expect(parseRuleLoadSummary('Info: detect: 1 rule files processed. 52741 rules successfully loaded, 0 rules failed, 0 rules skipped')).toEqual({
      files: 1,
      loaded: 52741,
      failed: 0,
    });
    expect(parseRuleLoadSummary('<Info> - 2 rule files processed. 30 rules successfully loaded, 2 rules failed')).toEqual({
      files: 2,
      loaded: 30,
      failed: 2,
    });
    expect(parseRuleLoadSummary('i: suricata: Configuration provided was successfully loaded. Exiting.')).toBeUndefined();
  });

  it('keeps error lines in the short and the verbose console formats', () => {
    expect(
      suricataErrors('i: suricata: This is Suricata\nE: conf-yaml-loader: Failed to parse configuration file\nError: detect: boom\nW: x'),
    ).toEqual(['conf-yaml-loader: Failed to parse configuration file', 'detect: boom']);
  });

  it('reads dump-counters, and nothing from a failed reply', () => {
    expect(parseCounters('{"message": {"uptime": 10, "decoder": {"pkts": 5}, "detect": {"alert": 1}}, "return": "OK"}')).toEqual({
      uptimeSeconds: 10,
      packets: 5,
      alerts: 1,
    });
    expect(parseCounters('{"message": "Unknown command", "return": "NOK"}')).toEqual({});
    expect(parseCounters('Unable to connect to socket')).toEqual({});
  });
});
