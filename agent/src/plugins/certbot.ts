// Let's Encrypt certificates managed by certbot: each lineage's renewal configuration
// (/etc/letsencrypt/renewal/<name>.conf) and its certificate, read in-process (node:crypto parses
// the PEM; no openssl needed). Renewal is only simulated when state changes are allowed.
import { X509Certificate } from 'node:crypto';
import type { ConfigurationValue } from '@vigil/schema';
import { unitState } from '../host/queries.js';
import { parseIni } from './config-parsers.js';
import { runTest, type PluginContext, type SolutionFindings, type SolutionPlugin } from './plugin.js';
import { firstLine, timedOutMessage } from './lib/command.js';
import { findUnitFile, ifDetected, probeInstall, withSource, type Installation } from './lib/install.js';
import { keySegment, slugSegment } from './lib/report.js';
import { findProcesses } from './lib/service.js';
import { firstVersion } from './lib/text.js';
import { absolutePath, positiveNumber, settingsSchema, type SettingsOf } from './settings.js';

const DEFAULT_LIVE_DIR = '/etc/letsencrypt/live';
const MIN_DAYS_BEFORE_EXPIRY = 14;
const MAX_CERTIFICATES = 40;
const DRY_RUN_TIMEOUT_MS = 300_000;
const SNAP_CERTBOT = '/snap/bin/certbot';
const TIMERS = ['certbot.timer', 'snap.certbot.renew.timer'];
const CRON_DAEMONS = ['cron', 'crond', 'cronie', 'busybox-crond'];
const CRON_FILES = ['/etc/cron.d/certbot', '/etc/crontab', '/var/spool/cron/crontabs/root', '/var/spool/cron/root'];

/**
 * The options of certbot's `cli.ini` that are reported: those that say how certificates are issued
 * and renewed, none of which holds a secret. Everything else stays on the host: `eab-kid` and
 * `eab-hmac-key`, every DNS plugin's credentials and tokens (each plugin names its own), hooks (a
 * command line can hold a token), and options this list does not know.
 */
const REPORTED_CLI_OPTIONS = new Set([
  'server',
  'email',
  'agree-tos',
  'no-eff-email',
  'eff-email',
  'non-interactive',
  'text',
  'quiet',
  'authenticator',
  'installer',
  'webroot',
  'webroot-path',
  'preferred-challenges',
  'key-type',
  'rsa-key-size',
  'elliptic-curve',
  'reuse-key',
  'new-key',
  'must-staple',
  'staple-ocsp',
  'hsts',
  'uir',
  'redirect',
  'preferred-chain',
  'keep-until-expiring',
  'renew-by-default',
  'expand',
  'max-log-backups',
  'preconfigured-renewal',
  'config-dir',
  'work-dir',
  'logs-dir',
]);

/** Whether a cli.ini option is reported; `rsa_key_size` is certbot's other spelling of `rsa-key-size`. */
function isReportedCliOption(key: string): boolean {
  const option = key.trim().toLowerCase().replace(/_/g, '-');
  return REPORTED_CLI_OPTIONS.has(option) || /^dns-[a-z0-9]+-propagation-seconds$/.test(option);
}

function signals(liveDir: string) {
  const configDir = liveDir.replace(/\/[^/]+\/?$/, '');
  return {
    packages: ['certbot', 'python3-certbot'],
    binaries: ['certbot'],
    units: [...TIMERS, 'certbot.service'],
    configs: [`${configDir}/renewal`, liveDir, `${configDir}/cli.ini`],
  };
}

export interface CertificateFacts {
  notAfter: Date;
  domains: string[];
  issuer: string;
  keyType: string;
}

