import { fileURLToPath } from 'node:url';
import { solutionReportSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { FixtureHost } from '../host/fixture-host.js';
import { countDecisions, crowdsecPlugin, crowdsecSettings, describeAcquisition, parseBouncers, summarizeMetrics } from './crowdsec.js';

// CrowdSec's fixtures are written from its source, not captured: see agent/fixtures/crowdsec/README.md.
const fixtures = fileURLToPath(new URL('../../fixtures/crowdsec/', import.meta.url));
const READ_ONLY =
  /^(dpkg-query|rpm|systemctl show|cscli (version|lapi status|bouncers list -o json|decisions list -o json|metrics -o json|collections list -o json))( |$)/;

async function inspect(scenario: string, settings: Record<string, unknown> = {}) {
  const host = new FixtureHost(`${fixtures}${scenario}`);
  const context = { host, options: { allowStateChanges: false, settings: crowdsecSettings.parse(settings) } };
  const detection = await crowdsecPlugin.detect(context);
  if (!detection) throw new Error(`CrowdSec not detected in ${scenario}`);
  const findings = await crowdsecPlugin.inspect(context, detection);
  solutionReportSchema.parse({ id: crowdsecPlugin.id, detectedBy: detection.detectedBy, ...findings });
  expect(host.ran.filter((line) => !READ_ONLY.test(line))).toEqual([]);
  const test = (id: string) => findings.tests.find((candidate) => candidate.id === id);
  return { detection, findings, test };
}

describe('crowdsec plugin', () => {
  it('passes with a reachable Local API, logs read and a bouncer pulling decisions', async () => {
    const { detection, findings, test } = await inspect('healthy');
    expect(detection.detectedBy).toEqual(['package', 'binary', 'unit', 'config']);
    expect(findings.version).toBe('1.6.8');
    expect(findings.configuration).toEqual({
      'api.server.enable': true,
      'api.server.listen_uri': '127.0.0.1:8080',
      'api.server.online_client': true,
      'api.server.trusted_ips': ['127.0.0.1', '::1'],
      'db_config.type': 'sqlite',
      'common.log_level': 'info',
      'prometheus.enabled': true,
      'prometheus.listen': '127.0.0.1:6060',
      'crowdsec_service.acquisition_path': '/etc/crowdsec/acquis.yaml',
      'crowdsec_service.acquisition_dir': '/etc/crowdsec/acquis.d',
      acquisition: [
        'file:/var/log/auth.log (syslog)',
        'file:/var/log/syslog (syslog)',
        'file:/var/log/nginx/access.log (nginx)',
        'file:/var/log/nginx/error.log (nginx)',
      ],
      collections: ['crowdsecurity/linux', 'crowdsecurity/sshd'],
      bouncers: ['cs-firewall-bouncer-1759392871'],
    });
    expect(findings.metrics).toEqual({
      bouncers: 1,
      bouncersActive: 1,
      decisionsLocal: 2,
      linesRead: 7459,
      linesParsed: 412,
      linesUnparsed: 7047,
      alerts: 5,
      activeDecisions: 15283,
      bucketOverflows: 5,
    });
    expect(findings.tests.map(({ id, type, passed }) => ({ id, type, passed }))).toEqual([
      { id: 'installed', type: 'presence', passed: true },
      { id: 'lapi-reachable', type: 'integration', passed: true },
      { id: 'bouncer-active', type: 'security', passed: true },
      { id: 'logs-read', type: 'operational', passed: true },
    ]);
    expect(test('lapi-reachable')?.message).toBe("the Local API at http://127.0.0.1:8080/ accepts this machine's credentials");
    expect(test('bouncer-active')?.message).toBe('cs-firewall-bouncer-1759392871 pulled decisions within the last 15 minutes');
    expect(findings.errors).toEqual([]);
  });

  it('fails the security test when no bouncer is registered', async () => {
    const { findings, test } = await inspect('no-bouncer');
    expect(findings.configuration.bouncers).toEqual([]);
    expect(findings.metrics).toMatchObject({ bouncers: 0, bouncersActive: 0 });
    expect(test('lapi-reachable')?.passed).toBe(true);
    expect(test('bouncer-active')).toMatchObject({
      passed: false,
      message: 'no bouncer is registered: CrowdSec detects attacks but nothing blocks them',
    });
  });

  it('reports a failed service: Local API unreachable and a bouncer silent for two days', async () => {
    const { findings, test } = await inspect('lapi-down');
    expect(findings.metrics).toEqual({ bouncers: 1, bouncersActive: 0 });
    expect(test('lapi-reachable')).toMatchObject({
      passed: false,
      message:
        'cscli cannot use the Local API: `cscli lapi status` exited with 1: Error: failed to authenticate to Local API (LAPI): Post "http://127.0.0.1:8080/v1/watchers/login": dial tcp 127.0.0.1:8080: connect: connection refused; crowdsec.service is failed',
    });
    expect(test('bouncer-active')).toMatchObject({
      passed: false,
      message: 'cs-firewall-bouncer-1759392871 last pulled decisions 2 days ago (2026-11-25 06:12 UTC): no bouncer enforces new decisions',
    });
    expect(test('logs-read')?.message).toMatch(
      /^whether CrowdSec reads logs is unknown: `cscli metrics -o json` exited with 1: Error: fetching metrics/,
    );
    expect(findings.errors.map((error) => error.code)).toEqual(['decisions-unreadable', 'metrics-unreadable']);
  });

  it('takes the allowed bouncer silence from the settings', async () => {
    const { test } = await inspect('lapi-down', { maxBouncerPullAgeMinutes: 4 * 24 * 60 });
    expect(test('bouncer-active')?.passed).toBe(true);
  });

  it('does not detect CrowdSec where it is not installed', async () => {
    const host = new FixtureHost(`${fixtures}absent`);
    expect(await crowdsecPlugin.detect({ host, options: { allowStateChanges: false, settings: crowdsecSettings.parse({}) } })).toBeUndefined();
  });
});

describe('cscli output readers', () => {
  it('reads bouncers, including revoked ones and ones that never pulled', () => {
    expect(parseBouncers('[{"name":"nginx","revoked":true,"last_pull":"0001-01-01T00:00:00Z"},{"name":"fw","last_pull":null}]')).toEqual([
      { name: 'nginx', type: '', revoked: true, lastPull: undefined },
      { name: 'fw', type: '', revoked: false, lastPull: undefined },
    ]);
    expect(parseBouncers('null')).toEqual([]);
    expect(parseBouncers('not json')).toBeUndefined();
  });

  it('counts decisions and treats an empty answer as none', () => {
    expect(countDecisions('[]\n')).toBe(0);
    expect(countDecisions('null')).toBe(0);
    expect(countDecisions('[{"decisions":[{},{}]},{"decisions":null}]')).toBe(2);
  });

  it('sums the metric sections', () => {
    expect(summarizeMetrics('{"acquisition":{"journalctl:journalctl-_SYSTEMD_UNIT=ssh.service":{"reads":3}},"decisions":{}}')).toEqual({
      linesRead: 3,
      linesParsed: 0,
      linesUnparsed: 0,
      alerts: 0,
      activeDecisions: 0,
      bucketOverflows: 0,
    });
  });

  it('describes acquisition documents of every kind', () => {
    expect(
      describeAcquisition(
        'filenames:\n  - /var/log/nginx/*.log\nlabels:\n  type: nginx\n---\nsource: journalctl\njournalctl_filter:\n  - _SYSTEMD_UNIT=ssh.service\nlabels:\n  type: syslog\n---\nsource: docker\ncontainer_name: [web]\n',
      ),
    ).toEqual(['file:/var/log/nginx/*.log (nginx)', 'journalctl:_SYSTEMD_UNIT=ssh.service (syslog)', 'docker']);
  });
});
