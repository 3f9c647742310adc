import { fileURLToPath } from 'node:url';
import { solutionReportSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { FixtureHost } from '../host/fixture-host.js';
import type { Host } from '../host/host.js';
import { parseSshdDump, readSshdFiles, sshdPlugin } from './sshd.js';

const fixtures = fileURLToPath(new URL('../../fixtures/sshd/', import.meta.url));
const READ_ONLY = /^(dpkg-query|rpm|systemctl show|sshd -[VTt])( |$)/;

async function inspect(scenario: string) {
  const host = new FixtureHost(`${fixtures}${scenario}`);
  const context = { host, options: { allowStateChanges: false, settings: {} } };
  const detection = await sshdPlugin.detect(context);
  if (!detection) throw new Error(`sshd not detected in ${scenario}`);
  const findings = await sshdPlugin.inspect(context, detection);
  solutionReportSchema.parse({ id: sshdPlugin.id, detectedBy: detection.detectedBy, ...findings });
  expect(host.ran.filter((line) => !READ_ONLY.test(line))).toEqual([]);
  const test = (id: string) => findings.tests.find((candidate) => candidate.id === id);
  return { detection, findings, test };
}

describe('sshd plugin', () => {
  it('passes a hardened server, reading the effective settings from `sshd -T` (real OpenSSH 9.2)', async () => {
    const { detection, findings, test } = await inspect('hardened');
    expect(detection.detectedBy).toEqual(['package', 'binary', 'unit', 'config']);
    expect(findings.version).toBe('9.2');
    expect(findings.configuration).toEqual({
      permitrootlogin: 'no',
      passwordauthentication: 'no',
      kbdinteractiveauthentication: 'no',
      pubkeyauthentication: 'yes',
      permitemptypasswords: 'no',
      usepam: 'yes',
      authenticationmethods: 'any',
      port: [22],
      maxauthtries: 3,
      x11forwarding: 'no',
      allowusers: [],
      allowgroups: ['ssh-users'],
      denyusers: [],
      denygroups: [],
      ciphers: ['chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com', 'aes128-gcm@openssh.com'],
      macs: ['hmac-sha2-512-etm@openssh.com', 'hmac-sha2-256-etm@openssh.com'],
      kexalgorithms: ['sntrup761x25519-sha512@openssh.com', 'curve25519-sha256', 'curve25519-sha256@libssh.org'],
    });
    expect(findings.metrics).toEqual({});
    expect(findings.tests.map(({ id, type, passed }) => ({ id, type, passed }))).toEqual([
      { id: 'installed', type: 'presence', passed: true },
      { id: 'config-valid', type: 'operational', passed: true },
      { id: 'root-login-disabled', type: 'security', passed: true },
      { id: 'password-login-disabled', type: 'security', passed: true },
      { id: 'empty-passwords-forbidden', type: 'security', passed: true },
      { id: 'sshd-running', type: 'operational', passed: true },
    ]);
    expect(test('root-login-disabled')?.message).toBe('PermitRootLogin is no: root cannot log in over SSH');
    expect(test('sshd-running')?.message).toContain('sshd is running (pid 812); systemd is not running on this host');
    expect(findings.errors).toEqual([]);
  });

  it('fails when root and passwords may log in', async () => {
    const { findings, test } = await inspect('root-password-login');
    expect(findings.configuration).toMatchObject({ permitrootlogin: 'yes', passwordauthentication: 'yes', port: [22, 2222] });
    expect(test('root-login-disabled')).toMatchObject({
      passed: false,
      message: 'PermitRootLogin is yes: root can log in over SSH',
    });
    expect(test('password-login-disabled')).toMatchObject({
      passed: false,
      message: 'PasswordAuthentication is yes: users can log in over SSH with a password',
    });
    expect(test('config-valid')?.passed).toBe(true);
    expect(test('sshd-running')).toMatchObject({
      passed: false,
      message:
        'systemd is not running on this host (as in a container or chroot), and no sshd process was found through /run/sshd.pid: sshd is not running here',
    });
  });

  it("falls back to the files and OpenSSH's defaults when `sshd -T` cannot run in a container", async () => {
    const { findings, test } = await inspect('container-default');
    expect(findings.version).toBe('9.2');
    expect(findings.configuration).toMatchObject({
      permitrootlogin: 'prohibit-password',
      passwordauthentication: 'yes',
      kbdinteractiveauthentication: 'no',
      usepam: 'yes',
      x11forwarding: 'yes',
      port: [22],
      maxauthtries: 6,
    });
    expect(findings.configuration).not.toHaveProperty('ciphers');
    expect(findings.errors).toEqual([
      {
        code: 'effective-config-unavailable',
        message:
          "`sshd -T` exited with 255: Missing privilege separation directory: /run/sshd; settings were read from /etc/ssh/sshd_config, with OpenSSH's defaults for the ones not set there",
      },
    ]);
    expect(test('root-login-disabled')).toMatchObject({
      passed: false,
      message:
        "PermitRootLogin is prohibit-password (OpenSSH's default: it is not set in the configuration files): root can still log in over SSH with a key",
    });
    expect(test('password-login-disabled')?.message).toBe(
      "PasswordAuthentication is yes (OpenSSH's default: it is not set in the configuration files): users can log in over SSH with a password",
    );
    expect(test('config-valid')).toMatchObject({
      passed: false,
      message:
        'sshd cannot check its configuration here: Missing privilege separation directory: /run/sshd, which systemd creates when the ssh service starts, and systemd is not running on this host (as in a container or chroot)',
    });
  });

  it('reports a configuration sshd rejects', async () => {
    const { findings, test } = await inspect('invalid-config');
    expect(test('config-valid')).toMatchObject({
      passed: false,
      message:
        'sshd rejects its configuration, so the service will not start or restart until it is fixed: /etc/ssh/sshd_config.d/50-hardening.conf: line 2: Bad configuration option: PasswordAuthentification /etc/ssh/sshd_config.d/50-hardening.conf: terminating, 1 bad configuration options',
    });
    // The drop-in's valid line still counts, as sshd would read it once the typo is fixed.
    expect(findings.configuration.permitrootlogin).toBe('no');
    expect(findings.errors[0]?.message).toContain('/etc/ssh/sshd_config, /etc/ssh/sshd_config.d/50-hardening.conf');
  });

  it('does not detect the server where only the SSH client is installed', async () => {
    const host = new FixtureHost(`${fixtures}absent`);
    expect(await sshdPlugin.detect({ host, options: { allowStateChanges: false, settings: {} } })).toBeUndefined();
  });
});

describe('sshd configuration readers', () => {
  function filesHost(files: Record<string, string>): Host {
    return {
      readFile: async (path: string) => files[path],
      listDir: async (dir: string) =>
        Object.keys(files)
          .filter((path) => path.startsWith(`${dir}/`))
          .map((path) => path.slice(dir.length + 1))
          .sort(),
    } as unknown as Host;
  }

  it('keeps the first value, expands Include in place and ignores Match blocks', async () => {
    const host = filesHost({
      '/etc/ssh/sshd_config': 'Include sshd_config.d/*.conf\nPermitRootLogin yes\nPort 22\nMatch User backup\n  PasswordAuthentication yes\n',
      '/etc/ssh/sshd_config.d/10-a.conf': 'PermitRootLogin=no\nPort 2222\nChallengeResponseAuthentication no\n',
      '/etc/ssh/sshd_config.d/20-b.conf': 'PasswordAuthentication no # keys only\nMatch Address 10.0.0.0/8\n  PermitRootLogin yes\n',
      '/etc/ssh/sshd_config.d/notes.txt': 'PasswordAuthentication yes\n',
    });
    const { settings, files } = await readSshdFiles(host);
    expect(files).toEqual(['/etc/ssh/sshd_config', '/etc/ssh/sshd_config.d/10-a.conf', '/etc/ssh/sshd_config.d/20-b.conf']);
    expect(settings.get('permitrootlogin')).toEqual(['no']);
    expect(settings.get('port')).toEqual(['2222', '22']);
    expect(settings.get('passwordauthentication')).toEqual(['no']);
    expect(settings.get('kbdinteractiveauthentication')).toEqual(['no']);
  });

  it('reads repeated keywords of `sshd -T`', () => {
    expect(parseSshdDump('port 22\nport 2222\npermitrootlogin without-password\n')).toEqual(
      new Map([
        ['port', ['22', '2222']],
        ['permitrootlogin', ['without-password']],
      ]),
    );
  });
});