/** What the agent reports of a PEM certificate; undefined when it is not one. */
export function readCertificate(pem: string): CertificateFacts | undefined {
  try {
    const certificate = new X509Certificate(pem);
    const domains = (certificate.subjectAltName ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.startsWith('DNS:'))
      .map((entry) => entry.slice(4));
    const subjectName = /CN=([^\n]+)/.exec(certificate.subject)?.[1];
    return {
      notAfter: new Date(certificate.validTo),
      domains: domains.length > 0 ? domains : subjectName ? [subjectName] : [],
      issuer: certificate.issuer.replace(/\n/g, ', '),
      // certbot's own names for key types (`key_type = ecdsa` in a renewal file).
      keyType: certificate.publicKey.asymmetricKeyType === 'ec' ? 'ecdsa' : (certificate.publicKey.asymmetricKeyType ?? 'unknown'),
    };
  } catch {
    return undefined;
  }
}

/** A cron line that runs `certbot renew`, and whether it stands down when systemd runs (Debian's does). */
export function cronRenewal(text: string): { found: boolean; skippedUnderSystemd: boolean } {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && /\bcertbot\b.*\brenew\b/.test(line));
  return { found: lines.length > 0, skippedUnderSystemd: lines.length > 0 && lines.every((line) => line.includes('/run/systemd/system')) };
}

function describeDays(days: number): string {
  return `${days} day${Math.abs(days) === 1 ? '' : 's'}`;
}

export const certbotSettings = settingsSchema({
  /** certbot's `live/` directory; its parent is taken as certbot's config directory. */
  certificatesDir: absolutePath.default(DEFAULT_LIVE_DIR),
  minDaysBeforeExpiry: positiveNumber(MIN_DAYS_BEFORE_EXPIRY),
});

/** The installation, and the certbot to run: on the search path, else the snap's. */
interface CertbotInstallation extends Installation {
  certbot?: string;
}

