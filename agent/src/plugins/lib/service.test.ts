import { describe, expect, it } from 'vitest';
import { scratchFixture as fixture } from '../../../test/support/scratch-fixture.js';
import { serviceVerdict } from './service.js';

const SHOW = 'systemctl show demo.service --property=LoadState,ActiveState,UnitFileState';

describe('serviceVerdict', () => {
  const options = { label: 'demo', unit: 'demo.service', processNames: ['demo'] };

  it("trusts systemd when it runs and knows the unit, and says when it won't start at boot", async () => {
    const active = fixture(
      { '/run/systemd/system/.keep': '' },
      { [SHOW]: { stdout: 'LoadState=loaded\nActiveState=active\nUnitFileState=disabled\n' } },
    );
    expect(await serviceVerdict(active, options)).toEqual({ running: true, message: 'demo.service is active (disabled at boot)' });
    const failed = fixture(
      { '/run/systemd/system/.keep': '' },
      { [SHOW]: { stdout: 'LoadState=loaded\nActiveState=failed\nUnitFileState=enabled\n' } },
    );
    expect(await serviceVerdict(failed, options)).toEqual({ running: false, message: 'demo.service is failed' });
  });

  it('looks at processes when there is no systemd, and says so', async () => {
    const running = fixture({ '/proc/1/comm': 'tini\n', '/proc/42/comm': 'demo\n' });
    expect(await serviceVerdict(running, options)).toEqual({
      running: true,
      message: 'demo is running (pid 42); systemd is not running on this host',
    });
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
