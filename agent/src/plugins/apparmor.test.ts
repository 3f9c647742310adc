import { fileURLToPath } from 'node:url';
import { solutionReportSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { FixtureHost } from '../host/fixture-host.js';
import { apparmorPlugin, parseAaStatusJson, parseKernelProfiles } from './apparmor.js';

const fixtures = fileURLToPath(new URL('../../fixtures/apparmor/', import.meta.url));
const READ_ONLY = /^(dpkg-query|rpm|systemctl show|apparmor_parser --version|aa-status --json)( |$)/;

async function inspect(scenario: string) {
  const host = new FixtureHost(`${fixtures}${scenario}`);
  const context = { host, options: { allowStateChanges: false, settings: {} } };
  const detection = await apparmorPlugin.detect(context);
  if (!detection) throw new Error(`AppArmor not detected in ${scenario}`);
  const findings = await apparmorPlugin.inspect(context, detection);
  solutionReportSchema.parse({ id: apparmorPlugin.id, detectedBy: detection.detectedBy, ...findings });
  expect(host.ran.filter((line) => !READ_ONLY.test(line))).toEqual([]);
  const test = (id: string) => findings.tests.find((candidate) => candidate.id === id);
  return { detection, findings, test };
}

const PROFILES = ['/usr/bin/freshclam', '/usr/bin/man', 'lsb_release', 'man_filter', 'man_groff', 'nvidia_modprobe', 'nvidia_modprobe//kmod'];

describe('apparmor plugin', () => {
  it('passes when the kernel enforces the loaded profiles (real aa-status 3.0.8 output)', async () => {
    const { detection, findings, test } = await inspect('enforcing');
    expect(detection.detectedBy).toEqual(['package', 'binary', 'unit', 'config']);
    expect(findings.version).toBe('3.0.8');
    expect(findings.configuration).toEqual({
      kernelEnabled: true,
      'profiles.disabled': [],
      'profiles.enforce': PROFILES,
      'profiles.complain': [],
    });
    expect(findings.metrics).toEqual({
      profileFiles: 4,
      profilesLoaded: 7,
      profilesEnforce: 7,
      profilesComplain: 0,
      profilesKill: 0,
      profilesPrompt: 0,
      profilesUnconfined: 0,
      processesConfined: 0,
      processesUnconfined: 0,
    });
    expect(findings.tests.map(({ id, type, passed }) => ({ id, type, passed }))).toEqual([
      { id: 'installed', type: 'presence', passed: true },
      { id: 'kernel-enabled', type: 'requirement', passed: true },
      { id: 'profiles-loaded', type: 'operational', passed: true },
      { id: 'profiles-enforced', type: 'security', passed: true },
    ]);
    expect(test('profiles-enforced')?.message).toBe('7 profiles are enforced');
    expect(findings.errors).toEqual([]);
  });

  it('fails when every profile is in complain mode, despite aa-status 3.0.8 printing broken JSON', async () => {
    const { findings, test } = await inspect('complain');
    expect(findings.configuration['profiles.complain']).toEqual(PROFILES);
    expect(findings.metrics).toMatchObject({ profilesLoaded: 7, profilesEnforce: 0, profilesComplain: 7 });
    expect(test('profiles-loaded')?.passed).toBe(true);
    expect(test('profiles-enforced')).toMatchObject({
      passed: false,
      message: 'no profile is enforced: 7 profiles are in complain mode, which only logs what it would deny',
    });
    expect(findings.errors).toEqual([]);
  });

  it('says the kernel was booted with apparmor=0', async () => {
    const { findings, test } = await inspect('disabled-at-boot');
    expect(findings.configuration).toEqual({ kernelEnabled: false, 'profiles.disabled': [] });
    expect(findings.metrics).toEqual({ profileFiles: 4 });
    const disabled = 'AppArmor is disabled in the kernel (/sys/module/apparmor/parameters/enabled is N): the kernel was booted with apparmor=0';
    expect(test('kernel-enabled')).toMatchObject({ passed: false, message: disabled });
    expect(test('profiles-loaded')).toMatchObject({ passed: false, message: disabled });
    expect(test('profiles-enforced')).toMatchObject({ passed: false, message: disabled });
  });

  it('says honestly that this kernel has no AppArmor at all (real capture)', async () => {
    const { detection, findings, test } = await inspect('no-kernel-support');
    expect(detection.detectedBy).toEqual(['package', 'binary', 'unit', 'config']);
    expect(findings.configuration.kernelEnabled).toBeNull();
    expect(test('installed')?.passed).toBe(true);
    expect(test('kernel-enabled')).toMatchObject({
      passed: false,
      message:
        'the running kernel does not provide AppArmor (no /sys/module/apparmor): it was built without it, or this container cannot see it, so no profile can be enforced here',
    });
    expect(test('kernel-enabled')?.message).not.toMatch(/disabled/);
  });

  it('does not detect AppArmor where nothing of it exists', async () => {
    const host = new FixtureHost(`${fixtures}absent`);
    expect(await apparmorPlugin.detect({ host, options: { allowStateChanges: false, settings: {} } })).toBeUndefined();
  });
});

describe('AppArmor readers', () => {
  it('counts processes by mode in `aa-status --json`', () => {
    const state = parseAaStatusJson(
      '{"version": "1", "profiles": {"/usr/sbin/cupsd": "enforce"}, "processes": {"/usr/sbin/cupsd": [{"profile": "/usr/sbin/cupsd", "pid": "912", "status": "enforce"}, {"profile": "/usr/sbin/cupsd", "pid": "913", "status": "unconfined"}]}}',
    );
    expect(state?.profiles).toEqual(new Map([['/usr/sbin/cupsd', 'enforce']]));
    expect(state?.processes).toEqual(
      new Map([
        ['enforce', 1],
        ['unconfined', 1],
      ]),
    );
    expect(parseAaStatusJson('')).toBeUndefined();
    expect(parseAaStatusJson('apparmor not present.')).toBeUndefined();
  });

  it('reads the kernel profile list', () => {
    expect(parseKernelProfiles('/usr/bin/man (enforce)\nsnap.lxd.lxc (complain)\n\n')).toEqual(
      new Map([
        ['/usr/bin/man', 'enforce'],
        ['snap.lxd.lxc', 'complain'],
      ]),
    );
  });
});
