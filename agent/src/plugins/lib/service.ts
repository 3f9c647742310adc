// Whether a solution's service or process runs, said honestly when there is no systemd to ask.
import type { Host } from '../../host/host.js';
import { unitState } from '../../host/queries.js';

export const NO_SYSTEMD = 'systemd is not running on this host (as in a container or chroot)';

export interface RunningProcess {
  pid: number;
  name: string;
}

/** Processes whose name (`/proc/<pid>/comm`) is one of `names`: how a tool is found running without systemd. */
export async function findProcesses(host: Host, names: string[]): Promise<RunningProcess[]> {
  const entries = (await host.listDir('/proc')) ?? [];
  const found: RunningProcess[] = [];
  for (const entry of entries.filter((name) => /^\d+$/.test(name)).slice(0, 10_000)) {
    const comm = (await host.readFile(`/proc/${entry}/comm`, { maxBytes: 64 }))?.trim();
    if (comm && names.includes(comm)) found.push({ pid: Number(entry), name: comm });
  }
  return found.sort((a, b) => a.pid - b.pid);
}

export interface ServiceVerdict {
  running: boolean;
  message: string;
}

/**
 * Whether a service runs, said honestly: systemd's view when systemd runs and knows the unit, else
 * the process table, and "systemd is not running here" rather than "stopped" when there is no systemd.
 */
export async function serviceVerdict(host: Host, options: { label: string; unit: string; processNames: string[] }): Promise<ServiceVerdict> {
  const { label, unit, processNames } = options;
  const state = await unitState(host, unit);
  if (state.systemdRunning && state.loadState !== 'not-found') {
    const boot = state.unitFileState === 'enabled' ? '' : ` (${state.unitFileState} at boot)`;
    if (state.activeState === 'active') return { running: true, message: `${unit} is active${boot}` };
    return { running: false, message: `${unit} is ${state.activeState}${boot}` };
  }
  const processes = await findProcesses(host, processNames);
  const pids = processes.map((process) => process.pid).join(', ');
  if (!state.systemdRunning) {
    return processes.length > 0
      ? { running: true, message: `${label} is running (pid ${pids}); systemd is not running on this host` }
      : {
          running: false,
          message: `no ${label} process is running, and systemd is not running on this host, so ${unit} cannot be started by it`,
        };
  }
  return processes.length > 0
    ? { running: true, message: `${label} is running (pid ${pids}) outside systemd` }
    : { running: false, message: `${unit} is not installed and no ${label} process is running` };
}
