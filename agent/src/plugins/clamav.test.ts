import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { solutionReportSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { FixtureHost } from '../host/fixture-host.js';
import { clamavPlugin, clamavSettings, eicarTestString, parseDatabaseHeader } from './clamav.js';

const fixtures = fileURLToPath(new URL('../../fixtures/clamav/', import.meta.url));
/** Everything the plugin may run: look-ups, version queries, a ping and scans of its own temp file. */
const READ_ONLY =
  /^(dpkg-query|rpm|systemctl show|\/usr\/bin\/clamscan (--version|--no-summary \/tmp\/vigil-test-\d+)$|\/usr\/bin\/clamdscan --config-file=\S+ (--ping 1|--no-summary --fdpass \/tmp\/vigil-test-\d+)$)/;

async function inspect(scenario: string, settings: Record<string, unknown> = {}) {
  const host = new FixtureHost(`${fixtures}${scenario}`);
  const context = { host, options: { allowStateChanges: false, settings: clamavSettings.parse(settings) } };
  const detection = await clamavPlugin.detect(context);
  if (!detection) throw new Error(`clamav not detected in ${scenario}`);
  const findings = await clamavPlugin.inspect(context, detection);
  solutionReportSchema.parse({ id: clamavPlugin.id, detectedBy: detection.detectedBy, ...findings });
  expect(host.ran.filter((line) => !READ_ONLY.test(line))).toEqual([]);
  const test = (id: string) => findings.tests.find((candidate) => candidate.id === id);
  return { host, detection, findings, test };
}

describe('clamav plugin', () => {
  it('reports fresh signatures, a daemon that answers and a detected EICAR file (clamd running)', async () => {
    const { detection, findings, test, host } = await inspect('healthy');
    expect(detection.detectedBy).toEqual(['package', 'binary', 'unit', 'config']);
    expect(findings.version).toBe('1.4.6');
    expect(findings.configuration).toMatchObject({
      'freshclam.Checks': 24,
      'freshclam.DatabaseMirror': ['db.local.clamav.net', 'database.clamav.net'],
      'freshclam.ScriptedUpdates': true,
      'clamd.LocalSocket': '/var/run/clamav/clamd.ctl',
      'clamd.ScanArchive': true,
      'clamd.MaxFileSize': '25M',
      'clamd.MaxScanSize': '100M',
      'clamd.MaxRecursion': 16,
      'clamd.DetectPUA': false,
    });
    expect(findings.metrics).toEqual({
      signatures: 6647427 + 2078512 + 83,
      'database.main.version': 62,
      'database.daily.version': 27470,
      'database.bytecode.version': 335,
      'database.ageHours': 5.5,
    });
    expect(findings.tests.map(({ id, type, passed }) => ({ id, type, passed }))).toEqual([
      { id: 'signatures-fresh', type: 'operational', passed: true },
      { id: 'daemon-responds', type: 'operational', passed: true },
      { id: 'eicar-detected', type: 'security', passed: true },
    ]);
    expect(test('signatures-fresh')?.message).toBe('signature database is 5 hours old (daily 27470, 8726022 signatures)');
    expect(test('eicar-detected')?.message).toBe('EICAR test file detected as Win.Test.EICAR_HDB-1 (clamdscan)');
    // clamd runs as its own user: the agent's private temp file is handed over by descriptor.
    expect(host.ran).toContain('/usr/bin/clamdscan --config-file=/etc/clamav/clamd.conf --no-summary --fdpass /tmp/vigil-test-1');
    expect(host.ran.some((line) => line.includes('clamscan --no-summary'))).toBe(false);
    expect(findings.errors).toEqual([]);
  });

  it('fails freshness when daily is older than the limit, and still proves detection with clamscan', async () => {
    const { findings, test, host } = await inspect('stale-signatures');
    expect(findings.metrics['database.ageHours']).toBe(221);
    expect(findings.metrics['database.daily.version']).toBe(27461);
    expect(test('signatures-fresh')).toMatchObject({
      passed: false,
      message: 'signature database is 9 days old (limit 3 days; daily 27461 built 2026-11-18)',
    });
    // No clamd here (clamav-daemon not installed), so no daemon test and a clamscan scan.
    expect(test('daemon-responds')).toBeUndefined();
    expect(test('eicar-detected')).toMatchObject({ passed: true, message: 'EICAR test file detected as Win.Test.EICAR_HDB-1 (clamscan)' });
    expect(host.ran).toContain('/usr/bin/clamscan --no-summary /tmp/vigil-test-1');
  });

  it('takes the age limit from the settings', async () => {
    const { test } = await inspect('stale-signatures', { maxSignatureAgeDays: 10 });
    expect(test('signatures-fresh')).toMatchObject({ passed: true, message: 'signature database is 9 days old (daily 27461, 8726022 signatures)' });
  });

  it('says why on a fresh install whose freshclam could not download anything (real Debian 12 capture)', async () => {
    const { findings, test } = await inspect('no-database');
    expect(findings.version).toBe('1.4.6');
    expect(findings.metrics).toEqual({});
    expect(test('signatures-fresh')).toMatchObject({
      passed: false,
      message: 'no signature database in /var/lib/clamav (freshclam has not downloaded one yet)',
    });
    expect(test('daemon-responds')).toMatchObject({
      passed: false,
      message:
        'clamd does not answer a ping (ERROR: Could not connect to clamd on LocalSocket /var/run/clamav/clamd.ctl: No such file or directory); ' +
        'no clamd process is running, and systemd is not running on this host, so clamav-daemon.service cannot be started by it',
    });
    expect(test('eicar-detected')).toMatchObject({
      passed: false,
      message: 'clamscan could not scan the EICAR test file: LibClamAV Error: cli_loaddbdir: No supported database files found in /var/lib/clamav',
    });
  });

  it('is not detected where nothing of ClamAV is installed (real capture)', async () => {
    const host = new FixtureHost(`${fixtures}absent`);
    expect(await clamavPlugin.detect({ host, options: { allowStateChanges: false, settings: clamavSettings.parse({}) } })).toBeUndefined();
  });
});

describe('parseDatabaseHeader', () => {
  it('reads version, signature count and build time from a CVD header', () => {
    const header = 'ClamAV-VDB:27 Nov 2026 11-04 +0000:27470:1:216:c5624f4c72fc149b4692b0af27ebafe9:X:vigil:1795777451'.padEnd(512);
    expect(parseDatabaseHeader(header)).toEqual({ version: 27470, signatures: 1, builtAt: new Date(1795777451 * 1000) });
  });

  it('falls back on the textual build time, and rejects other files', () => {
    expect(parseDatabaseHeader('ClamAV-VDB:18 Nov 2026 06-14 +0000:27461:2078512:90:x:y:raynman:')?.builtAt).toEqual(
      new Date('2026-11-18T06:14:00Z'),
    );
    expect(parseDatabaseHeader('PK\u0003\u0004 not a database')).toBeUndefined();
  });
});

describe('eicarTestString', () => {
  it('is the 68-byte EICAR test file, which the source never spells out whole', () => {
    expect(eicarTestString()).toHaveLength(68);
    // The MD5 that ClamAV's own Win.Test.EICAR_HDB-1 signature names.
    expect(createHash('md5').update(eicarTestString()).digest('hex')).toBe('44d88612fea8a8f36de82e1278abb02f');
  });
});
