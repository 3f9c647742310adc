import { describe, expect, it } from 'vitest';
import { scratchFixture as fixture } from '../../../test/support/scratch-fixture.js';
import { findInstallation, findUnitFile, probeInstall } from './install.js';

describe('probeInstall and findInstallation', () => {
  it('lists every source that matched, in a fixed order, with the paths it found', async () => {
    const host = fixture(
      { '/usr/sbin/demo': '#!/bin/sh\n', '/etc/systemd/system/demo.service': '[Service]\n', '/etc/demo/demo.conf': 'x\n' },
      { 'dpkg-query -W -f=${db:Status-Status} ${Version} demo': { exitCode: 0, stdout: 'installed 1.2-3' } },
    );
    const facts = await probeInstall(host, {
      packages: ['demo'],
      binaries: ['demo'],
      units: ['demo.service'],
      configs: ['/etc/demo/demo.conf', '/etc/demo.conf'],
    });
    expect(facts.detectedBy).toEqual(['package', 'binary', 'unit', 'config']);
    expect(facts).toMatchObject({
      packageVersion: '1.2-3',
      binaries: { demo: '/usr/sbin/demo' },
      units: { 'demo.service': '/etc/systemd/system/demo.service' },
      configs: ['/etc/demo/demo.conf'],
    });
  });

  it('is undefined when nothing matched', async () => {
    expect(await findInstallation(fixture({}), { packages: ['demo'], binaries: ['demo'] })).toBeUndefined();
    expect((await probeInstall(fixture({}), { packages: ['demo'], binaries: ['demo'] })).detectedBy).toEqual([]);
  });
});

describe('findUnitFile', () => {
  it('takes the unit file systemd loads: /etc over /run over /usr/local/lib over /usr/lib over /lib', async () => {
    const unit = '[Service]\n';
    const split = fixture({ '/lib/systemd/system/demo.service': unit, '/usr/lib/systemd/system/demo.service': unit });
    expect(await findUnitFile(split, 'demo.service')).toBe('/usr/lib/systemd/system/demo.service');
    const overridden = fixture({
      '/usr/lib/systemd/system/demo.service': unit,
      '/run/systemd/system/demo.service': unit,
      '/etc/systemd/system/demo.service': unit,
    });
    expect(await findUnitFile(overridden, 'demo.service')).toBe('/etc/systemd/system/demo.service');
    expect(await findUnitFile(fixture({ '/lib/systemd/system/demo.service': unit }), 'demo.service')).toBe('/lib/systemd/system/demo.service');
    expect(await findUnitFile(fixture({}), 'demo.service')).toBeUndefined();
  });
});
