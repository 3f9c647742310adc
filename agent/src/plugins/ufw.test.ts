import { fileURLToPath } from 'node:url';
import { solutionReportSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { FixtureHost } from '../host/fixture-host.js';
import { parseAddedRules, parseUfwStatus, ufwPlugin } from './ufw.js';

const fixtures = fileURLToPath(new URL('../../fixtures/ufw/', import.meta.url));
const READ_ONLY = /^(dpkg-query|rpm|systemctl show|ufw (version|status verbose|show added))( |$)/;

async function inspect(scenario: string) {
  const host = new FixtureHost(`${fixtures}${scenario}`);
  const context = { host, options: { allowStateChanges: false, settings: {} } };
  const detection = await ufwPlugin.detect(context);
  if (!detection) throw new Error(`ufw not detected in ${scenario}`);
  const findings = await ufwPlugin.inspect(context, detection);
  solutionReportSchema.parse({ id: ufwPlugin.id, detectedBy: detection.detectedBy, ...findings });
  expect(host.ran.filter((line) => !READ_ONLY.test(line))).toEqual([]);
  const test = (id: string) => findings.tests.find((candidate) => candidate.id === id);
  return { detection, findings, test };
}

describe('ufw plugin', () => {
  it('reports an active firewall with a default deny incoming policy (real ufw 0.36.2 outputs)', async () => {
    const { detection, findings, test } = await inspect('active');
    expect(detection.detectedBy).toEqual(['package', 'binary', 'unit', 'config']);
    expect(findings.version).toBe('0.36.2');
    expect(findings.configuration).toEqual({
      status: 'active',
      enabledAtBoot: true,
      defaultIncoming: 'deny',
      defaultOutgoing: 'allow',
      defaultRouted: 'deny',
      logging: 'low',
      ipv6: 'yes',
      rules: ['allow 22/tcp', 'limit 2222/tcp', "allow from 10.0.0.0/8 to any port 9100 proto tcp comment 'node exporter'", 'deny 23'],
    });
    expect(findings.metrics).toEqual({ rules: 4, rulesActive: 7 });
    expect(findings.tests.map(({ id, type, passed }) => ({ id, type, passed }))).toEqual([
      { id: 'installed', type: 'presence', passed: true },
      { id: 'ufw-active', type: 'operational', passed: true },
      { id: 'default-deny-incoming', type: 'security', passed: true },
      { id: 'enabled-at-boot', type: 'operational', passed: true },
    ]);
    expect(test('ufw-active')?.message).toBe('ufw is active with 7 rules');
    expect(test('enabled-at-boot')?.message).toContain('systemd is not running on this host');
    expect(findings.errors).toEqual([]);
  });

  it('fails the security test when the default incoming policy is allow', async () => {
    const { findings, test } = await inspect('default-allow');
    expect(findings.configuration.defaultIncoming).toBe('allow');
    expect(test('ufw-active')?.passed).toBe(true);
    expect(test('default-deny-incoming')).toMatchObject({
      passed: false,
      message: 'the default incoming policy is allow: every port without a deny rule is open',
    });
  });

  it('says ufw is inactive right after installation', async () => {
    const { findings, test } = await inspect('inactive');
    expect(findings.configuration).toMatchObject({ status: 'inactive', enabledAtBoot: false, defaultIncoming: 'deny', rules: [] });
    expect(findings.metrics).toEqual({ rules: 0 });
    expect(test('ufw-active')).toMatchObject({ passed: false, message: 'ufw is inactive: the firewall filters no traffic' });
    expect(test('default-deny-incoming')).toMatchObject({
      passed: false,
      message: 'ufw is inactive, so no incoming policy is enforced (the configured default is deny)',
    });
    expect(test('enabled-at-boot')).toMatchObject({
      passed: false,
      message: 'ENABLED=no in /etc/ufw/ufw.conf: ufw does not start at boot',
    });
  });

  it('says so honestly when the agent may not read the kernel firewall (no CAP_NET_ADMIN)', async () => {
    const { findings, test } = await inspect('no-netadmin');
    expect(findings.configuration).toMatchObject({ status: 'unknown', enabledAtBoot: true, defaultIncoming: 'deny' });
    expect(findings.metrics).toEqual({ rules: 4 });
    expect(test('ufw-active')?.passed).toBe(false);
    expect(test('ufw-active')?.message).toMatch(
      /^whether ufw is active is unknown: `ufw status verbose` exited with 1: ERROR: problem running iptables/,
    );
    expect(test('ufw-active')?.message).toContain('no CAP_NET_ADMIN, as in an unprivileged container');
    expect(test('ufw-active')?.message).not.toMatch(/inactive/);
    expect(findings.errors).toEqual([expect.objectContaining({ code: 'status-unreadable' })]);
  });

  it('does not detect ufw where it is not installed', async () => {
    const host = new FixtureHost(`${fixtures}absent`);
    expect(await ufwPlugin.detect({ host, options: { allowStateChanges: false, settings: {} } })).toBeUndefined();
  });
});

describe('ufw output parsers', () => {
  it('reads the policies of `ufw status verbose`', () => {
    const status = parseUfwStatus(
      'Status: active\nLogging: on (medium)\nDefault: reject (incoming), allow (outgoing), allow (routed)\nNew profiles: skip\n',
    );
    expect(status).toEqual({
      active: true,
      logging: 'medium',
      defaults: { incoming: 'reject', outgoing: 'allow', routed: 'allow' },
      rules: [],
    });
    expect(parseUfwStatus('Logging: off\n')).toBeUndefined();
    expect(parseUfwStatus('Status: active\nLogging: off\n')?.logging).toBe('off');
  });

  it('reads `ufw show added` with and without rules', () => {
    expect(parseAddedRules("Added user rules (see 'ufw status' for running firewall):\n(None)\n")).toEqual([]);
    expect(parseAddedRules('Added user rules:\nufw allow 80/tcp\n')).toEqual(['allow 80/tcp']);
  });
});
