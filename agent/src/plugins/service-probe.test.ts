import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FixtureHost } from '../host/fixture-host.js';
import { describeAge, keySegment, probeInstall, serviceVerdict, slugSegment } from './service-probe.js';

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A throw-away fixture directory: files under root/, and commands.json. */
function fixture(files: Record<string, string>, commands: Record<string, unknown> = {}): FixtureHost {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-probe-'));
  made.push(dir);
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, 'root', file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content, { mode: 0o755 });
  }
  writeFileSync(path.join(dir, 'commands.json'), JSON.stringify(commands));
  return new FixtureHost(dir);
}

const SHOW = 'systemctl show demo.service --property=LoadState,ActiveState,UnitFileState';

describe('probeInstall', () => {
  it('lists every source that matched, in a fixed order, with the paths it found', async () => {
    const host = fixture(
      { '/usr/sbin/demo': '#!/bin/sh\n', '/etc/systemd/system/demo.service': '[Service]\n', '/etc/demo/demo.conf': 'x\n' },
      { 'dpkg-query -W -f=${db:Status-Status} ${Version} demo': { exitCode: 0, stdout: 'installed 1.2-3' } },
    );
    const facts = await probeInstall(host, { packages: ['demo'], binaries: ['demo'], units: ['demo.service'], configs: ['/etc/demo/demo.conf', '/etc/demo.conf'] });
    expect(facts.detection).toEqual({ detectedBy: ['package', 'binary', 'unit', 'config'] });
    expect(facts).toMatchObject({
      packageVersion: '1.2-3',
      binaries: { demo: '/usr/sbin/demo' },
      units: { 'demo.service': '/etc/systemd/system/demo.service' },
      configs: ['/etc/demo/demo.conf'],
    });
  });

  it('is undefined when nothing matched', async () => {
    expect((await probeInstall(fixture({}), { packages: ['demo'], binaries: ['demo'] })).detection).toBeUndefined();
  });
});

describe('serviceVerdict', () => {
  const options = { label: 'demo', unit: 'demo.service', processNames: ['demo'] };

  it("trusts systemd when it runs and knows the unit, and says when it won't start at boot", async () => {
    const active = fixture({ '/run/systemd/system/.keep': '' }, { [SHOW]: { stdout: 'LoadState=loaded\nActiveState=active\nUnitFileState=disabled\n' } });
    expect(await serviceVerdict(active, options)).toEqual({ running: true, message: 'demo.service is active (disabled at boot)' });
    const failed = fixture({ '/run/systemd/system/.keep': '' }, { [SHOW]: { stdout: 'LoadState=loaded\nActiveState=failed\nUnitFileState=enabled\n' } });
    expect(await serviceVerdict(failed, options)).toEqual({ running: false, message: 'demo.service is failed' });
  });

  it('looks at processes when there is no systemd, and says so', async () => {
    const running = fixture({ '/proc/1/comm': 'tini\n', '/proc/42/comm': 'demo\n' });
    expect(await serviceVerdict(running, options)).toEqual({ running: true, message: 'demo is running (pid 42); systemd is not running on this host' });
    expect(await serviceVerdict(fixture({}), options)).toEqual({
      running: false,
      message: 'no demo process is running, and systemd is not running on this host, so demo.service cannot be started by it',
    });
  });

  it('looks at processes when systemd runs but has no such unit', async () => {
    const host = fixture(
      { '/run/systemd/system/.keep': '', '/proc/7/comm': 'demo\n' },
      { [SHOW]: { stdout: 'LoadState=not-found\nActiveState=inactive\nUnitFileState=\n' } },
    );
    expect(await serviceVerdict(host, options)).toEqual({ running: true, message: 'demo is running (pid 7) outside systemd' });
  });
});

describe('naming helpers', () => {
  it('turns free names into report keys and test ids', () => {
    expect(keySegment('Common Web Attack')).toBe('Common-Web-Attack');
    expect(keySegment('mail.example.org')).toBe('mail.example.org');
    expect(keySegment('__x')).toBe('x');
    expect(slugSegment('Mail.Example.org')).toBe('mail.example.org');
    expect(slugSegment('*.example.org')).toBe('example.org');
  });

  it('says ages in words', () => {
    expect(describeAge(0.4)).toBe('less than an hour');
    expect(describeAge(1)).toBe('1 hour');
    expect(describeAge(36.5)).toBe('36 hours');
    expect(describeAge(221)).toBe('9 days');
  });
});
