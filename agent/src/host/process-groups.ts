// The process groups of the commands RealHost runs. Each command runs in a group of its own (spawn's
// `detached`, which makes a new session), so a timeout can kill everything the command started
// (a shell script's children, a tool's helpers), not only the command.
//
// A new session has a price: the terminal's Ctrl-C and hangup reach the agent but no longer its
// commands, and nothing else kills them when the agent ends. So while any group is live, the agent's
// exit kills them: `process.exit` (every command ends that way, and `run` on a second signal), and
// SIGINT, SIGTERM or SIGHUP when nothing else handles it, which would end the agent. Under systemd
// the unit's cgroup is killed on stop anyway; this covers a person running `once` or `doctor`.
const live = new Set<number>();
const ENDING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Sends a signal to a whole group (0: only asks whether any process is left); false when none is.
 * A group id is not reused while any process (a zombie too) is in the group, so the signal cannot
 * reach a stranger while the group lives.
 */
export function killGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function killAll(): void {
  for (const pgid of live) killGroup(pgid, 'SIGKILL');
}

const onSignal = Object.fromEntries(
  ENDING_SIGNALS.map((signal) => [
    signal,
    () => {
      // Another listener (`run` stops cleanly on SIGTERM, reloads on SIGHUP) means the agent goes on
      // or leaves through process.exit, which the exit hook covers. Alone, this listener stands in
      // for the default action: kill the groups, then let the signal end the agent as it would have.
      if (process.listenerCount(signal) > 1) return;
      killAll();
      live.clear();
      unlisten();
      process.kill(process.pid, signal);
    },
  ]),
) as Record<(typeof ENDING_SIGNALS)[number], () => void>;

function listen(): void {
  process.on('exit', killAll);
  for (const signal of ENDING_SIGNALS) process.on(signal, onSignal[signal]);
}

function unlisten(): void {
  process.off('exit', killAll);
  for (const signal of ENDING_SIGNALS) process.off(signal, onSignal[signal]);
}

/** Marks a group live until the returned function is first called (once its command is done). */
export function trackGroup(pgid: number): () => void {
  if (live.size === 0) listen();
  live.add(pgid);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (live.delete(pgid) && live.size === 0) unlisten();
  };
}

/** How many groups are live, for tests: none once every command is done. */
export function liveGroupCount(): number {
  return live.size;
}
