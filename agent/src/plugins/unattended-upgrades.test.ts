import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { solutionReportSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { FixtureHost } from '../host/fixture-host.js';
import {
  aptList,
  aptScalar,
  isSecurityOrigin,
  parseAptConfFiles,
  parseAptConfigDump,
  summarizeLastRun,
  unattendedUpgradesPlugin,
  unattendedUpgradesSettings,
} from './unattended-upgrades.js';

const fixtures = fileURLToPath(new URL('../../fixtures/unattended-upgrades/', import.meta.url));
const READ_ONLY = /^(dpkg-query|rpm|systemctl show|apt-config dump)( |$)/;

async function inspect(scenario: string, settings: Record<string, unknown> = {}) {
  const host = new FixtureHost(`${fixtures}${scenario}`);
  const context = { host, options: { allowStateChanges: false, settings: unattendedUpgradesSettings.parse(settings) } };
  const detection = await unattendedUpgradesPlugin.detect(context);
  if (!detection) throw new Error(`unattended-upgrades not detected in ${scenario}`);
  const findings = await unattendedUpgradesPlugin.inspect(context, detection);
  solutionReportSchema.parse({ id: unattendedUpgradesPlugin.id, detectedBy: detection.detectedBy, ...findings });
  expect(host.ran.filter((line) => !READ_ONLY.test(line))).toEqual([]);
  const test = (id: string) => findings.tests.find((candidate) => candidate.id === id);
  return { detection, findings, test };
}

const NO_SYSTEMD = 'systemd is not running on this host (as in a container or chroot)';
const NO_TIMERS = `${NO_SYSTEMD}, so the apt-daily timers cannot fire`;

const DEBIAN_ORIGINS = [
  'origin=Debian,codename=${distro_codename},label=Debian',
  'origin=Debian,codename=${distro_codename},label=Debian-Security',
  'origin=Debian,codename=${distro_codename}-security,label=Debian-Security',
];

describe('unattended-upgrades plugin', () => {
  it('passes a host that upgrades daily and ran today (real Debian 12 configuration and log)', async () => {
    const { detection, findings, test } = await inspect('healthy');
    expect(detection.detectedBy).toEqual(['package', 'binary', 'unit', 'config']);
    expect(findings.version).toBe('2.9.1+nmu3');
    expect(findings.configuration).toEqual({
      'APT::Periodic::Update-Package-Lists': '1',
      'APT::Periodic::Unattended-Upgrade': '1',
      'Unattended-Upgrade::Origins-Pattern': DEBIAN_ORIGINS,
      'Unattended-Upgrade::Allowed-Origins': [],
      'Unattended-Upgrade::Package-Blacklist': [],
    });
    expect(findings.metrics).toEqual({ daysSinceLastRun: 0, packagesInLastRun: 12, errorsInLastRun: 0 });
    expect(findings.tests.map(({ id, type, passed }) => ({ id, type, passed }))).toEqual([
      { id: 'installed', type: 'presence', passed: true },
      { id: 'auto-upgrades-enabled', type: 'operational', passed: true },
      { id: 'security-origins-allowed', type: 'security', passed: true },
      { id: 'recent-run', type: 'operational', passed: true },
      { id: 'scheduler-active', type: 'requirement', passed: true },
    ]);
    expect(test('auto-upgrades-enabled')?.message).toBe(
      'package lists are refreshed and upgrades installed every day (APT::Periodic::Update-Package-Lists "1", APT::Periodic::Unattended-Upgrade "1")',
    );
    expect(test('recent-run')?.message).toBe('unattended-upgrades last ran 0 days ago (2026-11-27 11:09 UTC)');
    expect(findings.errors).toEqual([]);
  });

  it('fails when the administrator switched automatic upgrades off, in a container without systemd', async () => {
    const { findings, test } = await inspect('disabled');
    expect(findings.configuration).toMatchObject({
      'APT::Periodic::Update-Package-Lists': '0',
      'APT::Periodic::Unattended-Upgrade': '0',
    });
    expect(findings.metrics).toEqual({});
    expect(test('auto-upgrades-enabled')).toMatchObject({
      passed: false,
      message:
        'APT::Periodic::Update-Package-Lists is "0": package lists are never refreshed automatically; APT::Periodic::Unattended-Upgrade is "0": upgrades are never installed automatically',
    });
    expect(test('security-origins-allowed')?.passed).toBe(true);
    expect(test('recent-run')).toMatchObject({
      passed: false,
      message: `unattended-upgrades has never run here: /var/log/unattended-upgrades/unattended-upgrades.log does not exist; automatic upgrades are switched off; ${NO_TIMERS}; /etc/cron.daily/apt-compat, which cron would run instead, does not exist; no cron daemon is installed (cron or crond): nothing starts the daily upgrade`,
    });
    expect(test('scheduler-active')).toMatchObject({
      passed: false,
      message: `${NO_TIMERS}; /etc/cron.daily/apt-compat, which cron would run instead, does not exist; no cron daemon is installed (cron or crond): nothing starts the daily upgrade`,
    });
  });

  it("passes the scheduler without systemd when cron runs apt's daily job, and says so", async () => {
    const { findings, test } = await inspect('cron-scheduled');
    expect(findings.tests.every((each) => each.passed)).toBe(true);
    expect(test('scheduler-active')).toMatchObject({
      type: 'requirement',
      passed: true,
      message: `${NO_SYSTEMD}, so cron starts the daily upgrade: /etc/cron.daily/apt-compat is in place and a cron daemon is installed (/usr/sbin/cron)`,
    });
  });

  it('fails the scheduler without systemd when no cron daemon would run apt-compat (real Debian 12 container)', async () => {
    const { test } = await inspect('cron-missing');
    const problem = `${NO_TIMERS}; no cron daemon is installed (cron or crond): nothing starts the daily upgrade`;
    expect(test('scheduler-active')).toMatchObject({ passed: false, message: problem });
    expect(test('recent-run')).toMatchObject({
      passed: false,
      message: `unattended-upgrades has never run here: /var/log/unattended-upgrades/unattended-upgrades.log does not exist; ${problem}`,
    });
  });

  it("fails the scheduler when apt-compat is not executable, which cron's run-parts skips", async () => {
    // The fixture's own file mode (0644, kept by git), read as on a real host.
    expect(((await new FixtureHost(`${fixtures}cron-not-executable`).stat('/etc/cron.daily/apt-compat'))?.mode ?? 0) & 0o777).toBe(0o644);
    const { test } = await inspect('cron-not-executable');
    expect(test('scheduler-active')).toMatchObject({
      passed: false,
      message: `${NO_TIMERS}; /etc/cron.daily/apt-compat is not executable, so cron's run-parts skips it: nothing starts the daily upgrade`,
    });
  });

  it('fails a host that last upgraded 30 days ago and allows no security origin', async () => {
    const { findings, test } = await inspect('stale');
    expect(findings.configuration['Unattended-Upgrade::Origins-Pattern']).toEqual([DEBIAN_ORIGINS[0]]);
    expect(findings.metrics).toEqual({ daysSinceLastRun: 30, packagesInLastRun: 12, errorsInLastRun: 0 });
    expect(test('auto-upgrades-enabled')?.passed).toBe(true);
    expect(test('security-origins-allowed')).toMatchObject({
      passed: false,
      message:
        'no allowed origin is a security archive (origin=Debian,codename=${distro_codename},label=Debian): security updates are not installed automatically',
    });
    expect(test('recent-run')).toMatchObject({
      passed: false,
      message:
        'unattended-upgrades last ran 30 days ago (2026-10-28 06:29 UTC), more than 3 days; apt-daily-upgrade.timer is inactive (disabled): nothing starts the daily upgrade',
    });
    expect(test('scheduler-active')?.message).toBe('apt-daily-upgrade.timer is inactive (disabled): nothing starts the daily upgrade');
  });

  it('takes the allowed age of the last run from the settings', async () => {
    const { test } = await inspect('stale', { maxDaysSinceRun: 45 });
    expect(test('recent-run')?.passed).toBe(true);
  });

  it('does not detect unattended-upgrades where it is not installed', async () => {
    const host = new FixtureHost(`${fixtures}absent`);
    expect(
      await unattendedUpgradesPlugin.detect({ host, options: { allowStateChanges: false, settings: unattendedUpgradesSettings.parse({}) } }),
    ).toBeUndefined();
  });
});

describe('APT configuration readers', () => {
  it('reads the real configuration files as `apt-config dump` does', () => {
    const root = `${fixtures}healthy/root/etc/apt/apt.conf.d/`;
    const fromFiles = parseAptConfFiles([readFileSync(`${root}20auto-upgrades`, 'utf8'), readFileSync(`${root}50unattended-upgrades`, 'utf8')]);
    const dump = JSON.parse(readFileSync(`${fixtures}healthy/commands.json`, 'utf8')) as Record<string, { stdout: string }>;
    const fromDump = parseAptConfigDump(dump['apt-config dump APT::Periodic Unattended-Upgrade']!.stdout);
    for (const config of [fromFiles, fromDump]) {
      expect(aptScalar(config, 'APT::Periodic::Unattended-Upgrade')).toBe('1');
      expect(aptList(config, 'unattended-upgrade::origins-pattern')).toEqual(DEBIAN_ORIGINS);
    }
    expect(aptScalar(fromFiles, 'Unattended-Upgrade::Automatic-Reboot')).toBeUndefined();
  });

  it('handles nested blocks, comments, #clear and later overrides', () => {
    const config = parseAptConfFiles([
      '/* old */ APT::Periodic { Unattended-Upgrade "1"; }; // daily\nUnattended-Upgrade::Allowed-Origins { "${distro_id}:${distro_codename}-security"; };',
      '# local\nAPT::Periodic::Unattended-Upgrade "0";\n#clear Unattended-Upgrade::Allowed-Origins;\nUnattended-Upgrade { Mail "root"; };',
    ]);
    expect(aptScalar(config, 'APT::Periodic::Unattended-Upgrade')).toBe('0');
    expect(aptList(config, 'Unattended-Upgrade::Allowed-Origins')).toEqual([]);
    expect(aptScalar(config, 'Unattended-Upgrade::Mail')).toBe('root');
  });

  it('recognizes Debian and Ubuntu security origins', () => {
    expect(isSecurityOrigin('${distro_id}:${distro_codename}-security')).toBe(true);
    expect(isSecurityOrigin('origin=Debian,codename=${distro_codename},label=Debian-Security')).toBe(true);
    expect(isSecurityOrigin('${distro_id}:${distro_codename}-updates')).toBe(false);
  });

  it('summarizes the last run of the log', () => {
    const log = [
      '2026-11-26 06:10:01,100 INFO Starting unattended upgrades script',
      '2026-11-26 06:10:09,100 INFO Packages that will be upgraded: old',
      '2026-11-27 06:10:01,100 INFO Starting unattended upgrades script',
      '2026-11-27 06:10:09,100 INFO Packages that will be upgraded: curl libcurl4',
      '2026-11-27 06:11:09,100 ERROR Installing the upgrades failed!',
    ].join('\n');
    expect(summarizeLastRun(log)).toEqual({ packages: 2, errors: 1 });
    expect(summarizeLastRun('')).toBeUndefined();
  });
});