export const certbotPlugin: SolutionPlugin<typeof certbotSettings, CertbotInstallation> = {
  id: 'certbot',
  settings: certbotSettings,

  async detect({ host, options }) {
    const install = await probeInstall(host, signals(options.settings.certificatesDir));
    if (install.binaries.certbot) return { ...install, certbot: install.binaries.certbot };
    if ((await host.stat(SNAP_CERTBOT))?.isFile) return { ...install, detectedBy: withSource(install.detectedBy, 'binary'), certbot: SNAP_CERTBOT };
    return ifDetected(install);
  },

  async inspect({ host, options }: PluginContext<SettingsOf<typeof certbotSettings>>, install): Promise<SolutionFindings> {
    const errors: SolutionFindings['errors'] = [];
    const liveDir = options.settings.certificatesDir;
    const configDir = liveDir.replace(/\/[^/]+\/?$/, '');
    const certbot = install.certbot;
    const configuration: Record<string, ConfigurationValue> = {};
    const metrics: Record<string, number> = {};
    const tests: SolutionFindings['tests'] = [];

    let version: string | null = null;
    if (certbot) {
      const result = await host.run(certbot, ['--version'], { timeoutMs: 30_000 });
      if (result.timedOut) errors.push({ code: 'version-timeout', message: timedOutMessage('certbot --version', 30_000) });
      else version = firstVersion(`${result.stdout}\n${result.stderr}`) ?? null;
    }
    version ??= install.packageVersion ?? null;

    const cli = await host.readFile(`${configDir}/cli.ini`);
    if (cli !== undefined) {
      // Secrets can live in cli.ini (an EAB HMAC key, a DNS plugin's token under any name it likes,
      // a hook command with a token in it): only the options known to be no secret are reported.
      const settings = [...(parseIni(cli).get('')?.entries() ?? [])].filter(([key]) => isReportedCliOption(key));
      for (const [key, value] of settings.slice(0, 20)) {
        configuration[`cli.${keySegment(key)}`] = value;
      }
    }

    // Lineages: a live/ directory or a renewal/*.conf file, whichever exists.
    const liveNames = ((await host.listDir(liveDir)) ?? []).filter((name) => name !== 'README');
    const renewalNames = ((await host.listDir(`${configDir}/renewal`)) ?? [])
      .filter((name) => name.endsWith('.conf'))
      .map((name) => name.slice(0, -'.conf'.length));
    const names = [...new Set([...liveNames, ...renewalNames])].sort();
    if (names.length > MAX_CERTIFICATES) {
      errors.push({ code: 'too-many-certificates', message: `${names.length} certificates found; the first ${MAX_CERTIFICATES} are reported` });
    }
    configuration.certificates = names.slice(0, MAX_CERTIFICATES);
    metrics.certificates = names.length;

    const minDays = options.settings.minDaysBeforeExpiry;
    const now = host.now();
    let expiringSoon = 0;
    const missingRenewal: string[] = [];
    const testIds = new Set<string>();
    for (const name of names.slice(0, MAX_CERTIFICATES)) {
      const key = `certificate.${keySegment(name)}`;
      const renewalText = await host.readFile(`${configDir}/renewal/${name}.conf`);
      const renewal = renewalText !== undefined ? parseIni(renewalText) : undefined;
      const params = renewal?.get('renewalparams');
      if (!renewal || !params?.get('authenticator')) missingRenewal.push(name);
      if (params) {
        const chosen: [string, string][] = [
          ['authenticator', 'authenticator'],
          ['installer', 'installer'],
          ['server', 'server'],
          ['keyType', 'key_type'],
          ['rsaKeySize', 'rsa_key_size'],
          ['ellipticCurve', 'elliptic_curve'],
          ['preferredChain', 'preferred_chain'],
          ['mustStaple', 'must_staple'],
        ];
        for (const [label, field] of chosen) {
          const value = params.get(field);
          if (value !== undefined && value !== 'None') configuration[`${key}.${label}`] = /^\d+$/.test(value) ? Number(value) : value;
        }
        const webroot = params.get('webroot_path');
        if (webroot)
          configuration[`${key}.webrootPath`] = webroot
            .split(',')
            .map((path) => path.trim())
            .filter(Boolean);
      }

      const certPath = renewal?.get('')?.get('cert') ?? `${liveDir}/${name}/cert.pem`;
      const pem = await host.readFile(certPath, { maxBytes: 64 * 1024 });
      const facts = pem !== undefined ? readCertificate(pem) : undefined;
      if (facts) {
        configuration[`${key}.domains`] = facts.domains.slice(0, 100);
        configuration[`${key}.keyType`] ??= facts.keyType;
        const daysLeft = Math.floor((facts.notAfter.getTime() - now.getTime()) / 86_400_000);
        metrics[`${key}.daysLeft`] = daysLeft;
        if (daysLeft < minDays) expiringSoon += 1;
      }

      // Lineage names are unique, their slugs nearly so: a report refuses two tests with one id.
      let testId = `certificate-${slugSegment(name)}`;
      for (let suffix = 2; testIds.has(testId); suffix += 1) testId = `certificate-${slugSegment(name)}-${suffix}`;
      testIds.add(testId);
      tests.push(
        await runTest(host, testId, 'security', async () => {
          if (pem === undefined) return { passed: false, message: `${name}: cannot read ${certPath}` };
          if (!facts) return { passed: false, message: `${name}: ${certPath} is not a PEM certificate` };
          const until = facts.notAfter.toISOString().slice(0, 10);
          const daysLeft = Math.floor((facts.notAfter.getTime() - now.getTime()) / 86_400_000);
          if (facts.notAfter.getTime() <= now.getTime()) {
            return { passed: false, message: `${name} expired ${describeDays(Math.max(1, -daysLeft))} ago (${until})` };
          }
          if (/STAGING|Fake LE|\(STAGING\)/i.test(facts.issuer)) {
            return { passed: false, message: `${name} is a staging (test) certificate, which browsers do not trust (issuer ${facts.issuer})` };
          }
          if (daysLeft < minDays) {
            return { passed: false, message: `${name} expires in ${describeDays(daysLeft)} (${until}; warn below ${minDays} days)` };
          }
          return { passed: true, message: `${name} is valid for another ${describeDays(daysLeft)} (until ${until}) for ${facts.domains.join(', ')}` };
        }),
      );
    }
    metrics['certificates.expiringSoon'] = expiringSoon;

    tests.push(
      await runTest(host, 'renewal-configured', 'requirement', async () => {
        if (names.length === 0) return { passed: false, message: `no certificate is managed by certbot here (${liveDir} is empty)` };
        if (missingRenewal.length > 0) {
          return {
            passed: false,
            message: `no usable renewal configuration for ${missingRenewal.join(', ')}: certbot will not renew ${missingRenewal.length === 1 ? 'it' : 'them'}`,
          };
        }
        return { passed: true, message: `every certificate has a renewal configuration in ${configDir}/renewal` };
      }),
    );

    tests.push(
      await runTest(host, 'renewal-scheduled', 'operational', async () => {
        const timers: string[] = [];
        for (const timer of TIMERS) if (await findUnitFile(host, timer)) timers.push(timer);
        const cron = { found: false, skippedUnderSystemd: true, file: '' };
        for (const file of CRON_FILES) {
          const text = await host.readFile(file);
          const found = text !== undefined ? cronRenewal(text) : undefined;
          if (found?.found) {
            Object.assign(cron, found, { file });
            if (!found.skippedUnderSystemd) break;
          }
        }
        const probe = await unitState(host, timers[0] ?? 'certbot.timer');
        if (probe.systemdRunning) {
          const states: string[] = [];
          for (const timer of timers) {
            const state = await unitState(host, timer);
            if (state.systemdRunning && state.activeState === 'active') return { passed: true, message: `${timer} is active` };
            if (state.systemdRunning) states.push(`${timer} is ${state.activeState}`);
          }
          if (cron.found && !cron.skippedUnderSystemd) return { passed: true, message: `renewal runs from ${cron.file}` };
          const timerState = states.length > 0 ? states.join(', ') : 'no certbot timer is installed';
          const cronNote = cron.found ? ` and ${cron.file} stands down when systemd runs` : '';
          return { passed: false, message: `nothing renews the certificates: ${timerState}${cronNote}` };
        }
        if (cron.found) {
          // A cron job only runs while a cron daemon does.
          const daemons = await findProcesses(host, CRON_DAEMONS);
          if (daemons.length > 0) {
            return {
              passed: true,
              message: `renewal runs from ${cron.file} (systemd is not running on this host, so ${timers[0] ?? 'certbot.timer'} cannot)`,
            };
          }
          return {
            passed: false,
            message: `nothing renews the certificates: ${cron.file} would, but no cron daemon is running, and systemd is not running on this host`,
          };
        }
        return { passed: false, message: 'nothing renews the certificates: systemd is not running on this host and no cron job runs certbot renew' };
      }),
    );

    if (options.allowStateChanges && certbot && names.length > 0) {
      // A dry run talks to the staging CA and runs the renewal hooks (which may reload web servers).
      tests.push(
        await runTest(host, 'renewal-dry-run', 'integration', async () => {
          const result = await host.run(certbot, ['renew', '--dry-run', '--no-random-sleep-on-renew'], { timeoutMs: DRY_RUN_TIMEOUT_MS });
          if (result.timedOut) return { passed: false, message: timedOutMessage('certbot renew --dry-run', DRY_RUN_TIMEOUT_MS) };
          const output = `${result.stdout}\n${result.stderr}`;
          if (result.exitCode === 0) return { passed: true, message: 'certbot renew --dry-run: all simulated renewals succeeded' };
          const failure =
            output
              .split('\n')
              .find((line) => /fail|error/i.test(line))
              ?.trim() ??
            firstLine(output) ??
            `exit code ${result.exitCode}`;
          return { passed: false, message: `certbot renew --dry-run failed: ${failure}` };
        }),
      );
    }

    return { version, configuration, metrics, tests, errors };
  },
};
