import { fileURLToPath } from 'node:url';
import { solutionReportSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { FixtureHost } from '../host/fixture-host.js';
import { countAlerts, parseTelerCommand, parseTimeLocal, telerPlugin, validateTelerConfig } from './teler.js';

const fixtures = fileURLToPath(new URL('../../fixtures/teler/', import.meta.url));
/** Only the version query: teler is never started, and nothing is sent to the web server. */
const READ_ONLY = /^(dpkg-query|rpm|systemctl show|\/\S+\/teler -v$)/;

async function inspect(scenario: string) {
  const host = new FixtureHost(`${fixtures}${scenario}`);
  const context = { host, options: { allowStateChanges: false, settings: {} } };
  const detection = await telerPlugin.detect(context);
  if (!detection) throw new Error(`teler not detected in ${scenario}`);
  const findings = await telerPlugin.inspect(context, detection);
  solutionReportSchema.parse({ id: telerPlugin.id, detectedBy: detection.detectedBy, ...findings });
  expect(host.ran.filter((line) => !READ_ONLY.test(line))).toEqual([]);
  const test = (id: string) => findings.tests.find((candidate) => candidate.id === id);
  return { host, detection, findings, test };
}

describe('teler plugin', () => {
  it('reports threat settings, alert counts and a running unit that tails nginx', async () => {
    const { detection, findings, test } = await inspect('healthy');
    expect(detection.detectedBy).toEqual(['binary', 'unit', 'config']);
    expect(findings.version).toBe('2.0.0');
    expect(findings.configuration).toEqual({
      configFile: '/etc/teler/teler.yaml',
      inputLog: '/var/log/nginx/access.log',
      log_format:
        '$remote_addr - $remote_user [$time_local] "$request_method $request_uri $request_protocol" $status $body_bytes_sent "$http_referer" "$http_user_agent"',
      'rules.cache': true,
      'rules.threat.excludes': ['Bad Crawler'],
      'rules.threat.enabled': ['Common Web Attack', 'CVE', 'Bad IP Address', 'Bad Referrer', 'Directory Bruteforce'],
      'rules.threat.whitelists': ['^/healthz$', '10\\.20\\.0\\.5'],
      'rules.threat.customs': ['Log4j Attack'],
      'dashboard.active': false,
      'metrics.prometheus.active': true,
      'metrics.prometheus.address': '127.0.0.1:9099/metrics',
      'logs.file.active': true,
      'logs.file.json': true,
      'logs.file.path': '/var/log/teler/alerts.json',
      'logs.zinc.active': false,
      'alert.active': true,
      'alert.provider': 'slack',
    });
    // Nothing secret is reported: no token, password or webhook.
    expect(JSON.stringify(findings.configuration)).not.toMatch(/hooks\.slack|placeholder|password/);
    expect(findings.metrics).toEqual({
      'alerts.total': 6,
      'alerts.last24h': 4,
      'alerts.last24h.directory-bruteforce': 2,
      'alerts.last24h.cve': 1,
      'alerts.last24h.bad-ip-address': 1,
      'resources.ageHours': 6.8,
    });
    expect(findings.tests.map(({ id, type, passed }) => ({ id, type, passed }))).toEqual([
      { id: 'config-valid', type: 'requirement', passed: true },
      { id: 'process-running', type: 'operational', passed: true },
      { id: 'input-log-present', type: 'requirement', passed: true },
    ]);
    expect(test('config-valid')?.message).toBe("/etc/teler/teler.yaml passes teler's start-up checks");
    expect(test('process-running')?.message).toBe('teler.service is active');
    expect(test('input-log-present')?.message).toBe('teler reads /var/log/nginx/access.log (last written less than an hour ago)');
    expect(findings.errors).toEqual([]);
  });

  it("fails config-valid with the reasons teler's validator would stop on", async () => {
    const { test, findings } = await inspect('invalid-config');
    expect(findings.configuration['rules.threat.customs']).toEqual(['Log4j Attack', 'Large Upload']);
    expect(test('config-valid')).toMatchObject({
      passed: false,
      message:
        'teler would refuse /etc/teler/teler.yaml: custom threat "Large Upload": element $request_body is not in log_format; notifications.slack.token is empty',
    });
    expect(test('process-running')).toMatchObject({ passed: false, message: 'teler.service is failed' });
  });

  it("finds the seed product's install in /opt/mutablesecurity and says that nothing runs it", async () => {
    const { detection, findings, test } = await inspect('seed-install-stopped');
    expect(detection.detectedBy).toEqual(['binary', 'config']);
    expect(findings.configuration).toMatchObject({
      configFile: '/opt/mutablesecurity/teler/teler.conf',
      'logs.file.path': '/var/log/teler.json.log',
    });
    expect(findings.metrics).toMatchObject({ 'alerts.total': 3, 'alerts.last24h': 1, 'resources.ageHours': 195.3 });
    expect(test('config-valid')?.passed).toBe(true);
    expect(test('process-running')).toMatchObject({ passed: false, message: 'teler.service is not installed and no teler process is running' });
    expect(test('input-log-present')).toBeUndefined();
  });

  it('is not detected where teler is not installed (real capture)', async () => {
    const host = new FixtureHost(`${fixtures}absent`);
    expect(await telerPlugin.detect({ host, options: { allowStateChanges: false, settings: {} } })).toBeUndefined();
  });
});

describe('teler helpers', () => {
  it('finds the config and input of a unit, piped or direct', () => {
    expect(
      parseTelerCommand("[Service]\nExecStart=/bin/sh -c 'tail -n 0 -F /var/log/nginx/access.log | /usr/local/bin/teler -c /etc/teler/teler.yaml'\n"),
    ).toEqual({
      config: '/etc/teler/teler.yaml',
      input: '/var/log/nginx/access.log',
    });
    expect(parseTelerCommand('ExecStart=/usr/bin/teler --config=/srv/teler.yml -i /var/log/apache2/access.log')).toEqual({
      config: '/srv/teler.yml',
      input: '/var/log/apache2/access.log',
    });
    expect(parseTelerCommand('Environment=TELER_CONFIG=/etc/teler.yaml\nExecStart=/usr/bin/teler -i /var/log/x.log')).toEqual({
      config: '/etc/teler.yaml',
      input: '/var/log/x.log',
    });
  });

  it('validates like teler does', () => {
    expect(validateTelerConfig({ log_format: '$remote_addr $request_uri' })).toEqual([]);
    expect(validateTelerConfig({})).toEqual(['log_format is empty']);
    expect(
      validateTelerConfig({
        log_format: '$request_uri',
        rules: {
          threat: {
            customs: [
              { name: 'A', condition: 'xor', rules: [{ element: 'request_uri', pattern: 'x' }] },
              { name: 'A', rules: [] },
            ],
          },
        },
        alert: { active: true, provider: 'pagerduty' },
        logs: { file: { active: true } },
      }),
    ).toEqual([
      'custom threat "A": condition must be "and" or "or", not "xor"',
      'custom threat "A" is defined twice',
      'custom threat "A" has no rules',
      'alert provider "pagerduty" is not one of slack, telegram, discord, mattermost',
      'logs.file is active but logs.file.path is empty',
    ]);
  });

  it("counts alerts from teler's JSON and text outputs", () => {
    const now = new Date('2026-11-27T10:00:00Z');
    const log = [
      '{"category":"CVE","time_local":"27/Nov/2026:09:00:00 +0000"}',
      '[26/Nov/2026:09:59:00 +0000] [198.51.100.7] [Bad Crawler] sqlmap/1.7',
      '[27/Nov/2026:08:00:00 +0100] [198.51.100.7] [Bad Crawler] sqlmap/1.7',
      'not an alert',
    ].join('\n');
    const counted = countAlerts(log, now);
    expect(counted.total).toBe(3);
    expect(counted.last24h).toBe(2);
    expect([...counted.byCategory]).toEqual([
      ['CVE', 1],
      ['Bad Crawler', 1],
    ]);
    expect(parseTimeLocal('27/Nov/2026:08:00:00 +0100')).toEqual(new Date('2026-11-27T07:00:00Z'));
  });
});
