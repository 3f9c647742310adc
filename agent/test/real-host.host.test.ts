// The real bundled agent against this real machine (vitest project `host`): the Debian packages of
// scripts/install-host-packages.sh are installed here, and `vigil-agent collect --json` must find
// each one, with the version dpkg reports, and tell the truth about what cannot run here. No systemd
// runs on CI machines of this kind, so services are installed but stopped: the report must say so.
//
// What each plugin checks is decided by the machine, not by this test: where a fact could differ
// between machines (a daemon somebody started, a kernel with AppArmor), the expectation is derived
// from the machine first, with its own tools (dpkg-query, /proc, /run/systemd/system).
import { reportSchema, type Report } from '@vigil/schema';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUNDLE = path.join(REPO_ROOT, 'agent', 'dist', 'vigil-agent.mjs');
const NO_SYSTEMD = 'systemd is not running on this host (as in a container or chroot)';

/** Each solution the agent knows that Debian packages here, by the package that installs it. */
const PACKAGED = [
  { id: 'clamav', packageName: 'clamav' },
  { id: 'fail2ban', packageName: 'fail2ban' },
  { id: 'certbot', packageName: 'certbot' },
  { id: 'suricata', packageName: 'suricata' },
  { id: 'ufw', packageName: 'ufw' },
  { id: 'sshd', packageName: 'openssh-server' },
  { id: 'unattended-upgrades', packageName: 'unattended-upgrades' },
  { id: 'apparmor', packageName: 'apparmor' },
  { id: 'auditd', packageName: 'auditd' },
] as const;
/** Not packaged by Debian (or never installed here, CrowdSec): found only by their binaries. */
const UNPACKAGED = [
  { id: 'teler', binary: 'teler' },
  { id: 'vector', binary: 'vector' },
  { id: 'crowdsec', binary: 'cscli' },
] as const;

/** dpkg's answer for a package: its version when installed, else undefined. */
function dpkgVersion(name: string): string | undefined {
  const result = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Status} ${Version}', name], { encoding: 'utf8' });
  const [status, version] = result.stdout.trim().split(' ');
  return result.status === 0 && status === 'installed' ? version : undefined;
}

/** "1:9.2p1-2+deb12u10" → "9.2", "1.4.6+dfsg-0+deb12u1" → "1.4.6", "9.2" → "9.2": what both sides agree on. */
function upstreamCore(version: string): string {
  const withoutEpoch = version.replace(/^\d+:/, '');
  return /^\d+(\.\d+)*/.exec(withoutEpoch)?.[0] ?? withoutEpoch;
}

function onPath(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' }).status === 0;
}

/** Processes by name, from /proc: what the plugins see when no systemd can be asked. */
function processRunning(name: string): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) return true;
    } catch {
      // The process ended while we looked.
    }
  }
  return false;
}

const systemdRunning = existsSync('/run/systemd/system');
let dir: string;
let report: Report;

function solution(id: string) {
  const found = report.solutions.find((each) => each.id === id);
  if (!found) throw new Error(`${id} is not in the report; found: ${report.solutions.map((each) => each.id).join(', ')}`);
  return found;
}

function testOf(solutionId: string, testId: string) {
  const found = solution(solutionId).tests.find((test) => test.id === testId);
  if (!found)
    throw new Error(
      `${solutionId} has no test ${testId}; it has: ${solution(solutionId)
        .tests.map((test) => test.id)
        .join(', ')}`,
    );
  return found;
}

