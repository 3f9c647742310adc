import { fileURLToPath } from 'node:url';
import { solutionReportSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { FixtureHost } from '../host/fixture-host.js';
import { fail2banError, fail2banPlugin, parseConfigDump, parseJailList, parseJailStatus } from './fail2ban.js';

const fixtures = fileURLToPath(new URL('../../fixtures/fail2ban/', import.meta.url));
/** Read-only fail2ban-client verbs; never start, stop, reload, set, banip or unbanip. */
const READ_ONLY =
  /^(dpkg-query|rpm|systemctl show|\/usr\/bin\/fail2ban-client (--version|-d|-t|ping|status|status [\w.-]+)$|\/usr\/bin\/fail2ban-regex .* sshd$)/;

async function inspect(scenario: string) {
  const host = new FixtureHost(`${fixtures}${scenario}`);
  const context = { host, options: { allowStateChanges: false, settings: {} } };
  const detection = await fail2banPlugin.detect(context);
  if (!detection) throw new Error(`fail2ban not detected in ${scenario}`);
  const findings = await fail2banPlugin.inspect(context, detection);
  solutionReportSchema.parse({ id: fail2banPlugin.id, detectedBy: detection.detectedBy, ...findings });
  expect(host.ran.filter((line) => !READ_ONLY.test(line))).toEqual([]);
  expect(host.ran.some((line) => /\b(banip|unbanip|reload|restart|stop|start|set)\b/.test(line.replace(/fail2ban-regex .*/, '')))).toBe(false);
  const test = (id: string) => findings.tests.find((candidate) => candidate.id === id);
  return { host, detection, findings, test };
}

describe('fail2ban plugin', () => {
  it('reports enabled jails, their settings and live bans (real fail2ban 1.0.2 with two jails)', async () => {
    const { detection, findings, test } = await inspect('healthy');
    expect(detection.detectedBy).toEqual(['package', 'binary', 'unit', 'config']);
    expect(findings.version).toBe('1.0.2');
    expect(findings.configuration).toEqual({
      loglevel: 'INFO',
      dbpurgeage: '1d',
      allowipv6: 'auto',
      jails: ['sshd', 'recidive'],
      'jail.sshd.backend': 'auto',
      'jail.sshd.bantime': '2h',
      'jail.sshd.findtime': '10m',
      'jail.sshd.maxretry': 3,
      'jail.sshd.actions': ['nftables-multiport'],
      'jail.sshd.logpath': ['/var/log/auth.log'],
      'jail.sshd.ignoreip': ['127.0.0.1/8', '::1', '10.0.0.0/8'],
      'jail.recidive.backend': 'auto',
      'jail.recidive.bantime': '1w',
      'jail.recidive.findtime': '1d',
      'jail.recidive.maxretry': 5,
      'jail.recidive.actions': ['nftables-allports'],
      'jail.recidive.logpath': ['/var/log/fail2ban.log'],
      'jail.recidive.ignoreip': ['127.0.0.1/8', '::1', '10.0.0.0/8'],
    });
    expect(findings.metrics).toEqual({
      'jail.recidive.currentlyFailed': 0,
      'jail.recidive.totalFailed': 0,
      'jail.recidive.currentlyBanned': 0,
      'jail.recidive.totalBanned': 0,
      'jail.sshd.currentlyFailed': 2,
      'jail.sshd.totalFailed': 8,
      'jail.sshd.currentlyBanned': 2,
      'jail.sshd.totalBanned': 2,
      'jails.active': 2,
      'banned.current': 2,
      'banned.total': 2,
    });
    expect(findings.tests.map(({ id, type, passed }) => ({ id, type, passed }))).toEqual([
      { id: 'config-valid', type: 'requirement', passed: true },
      { id: 'server-responds', type: 'operational', passed: true },
      { id: 'jails-active', type: 'operational', passed: true },
      { id: 'sshd-filter-matches', type: 'security', passed: true },
    ]);
    expect(test('server-responds')?.message).toBe('fail2ban-client ping: Server replied: pong');
    expect(test('jails-active')?.message).toBe('2 jails active: recidive, sshd');
    expect(test('sshd-filter-matches')?.message).toBe('the sshd filter recognises a failed SSH login (fail2ban-regex: 1 matched)');
    expect(findings.errors).toEqual([]);
  });

  it("explains Debian 12's default: no auth.log, so the sshd jail cannot start and the server is down (real capture)", async () => {
    const { findings, test, host } = await inspect('not-running');
    expect(findings.configuration).toMatchObject({ jails: ['sshd'], 'jail.sshd.bantime': '10m', 'jail.sshd.actions': ['iptables-multiport'] });
    expect(findings.configuration['jail.sshd.logpath']).toBeUndefined();
    expect(findings.metrics).toEqual({});
    expect(test('config-valid')).toMatchObject({
      type: 'requirement',
      passed: false,
      message: 'fail2ban configuration test failed: Have not found any log file for sshd jail',
    });
    expect(test('server-responds')).toMatchObject({
      passed: false,
      message:
        'fail2ban-client ping: no answer (is fail2ban-server running?); ' +
        'no fail2ban-server process is running, and systemd is not running on this host, so fail2ban.service cannot be started by it',
    });
    expect(test('jails-active')).toMatchObject({ passed: false, message: 'no jail is active: fail2ban-server does not answer' });
    // The filter itself still works; it is the log source that is missing.
    expect(test('sshd-filter-matches')?.passed).toBe(true);
    expect(host.ran).not.toContain('/usr/bin/fail2ban-client status');
  });

  it('fails jails-active when the server runs with every jail disabled (real capture)', async () => {
    const { findings, test } = await inspect('no-jails');
    expect(findings.configuration.jails).toEqual([]);
    expect(findings.metrics).toEqual({ 'jails.active': 0, 'banned.current': 0, 'banned.total': 0 });
    expect(test('server-responds')?.passed).toBe(true);
    expect(test('jails-active')).toMatchObject({ passed: false, message: 'fail2ban runs with no jail enabled, so it protects nothing' });
    expect(test('sshd-filter-matches')).toBeUndefined();
  });

  it('is not detected where fail2ban is not installed (real capture)', async () => {
    const host = new FixtureHost(`${fixtures}absent`);
    expect(await fail2banPlugin.detect({ host, options: { allowStateChanges: false, settings: {} } })).toBeUndefined();
  });
});

describe('fail2ban output parsers', () => {
  it('reads the command stream of fail2ban-client -d', () => {
    const dump = [
      "['set', 'loglevel', 'INFO']",
      "['add', 'nginx-http-auth', 'polling']",
      "['set', 'nginx-http-auth', 'maxretry', 4]",
      "['set', 'nginx-http-auth', 'bantime.increment', True]",
      "['set', 'nginx-http-auth', 'addlogpath', '/var/log/nginx/error.log', 'head']",
      "['set', 'nginx-http-auth', 'addignoreip', '192.0.2.0/24']",
      "['set', 'nginx-http-auth', 'addaction', 'ufw']",
      "['multi-set', 'nginx-http-auth', 'addfailregex', ['^x \\\\d+$', \"it's\"]]",
      "['start', 'nginx-http-auth']",
    ].join('\n');
    const parsed = parseConfigDump(dump);
    expect(parsed.global.get('loglevel')).toBe('INFO');
    expect(parsed.jails).toEqual([
      {
        name: 'nginx-http-auth',
        backend: 'polling',
        settings: new Map<string, unknown>([
          ['maxretry', 4],
          ['bantime.increment', true],
        ]),
        actions: ['ufw'],
        logPaths: ['/var/log/nginx/error.log'],
        ignoreIps: ['192.0.2.0/24'],
      },
    ]);
  });

  it('reads fail2ban-client status and status <jail>', () => {
    expect(parseJailList('Status\n|- Number of jail:\t2\n`- Jail list:\trecidive, sshd\n')).toEqual(['recidive', 'sshd']);
    expect(parseJailList('Status\n|- Number of jail:\t0\n`- Jail list:\t\n')).toEqual([]);
    expect(
      parseJailStatus(
        'Status for the jail: sshd\n|- Filter\n|  |- Currently failed:\t2\n|  |- Total failed:\t8\n|  `- File list:\t/var/log/auth.log\n' +
          '`- Actions\n   |- Currently banned:\t2\n   |- Total banned:\t2\n   `- Banned IP list:\t198.51.100.23 203.0.113.77\n',
      ),
    ).toEqual({ currentlyFailed: 2, totalFailed: 8, currentlyBanned: 2, totalBanned: 2 });
  });

  it("keeps the reason of fail2ban's log-style errors", () => {
    const stderr =
      "2026-11-27 11:05:52,077 fail2ban.configreader   [29995]: WARNING 'allowipv6' not defined\n" +
      '2026-11-27 11:05:52,123 fail2ban                [29995]: ERROR   Failed during configuration: Have not found any log file for sshd jail\n' +
      '2026-11-27 11:05:52,123 fail2ban                [29995]: ERROR   ERROR: test configuration failed\n';
    expect(fail2banError(stderr)).toBe('Have not found any log file for sshd jail');
    expect(fail2banError('')).toBeUndefined();
  });
});
