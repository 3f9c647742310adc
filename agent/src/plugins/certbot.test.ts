import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { solutionReportSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { FixtureHost } from '../host/fixture-host.js';
import { certbotPlugin, certbotSettings, cronRenewal, readCertificate } from './certbot.js';

const fixtures = fileURLToPath(new URL('../../fixtures/certbot/', import.meta.url));
const READ_ONLY = /^(dpkg-query|rpm|systemctl show|\/usr\/bin\/certbot --version$)/;

async function inspect(scenario: string, options: { allowStateChanges?: boolean; settings?: Record<string, unknown> } = {}) {
  const host = new FixtureHost(`${fixtures}${scenario}`);
  const context = {
    host,
    options: { allowStateChanges: options.allowStateChanges ?? false, settings: certbotSettings.parse(options.settings ?? {}) },
  };
  const detection = await certbotPlugin.detect(context);
  if (!detection) throw new Error(`certbot not detected in ${scenario}`);
  const findings = await certbotPlugin.inspect(context, detection);
  solutionReportSchema.parse({ id: certbotPlugin.id, detectedBy: detection.detectedBy, ...findings });
  const test = (id: string) => findings.tests.find((candidate) => candidate.id === id);
  return { host, detection, findings, test };
}

describe('certbot plugin', () => {
  it('reports each lineage: domains, renewal settings, days left (real certbot 2.1.0 lineages)', async () => {
    const { detection, findings, test, host } = await inspect('healthy');
    expect(detection.detectedBy).toEqual(['package', 'binary', 'unit', 'config']);
    expect(findings.version).toBe('2.1.0');
    expect(findings.configuration).toEqual({
      'cli.max-log-backups': '0',
      'cli.preconfigured-renewal': 'True',
      certificates: ['example.org', 'mail.example.org'],
      'certificate.example.org.authenticator': 'webroot',
      'certificate.example.org.server': 'https://acme-v02.api.letsencrypt.org/directory',
      'certificate.example.org.keyType': 'ecdsa',
      'certificate.example.org.webrootPath': ['/var/www/html'],
      'certificate.example.org.domains': ['example.org', 'www.example.org'],
      'certificate.mail.example.org.authenticator': 'standalone',
      'certificate.mail.example.org.server': 'https://acme-v02.api.letsencrypt.org/directory',
      'certificate.mail.example.org.keyType': 'rsa',
      'certificate.mail.example.org.rsaKeySize': 4096,
      'certificate.mail.example.org.domains': ['mail.example.org'],
    });
    expect(findings.metrics).toEqual({
      certificates: 2,
      'certificate.example.org.daysLeft': 89,
      'certificate.mail.example.org.daysLeft': 89,
      'certificates.expiringSoon': 0,
    });
    expect(findings.tests.map(({ id, type, passed }) => ({ id, type, passed }))).toEqual([
      { id: 'certificate-example.org', type: 'security', passed: true },
      { id: 'certificate-mail.example.org', type: 'security', passed: true },
      { id: 'renewal-configured', type: 'requirement', passed: true },
      { id: 'renewal-scheduled', type: 'operational', passed: true },
    ]);
    expect(test('certificate-example.org')?.message).toBe(
      'example.org is valid for another 89 days (until 2027-02-25) for example.org, www.example.org',
    );
    expect(test('renewal-scheduled')?.message).toBe(
      'renewal runs from /etc/cron.d/certbot (systemd is not running on this host, so certbot.timer cannot)',
    );
    expect(host.ran.filter((line) => !READ_ONLY.test(line))).toEqual([]);
    expect(findings.errors).toEqual([]);
  });

  it('warns about a certificate that expires in 9 days and a disabled renewal timer', async () => {
    const { findings, test, host } = await inspect('expiring-timer-disabled');
    expect(findings.metrics).toMatchObject({ 'certificate.mail.example.org.daysLeft': 9, 'certificates.expiringSoon': 1 });
    expect(test('certificate-mail.example.org')).toMatchObject({
      type: 'security',
      passed: false,
      message: 'mail.example.org expires in 9 days (2026-12-06; warn below 14 days)',
    });
    expect(test('certificate-example.org')?.passed).toBe(true);
    expect(test('renewal-scheduled')).toMatchObject({
      passed: false,
      message: 'nothing renews the certificates: certbot.timer is inactive and /etc/cron.d/certbot stands down when systemd runs',
    });
    expect(host.ran.filter((line) => !READ_ONLY.test(line))).toEqual([]);
  });

  it('does not count a cron job when no cron daemon runs to start it (and no systemd either)', async () => {
    const { test } = await inspect('dry-run-offline');
    expect(test('renewal-scheduled')).toMatchObject({
      passed: false,
      message: 'nothing renews the certificates: /etc/cron.d/certbot would, but no cron daemon is running, and systemd is not running on this host',
    });
  });

  it('takes the warning threshold from the settings', async () => {
    const { test, findings } = await inspect('expiring-timer-disabled', { settings: { minDaysBeforeExpiry: 7 } });
    expect(test('certificate-mail.example.org')?.passed).toBe(true);
    expect(findings.metrics['certificates.expiringSoon']).toBe(0);
  });

  it('simulates a renewal only when state changes are allowed, and reports why it failed (real offline capture)', async () => {
    const withoutConsent = await inspect('dry-run-offline');
    expect(withoutConsent.test('renewal-dry-run')).toBeUndefined();
    expect(withoutConsent.host.ran.some((line) => line.includes('renew'))).toBe(false);

    const { test, host } = await inspect('dry-run-offline', { allowStateChanges: true });
    expect(host.ran).toContain('/usr/bin/certbot renew --dry-run --no-random-sleep-on-renew');
    expect(test('renewal-dry-run')).toMatchObject({ type: 'integration', passed: false });
    expect(test('renewal-dry-run')?.message).toMatch(
      /^certbot renew --dry-run failed: Failed to renew certificate example\.org with error: HTTPSConnectionPool\(host='acme-staging-v02\.api\.letsencrypt\.org'/,
    );
  });

  it('reads certificates from another directory when told to', async () => {
    const { findings } = await inspect('healthy', { settings: { certificatesDir: '/etc/letsencrypt/live' } });
    expect(findings.configuration.certificates).toEqual(['example.org', 'mail.example.org']);
  });

  it('is not detected where certbot is not installed (real capture)', async () => {
    const host = new FixtureHost(`${fixtures}absent`);
    expect(await certbotPlugin.detect({ host, options: { allowStateChanges: false, settings: certbotSettings.parse({}) } })).toBeUndefined();
  });
});

describe('certbot helpers', () => {
  it('reads a PEM certificate', () => {
    const pem = readFileSync(`${fixtures}healthy/root/etc/letsencrypt/live/example.org/cert.pem`, 'utf8');
    expect(readCertificate(pem)).toMatchObject({
      notAfter: new Date('2027-02-25T11:11:30Z'),
      domains: ['example.org', 'www.example.org'],
      keyType: 'ecdsa',
    });
    expect(readCertificate('-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n')).toBeUndefined();
  });

  it("finds certbot renew in cron, and whether it stands down under systemd (Debian's does)", () => {
    const debian =
      "0 */12 * * * root test -x /usr/bin/certbot -a \\! -d /run/systemd/system && perl -e 'sleep int(rand(43200))' && certbot -q renew --no-random-sleep-on-renew";
    expect(cronRenewal(debian)).toEqual({ found: true, skippedUnderSystemd: true });
    expect(cronRenewal('17 3 * * * /usr/bin/certbot renew --quiet')).toEqual({ found: true, skippedUnderSystemd: false });
    expect(cronRenewal('# 17 3 * * * certbot renew')).toEqual({ found: false, skippedUnderSystemd: false });
  });
});
