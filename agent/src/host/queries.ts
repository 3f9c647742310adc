// Common questions about a host, answered over the Host interface (so fixtures capture the real
// command outputs): where a binary is, which package version is installed, what systemd says.
import type { Host } from './host.js';

export async function which(host: Host, binary: string): Promise<string | undefined> {
  for (const dir of host.searchPath()) {
    const candidate = `${dir.replace(/\/+$/, '')}/${binary}`;
    const stat = await host.stat(candidate);
    if (stat?.isFile && (stat.mode & 0o111) !== 0) return candidate;
  }
  return undefined;
}

/** The installed version of a Debian package (dpkg), else of an RPM package; undefined when absent. */
export async function packageVersion(host: Host, name: string): Promise<string | undefined> {
  const dpkg = await host.run('dpkg-query', ['-W', '-f=${db:Status-Status} ${Version}', name], { timeoutMs: 5_000 });
  if (dpkg.exitCode === 0) {
    const [status, version] = dpkg.stdout.trim().split(' ');
    if (status === 'installed' && version) return version;
    return undefined;
  }
  if (!dpkg.notFound) return undefined;
  const rpm = await host.run('rpm', ['-q', '--qf', '%{VERSION}-%{RELEASE}', name], { timeoutMs: 5_000 });
  return rpm.exitCode === 0 ? rpm.stdout.trim() || undefined : undefined;
}

export interface UnitState {
  /** `loaded`, `not-found`, ... */
  loadState: string;
  /** `active`, `inactive`, `failed`, ... */
  activeState: string;
  /** `enabled`, `disabled`, `masked`, ... */
  unitFileState: string;
}

/**
 * What systemd says of a unit. `systemdRunning: false` means there is no systemd to ask (a
 * container, a chroot): callers must report that honestly rather than "inactive".
 */
export async function unitState(host: Host, unit: string): Promise<{ systemdRunning: false } | ({ systemdRunning: true } & UnitState)> {
  const running = await host.stat('/run/systemd/system');
  if (!running?.isDirectory) return { systemdRunning: false };
  const result = await host.run('systemctl', ['show', unit, '--property=LoadState,ActiveState,UnitFileState'], {
    timeoutMs: 5_000,
  });
  const fields = new Map(
    result.stdout
      .split('\n')
      .map((line) => line.split('='))
      .filter((parts) => parts.length >= 2)
      .map(([key, ...value]) => [key!, value.join('=')]),
  );
  return {
    systemdRunning: true,
    loadState: fields.get('LoadState') ?? 'unknown',
    activeState: fields.get('ActiveState') ?? 'unknown',
    unitFileState: fields.get('UnitFileState') ?? 'unknown',
  };
}
