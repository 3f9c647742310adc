// Child processes that we can stop completely. Each child gets its own process group (detached),
// so stopping it signals the group and takes its grandchildren (Java emulators, Next workers) too.
import { spawn, spawnSync } from 'node:child_process';

const running = new Set();

/** Spawns a command in its own process group; its output goes to ours, each line tagged. */
export function startProcess(name, command, args, options = {}) {
  const child = spawn(command, args, {
    ...options,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tag = options.quiet ? null : `[${name}]`;
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream.on('data', (chunk) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      if (tag) for (const line of lines) if (line.trim()) process.stdout.write(`${tag} ${line}\n`);
      if (options.onLine) lines.forEach(options.onLine);
    });
  }
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  // Remember descendants as they appear: if the child dies first, they are re-parented and lost to ps.
  const seen = new Set();
  const watch = setInterval(() => descendantsOf(child.pid).forEach((pid) => seen.add(pid)), 2_000);
  watch.unref();
  const handle = { name, child, exited, seen };
  running.add(handle);
  // `exited` never rejects (it resolves on the child's exit event).
  void exited.then(() => {
    clearInterval(watch);
    running.delete(handle);
  });
  return handle;
}

function signalGroup(handle, signal) {
  try {
    process.kill(-handle.child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Every live descendant of pid. firebase-tools starts its JVMs in sessions of their own, out of our group. */
function descendantsOf(pid) {
  const listing = spawnSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).stdout ?? '';
  const children = new Map();
  for (const line of listing.split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (!child || !parent) continue;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(child);
  }
  const found = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function killPids(pids) {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/**
 * SIGINT to the group (firebase-tools shuts its emulators down on it), SIGKILL after graceMs.
 * Descendants seen before the stop that are still alive afterwards are killed too, so no JVM
 * outlives `npm start`.
 */
export async function stopProcess(handle, graceMs = 15_000) {
  const descendants = [...new Set([...handle.seen, ...descendantsOf(handle.child.pid)])];
  if (handle.child.exitCode !== null || handle.child.signalCode !== null) {
    signalGroup(handle, 'SIGKILL');
    killPids(descendants);
    return;
  }
  signalGroup(handle, 'SIGINT');
  const timer = setTimeout(() => signalGroup(handle, 'SIGKILL'), graceMs);
  await handle.exited;
  clearTimeout(timer);
  // Leftovers that ignored SIGINT (a JVM mid-start) must not outlive us.
  signalGroup(handle, 'SIGKILL');
  killPids(descendants);
}

/** Stops everything started here, newest first. */
export async function stopAll() {
  for (const handle of [...running].reverse()) await stopProcess(handle);
}