beforeAll(async () => {
  const built = spawnSync('npm', ['run', 'build', '-w', 'agent'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build -w agent failed:\n${built.stdout}\n${built.stderr}`);

  dir = await mkdtemp(path.join(tmpdir(), 'vigil-real-host-'));
  const config = path.join(dir, 'agent.yaml');
  // collect sends nothing: the endpoint and key only have to be well-formed.
  await writeFile(config, `endpoint: https://ingest.invalid/ingestReport\nkey: vgl_abcdefghijklmnop_${'A'.repeat(43)}\nspool_dir: ${dir}/spool\n`);
  await chmod(config, 0o600);
  const run = spawnSync(process.execPath, [BUNDLE, 'collect', '--json', '--config', config], {
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`vigil-agent collect --json exited ${run.status ?? run.signal}:\n${run.stderr}`);
  const parsed = reportSchema.safeParse(JSON.parse(run.stdout));
  if (!parsed.success) throw new Error(`the report does not match the protocol: ${JSON.stringify(parsed.error.issues.slice(0, 5))}`);
  report = parsed.data;
}, 360_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('vigil-agent collect --json on this machine', () => {
  it('reports this host', () => {
    const osRelease = readFileSync('/etc/os-release', 'utf8');
    const prettyName = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1];
    expect(report.host.os).toBe(prettyName);
    expect(report.host.kernel).toBe(spawnSync('uname', ['-r'], { encoding: 'utf8' }).stdout.trim());
    expect(report.solutions.length).toBeGreaterThan(0);
  });

  it('runs where scripts/install-host-packages.sh has installed its packages', () => {
    const required = ['clamav', 'clamav-daemon', 'fail2ban', 'ufw', 'auditd', 'apparmor', 'unattended-upgrades', 'certbot', 'openssh-server'];
    expect(
      required.filter((name) => !dpkgVersion(name)),
      'run `sudo bash scripts/install-host-packages.sh` first',
    ).toEqual([]);
  });

  it.each(PACKAGED)('finds $id wherever its Debian package $packageName is installed, with its version', ({ id, packageName }) => {
    const installed = dpkgVersion(packageName);
    if (!installed) {
      // Not offered here (suricata on Debian 12) or not installed: then it must not be invented.
      if (!report.solutions.some((each) => each.id === id)) return;
      expect(solution(id).detectedBy).not.toContain('package');
      return;
    }
    const found = solution(id);
    expect(found.detectedBy).toContain('package');
    expect(found.version, `${id}: agent says ${found.version}, dpkg says ${installed}`).not.toBeNull();
    expect(upstreamCore(found.version!)).toBe(upstreamCore(installed));
    expect(found.errors.filter((error) => ['detect-failed', 'inspect-failed', 'timeout'].includes(error.code ?? ''))).toEqual([]);
  });

  it.each(UNPACKAGED)('does not invent $id where it is not installed', ({ id, binary }) => {
    if (onPath(binary)) return;
    expect(report.solutions.map((each) => each.id)).not.toContain(id);
  });
});

describe.runIf(!systemdRunning)('where systemd does not run, the report says so', () => {
  it('clamav: clamd does not answer, and the report says why', () => {
    if (!dpkgVersion('clamav-daemon') || processRunning('clamd')) return;
    const test = testOf('clamav', 'daemon-responds');
    expect(test.passed).toBe(false);
    expect(test.message).toMatch(
      /^clamd does not answer a ping \(.+\); no clamd process is running, and systemd is not running on this host, so clamav-daemon\.service cannot be started by it$/,
    );
  });

  it('clamav: without a signature database, nothing is claimed about EICAR or freshness', () => {
    if (!dpkgVersion('clamav')) return;
    const databases = existsSync('/var/lib/clamav') ? readdirSync('/var/lib/clamav').filter((name) => /\.(cvd|cld|cud)$/.test(name)) : [];
    if (databases.length > 0) return; // A real database (freshclam ran): outcomes depend on its content.
    expect(testOf('clamav', 'signatures-fresh')).toMatchObject({
      passed: false,
      message: 'no signature database in /var/lib/clamav (freshclam has not downloaded one yet)',
    });
    const eicar = testOf('clamav', 'eicar-detected');
    expect(eicar.passed).toBe(false);
    expect(eicar.message).toMatch(/^clamscan could not scan the EICAR test file: /);
  });

  it('fail2ban: the server does not answer, so no jail is claimed active', () => {
    if (!dpkgVersion('fail2ban') || processRunning('fail2ban-server')) return;
    expect(testOf('fail2ban', 'server-responds')).toMatchObject({
      passed: false,
      message:
        'fail2ban-client ping: no answer (is fail2ban-server running?); no fail2ban-server process is running, and systemd is not running on this host, so fail2ban.service cannot be started by it',
    });
    expect(testOf('fail2ban', 'jails-active')).toMatchObject({ passed: false, message: 'no jail is active: fail2ban-server does not answer' });
    // Debian's sshd jail reads /var/log/auth.log, which only a syslog daemon writes (journald keeps
    // the log where none is installed): fail2ban's own configuration test refuses, and says why.
    if (!existsSync('/var/log/auth.log')) {
      expect(testOf('fail2ban', 'config-valid')).toMatchObject({
        passed: false,
        message: 'fail2ban configuration test failed: Have not found any log file for sshd jail',
      });
    }
  });

  it('certbot: no renewal is claimed when neither systemd nor a cron daemon runs', () => {
    if (!dpkgVersion('certbot')) return;
    const test = testOf('certbot', 'renewal-scheduled');
    const cronRuns = ['cron', 'crond', 'busybox'].some(processRunning);
    if (cronRuns) {
      expect(test).toMatchObject({
        passed: true,
        message: 'renewal runs from /etc/cron.d/certbot (systemd is not running on this host, so certbot.timer cannot)',
      });
      return;
    }
    // /etc/cron.d/certbot exists, but no cron daemon runs to read it.
    expect(test.passed, test.message).toBe(false);
    expect(test.message).toMatch(/systemd is not running/);
  });

  it('sshd: not running, and its configuration cannot be checked without the directory systemd creates', () => {
    if (!dpkgVersion('openssh-server') || processRunning('sshd')) return;
    expect(testOf('sshd', 'sshd-running')).toMatchObject({
      passed: false,
      message: `${NO_SYSTEMD}, and no sshd process was found through /run/sshd.pid: sshd is not running here`,
    });
    if (!existsSync('/run/sshd')) {
      expect(testOf('sshd', 'config-valid')).toMatchObject({
        passed: false,
        message: `sshd cannot check its configuration here: Missing privilege separation directory: /run/sshd, which systemd creates when the ssh service starts, and ${NO_SYSTEMD}`,
      });
    }
  });

  it('auditd: the daemon is not running and nothing starts it', () => {
    if (!dpkgVersion('auditd') || processRunning('auditd')) return;
    const test = testOf('auditd', 'auditd-running');
    expect(test.passed).toBe(false);
    // The kernel may refuse to tell (no CAP_AUDIT_CONTROL in some containers): then the report says that instead.
    if (testOf('auditd', 'kernel-audit').passed) {
      expect(test.message).toBe(
        `auditd is not running (auditctl -s reports pid 0): audit events are not written to /var/log/audit/audit.log; ${NO_SYSTEMD}, so nothing starts auditd`,
      );
    } else {
      expect(test.message).toMatch(/^whether auditd runs is unknown: /);
    }
  });

  it("unattended-upgrades: without systemd, cron's apt-compat job starts it, or nothing does", () => {
    if (!dpkgVersion('unattended-upgrades') || systemdRunning) return;
    const test = testOf('unattended-upgrades', 'scheduler-active');
    const job = '/etc/cron.daily/apt-compat';
    const jobRuns = existsSync(job) && (statSync(job).mode & 0o111) !== 0;
    const cron = ['/usr/sbin/cron', '/usr/sbin/crond', '/usr/bin/crond', '/etc/init.d/cron', '/etc/init.d/crond'].some((file) => existsSync(file));
    if (jobRuns && cron) {
      expect(test.passed).toBe(true);
      expect(test.message).toMatch(/so cron starts the daily upgrade: \/etc\/cron\.daily\/apt-compat is in place/);
    } else {
      expect(test.passed).toBe(false);
      expect(test.message).toContain(`${NO_SYSTEMD}, so the apt-daily timers cannot fire; `);
      expect(test.message).toContain(': nothing starts the daily upgrade');
    }
  });

  it('ufw: installed but inactive, as Debian installs it', () => {
    if (!dpkgVersion('ufw')) return;
    const status = spawnSync('ufw', ['status'], { encoding: 'utf8' }).stdout;
    if (!/Status: inactive/.test(status)) return;
    expect(testOf('ufw', 'ufw-active').passed).toBe(false);
    expect(testOf('ufw', 'ufw-active').message).toMatch(/^ufw is inactive: the firewall filters no traffic/);
    expect(testOf('ufw', 'default-deny-incoming').passed).toBe(false);
  });

  it('apparmor: a kernel without AppArmor is named as the reason', () => {
    if (!dpkgVersion('apparmor') || existsSync('/sys/module/apparmor')) return;
    const reason =
      'the running kernel does not provide AppArmor (no /sys/module/apparmor): it was built without it, or this container cannot see it, so no profile can be enforced here';
    expect(testOf('apparmor', 'kernel-enabled')).toMatchObject({ passed: false, message: reason });
    expect(testOf('apparmor', 'profiles-enforced')).toMatchObject({ passed: false, message: reason });
  });
});
