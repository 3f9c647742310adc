// ClamAV: clamscan/clamd, freshclam and their signature databases. The functional test scans the
// EICAR test string, through clamd when it answers (what the host really uses), else with clamscan.
import type { ConfigurationValue } from '@vigil/schema';
import type { Host } from '../host/host.js';
import { runTest, type PluginContext, type SolutionFindings, type SolutionPlugin } from './plugin.js';
import { firstLine } from './lib/command.js';
import { findInstallation, type Installation } from './lib/install.js';
import { serviceVerdict } from './lib/service.js';
import { firstVersion, parseKeyValueLines, plural } from './lib/text.js';
import { ageHours, describeAge } from './lib/time.js';
import { positiveNumber, settingsSchema, type SettingsOf } from './settings.js';

const CLAMD_CONFIGS = ['/etc/clamav/clamd.conf', '/etc/clamd.d/scan.conf', '/etc/clamd.conf'];
const FRESHCLAM_CONFIGS = ['/etc/clamav/freshclam.conf', '/etc/freshclam.conf'];
const DEFAULT_DATABASE_DIR = '/var/lib/clamav';
const SIGNATURE_MAX_AGE_DAYS = 3;
const CLAMSCAN_TIMEOUT_MS = 120_000;
const CLAMD_TIMEOUT_MS = 60_000;

const SIGNALS = {
  packages: ['clamav', 'clamav-daemon', 'clamav-freshclam', 'clamd', 'clamav-update'],
  binaries: ['clamscan', 'clamdscan', 'clamd', 'freshclam'],
  units: ['clamav-daemon.service', 'clamav-freshclam.service', 'clamd@scan.service'],
  configs: [...CLAMD_CONFIGS, ...FRESHCLAM_CONFIGS],
};

/** The settings whose change deserves a look: update cadence and sources, what clamd scans and how deep. */
const FRESHCLAM_KEYS = [
  'Checks',
  'DatabaseMirror',
  'PrivateMirror',
  'DatabaseCustomURL',
  'ScriptedUpdates',
  'TestDatabases',
  'Bytecode',
  'NotifyClamd',
  'DatabaseDirectory',
];
const CLAMD_KEYS = [
  'LocalSocket',
  'TCPSocket',
  'TCPAddr',
  'User',
  'DatabaseDirectory',
  'OfficialDatabaseOnly',
  'SelfCheck',
  'ScanArchive',
  'ScanPE',
  'ScanELF',
  'ScanOLE2',
  'ScanPDF',
  'ScanHTML',
  'ScanMail',
  'ScanXMLDOCS',
  'ScanHWP3',
  'DetectPUA',
  'HeuristicAlerts',
  'AlgorithmicDetection',
  'HeuristicScanPrecedence',
  'AlertBrokenExecutables',
  'AlertEncrypted',
  'AlertOLE2Macros',
  'PhishingSignatures',
  'BytecodeSecurity',
  'MaxScanSize',
  'MaxFileSize',
  'MaxRecursion',
  'MaxFiles',
  'MaxScanTime',
  'StreamMaxLength',
  'ExcludePath',
  'OnAccessIncludePath',
  'OnAccessExcludePath',
  'OnAccessPrevention',
];
const LIST_KEYS = new Set(['DatabaseMirror', 'PrivateMirror', 'DatabaseCustomURL', 'ExcludePath', 'OnAccessIncludePath', 'OnAccessExcludePath']);

/**
 * The EICAR test string, assembled at run time so the agent's own files never contain it (a scanner
 * would flag the agent itself).
 */
export function eicarTestString(): string {
  return ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-', 'TEST-FILE!$H+H*'].join('');
}

export interface SignatureDatabase {
  name: string;
  file: string;
  version?: number;
  signatures?: number;
  builtAt?: Date;
  mtimeMs: number;
}

/**
 * The 512-byte header of a .cvd/.cld/.cud file:
 * `ClamAV-VDB:<build time>:<version>:<signatures>:<flevel>:<md5>:<dsig>:<builder>:<build epoch>`.
 */
export function parseDatabaseHeader(header: string): Pick<SignatureDatabase, 'version' | 'signatures' | 'builtAt'> | undefined {
  if (!header.startsWith('ClamAV-VDB:')) return undefined;
  const fields = header.slice(0, 512).trim().split(':');
  const version = Number(fields[2]);
  const signatures = Number(fields[3]);
  const epoch = Number(fields[8]);
  const builtAt = Number.isFinite(epoch) && epoch > 0 ? new Date(epoch * 1000) : parseHeaderDate(fields[1] ?? '');
  return {
    ...(Number.isInteger(version) ? { version } : {}),
    ...(Number.isInteger(signatures) ? { signatures } : {}),
    ...(builtAt ? { builtAt } : {}),
  };
}

/** "27 Nov 2026 11-04 +0000" (the header's own time format). */
function parseHeaderDate(text: string): Date | undefined {
  const match = /^(\d{1,2}) (\w{3}) (\d{4}) (\d{2})-(\d{2}) ([+-]\d{4})$/.exec(text.trim());
  if (!match) return undefined;
  const date = new Date(`${match[2]} ${match[1]} ${match[3]} ${match[4]}:${match[5]}:00 GMT${match[6]}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function configValue(values: string[], key: string): ConfigurationValue {
  const typed = values.map((value): string | number | boolean => {
    if (/^(yes|true)$/i.test(value)) return true;
    if (/^(no|false)$/i.test(value)) return false;
    if (/^\d+$/.test(value)) return Number(value);
    return value;
  });
  return LIST_KEYS.has(key) || typed.length > 1 ? typed : typed[0]!;
}

async function firstReadable(host: Host, files: string[]): Promise<{ file: string; text: string } | undefined> {
  for (const file of files) {
    const text = await host.readFile(file);
    if (text !== undefined) return { file, text };
  }
  return undefined;
}

async function readDatabases(host: Host, dir: string): Promise<SignatureDatabase[]> {
  const names = (await host.listDir(dir)) ?? [];
  const databases: SignatureDatabase[] = [];
  for (const entry of names.filter((name) => /\.(cvd|cld|cud)$/.test(name))) {
    const file = `${dir}/${entry}`;
    const stat = await host.stat(file);
    if (!stat?.isFile) continue;
    const header = parseDatabaseHeader((await host.readFile(file, { maxBytes: 512 })) ?? '');
    databases.push({ name: entry.replace(/\.\w+$/, ''), file, mtimeMs: stat.mtimeMs, ...header });
  }
  return databases;
}

export const clamavSettings = settingsSchema({
  /** signatures-fresh fails when the database was built longer ago than this. */
  maxSignatureAgeDays: positiveNumber(SIGNATURE_MAX_AGE_DAYS),
});

export const clamavPlugin: SolutionPlugin<typeof clamavSettings, Installation> = {
  id: 'clamav',
  settings: clamavSettings,

  detect: ({ host }) => findInstallation(host, SIGNALS),

  async inspect({ host, options }: PluginContext<SettingsOf<typeof clamavSettings>>, install): Promise<SolutionFindings> {
    const errors: SolutionFindings['errors'] = [];
    const configuration: Record<string, ConfigurationValue> = {};
    const metrics: Record<string, number> = {};

    // Version: the engine's own answer, else the package's.
    let version: string | null = null;
    const versionBinary = install.binaries.clamscan ?? install.binaries.clamd ?? install.binaries.freshclam;
    if (versionBinary) {
      const result = await host.run(versionBinary, ['--version'], { timeoutMs: 10_000 });
      if (result.timedOut) errors.push({ code: 'version-timeout', message: `${versionBinary} --version did not answer within 10 s` });
      else version = firstVersion(result.stdout) ?? null;
    }
    version ??= install.packageVersion ?? null;

    const freshclam = await firstReadable(host, FRESHCLAM_CONFIGS);
    const freshclamSettings = freshclam ? parseKeyValueLines(freshclam.text) : new Map<string, string[]>();
    for (const key of FRESHCLAM_KEYS) {
      const values = freshclamSettings.get(key);
      if (values) configuration[`freshclam.${key}`] = configValue(values, key);
    }
    const clamdConfig = await firstReadable(host, CLAMD_CONFIGS);
    const clamdSettings = clamdConfig ? parseKeyValueLines(clamdConfig.text) : new Map<string, string[]>();
    for (const key of CLAMD_KEYS) {
      const values = clamdSettings.get(key);
      if (values) configuration[`clamd.${key}`] = configValue(values, key);
    }
    const clamdInstalled = Boolean(install.binaries.clamd || install.units['clamav-daemon.service'] || install.units['clamd@scan.service']);
    if (clamdInstalled && !clamdConfig) {
      errors.push({ code: 'config-unreadable', message: `clamd is installed but none of ${CLAMD_CONFIGS.join(', ')} could be read` });
    }

    // Signature databases: their headers say how many signatures and when ClamAV built them.
    const databaseDir = clamdSettings.get('DatabaseDirectory')?.[0] ?? freshclamSettings.get('DatabaseDirectory')?.[0] ?? DEFAULT_DATABASE_DIR;
    const databases = await readDatabases(host, databaseDir);
    const signatureCount = databases.reduce((sum, database) => sum + (database.signatures ?? 0), 0);
    if (databases.length > 0) metrics.signatures = signatureCount;
    for (const database of databases) {
      if (database.version !== undefined) metrics[`database.${database.name}.version`] = database.version;
    }
    const daily = databases.find((database) => database.name === 'daily');
    const newestBuild = (database: SignatureDatabase) => database.builtAt?.getTime() ?? database.mtimeMs;
    const freshest = daily ?? [...databases].sort((a, b) => newestBuild(b) - newestBuild(a))[0];
    const signatureAgeHours = freshest ? ageHours(host, newestBuild(freshest)) : undefined;
    if (signatureAgeHours !== undefined) metrics['database.ageHours'] = signatureAgeHours;

    const tests: SolutionFindings['tests'] = [];
    const maxAgeDays = options.settings.maxSignatureAgeDays;
    tests.push(
      await runTest(host, 'signatures-fresh', 'operational', async () => {
        if (!freshest || signatureAgeHours === undefined) {
          return { passed: false, message: `no signature database in ${databaseDir} (freshclam has not downloaded one yet)` };
        }
        const label = `${freshest.name}${freshest.version !== undefined ? ` ${freshest.version}` : ''}`;
        const built = new Date(newestBuild(freshest)).toISOString().slice(0, 10);
        if (signatureAgeHours > maxAgeDays * 24) {
          return {
            passed: false,
            message: `signature database is ${describeAge(signatureAgeHours)} old (limit ${maxAgeDays} days; ${label} built ${built})`,
          };
        }
        return {
          passed: true,
          message: `signature database is ${describeAge(signatureAgeHours)} old (${label}, ${plural(signatureCount, 'signature')})`,
        };
      }),
    );

    // clamd: asked directly, since a unit can be "active" while its socket is dead.
    let clamdAnswers = false;
    const clamdscan = install.binaries.clamdscan;
    const clamdArgs = clamdConfig ? [`--config-file=${clamdConfig.file}`] : [];
    if (clamdInstalled) {
      tests.push(
        await runTest(host, 'daemon-responds', 'operational', async () => {
          if (!clamdscan) return { passed: false, message: 'clamdscan is not installed, so clamd cannot be asked' };
          const ping = await host.run(clamdscan, [...clamdArgs, '--ping', '1'], { timeoutMs: 15_000 });
          clamdAnswers = ping.exitCode === 0 && /PONG/.test(ping.stdout);
          if (clamdAnswers) return { passed: true, message: 'clamd answers PING with PONG' };
          const unit = install.units['clamd@scan.service'] ? 'clamd@scan.service' : 'clamav-daemon.service';
          const service = await serviceVerdict(host, { label: 'clamd', unit, processNames: ['clamd'] });
          const why = ping.timedOut ? 'no answer within 15 s' : (firstLine(ping.stderr) ?? firstLine(ping.stdout) ?? 'no answer');
          return { passed: false, message: `clamd does not answer a ping (${why}); ${service.message}` };
        }),
      );
    }

    tests.push(
      await runTest(host, 'eicar-detected', 'security', async () => {
        const scanner = clamdAnswers && clamdscan ? 'clamdscan' : install.binaries.clamscan ? 'clamscan' : undefined;
        if (!scanner) {
          return { passed: false, message: 'nothing can scan: clamd does not answer and clamscan is not installed' };
        }
        const probe = await host.writeTempFile(eicarTestString());
        try {
          // clamd runs as its own user and cannot open the agent's private temp file: hand it the descriptor
          // over a local socket, or stream the content over TCP.
          const viaSocket = clamdSettings.has('LocalSocket') || !clamdSettings.has('TCPSocket');
          const args =
            scanner === 'clamdscan' ? [...clamdArgs, '--no-summary', viaSocket ? '--fdpass' : '--stream', probe.path] : ['--no-summary', probe.path];
          const timeoutMs = scanner === 'clamdscan' ? CLAMD_TIMEOUT_MS : CLAMSCAN_TIMEOUT_MS;
          const binary = scanner === 'clamdscan' ? clamdscan! : install.binaries.clamscan!;
          const result = await host.run(binary, args, { timeoutMs });
          if (result.timedOut) return { passed: false, message: `${scanner} did not finish within ${timeoutMs / 1000} s` };
          const found = /:\s*(\S+)\s+FOUND\s*$/m.exec(result.stdout);
          if (result.exitCode === 1 && found) {
            return { passed: true, message: `EICAR test file detected as ${found[1]} (${scanner})` };
          }
          if (result.exitCode === 0) {
            return { passed: false, message: `EICAR test file was not detected by ${scanner}: the signature database may be missing or incomplete` };
          }
          const why = firstLine(result.stderr) ?? firstLine(result.stdout) ?? `exit code ${result.exitCode}`;
          return { passed: false, message: `${scanner} could not scan the EICAR test file: ${why}` };
        } finally {
          await probe.remove();
        }
      }),
    );

    return { version, configuration, metrics, tests, errors };
  },
};
