// Which function a TCP connection to the counting proxy comes from, on Linux: the connection's
// client port -> its socket inode (/proc/net/tcp) -> the function worker holding that socket
// (/proc/PID/fd) -> the worker's FUNCTION_TARGET (/proc/PID/environ; the functions emulator starts
// one worker process per function and names it there). Looked up once per connection: workers keep
// their HTTP/2 connection open. Anything not found is reported as such, never guessed.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** `127.0.0.1:54321`, `ipv4:127.0.0.1:54321` or `[::1]:54321` -> 54321. */
export function peerPort(peer) {
  const match = /:(\d+)$/.exec(String(peer));
  return match ? Number(match[1]) : undefined;
}

function socketInode(clientPort, serverPort) {
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines;
    try {
      lines = readFileSync(table, 'utf8').split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const columns = line.trim().split(/\s+/);
      if (columns.length < 10) continue;
      const local = parseInt(columns[1].split(':')[1], 16);
      const remote = parseInt(columns[2].split(':')[1], 16);
      if (local === clientPort && remote === serverPort) return columns[9];
    }
  }
  return undefined;
}

function environOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** The process holding socket `inode`, among those whose command line includes `hint`. */
function ownerOf(inode, hint) {
  const wanted = `socket:[${inode}]`;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (hint && !readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(hint)) continue;
      for (const fd of readdirSync(`/proc/${entry}/fd`)) {
        if (readlinkSync(`/proc/${entry}/fd/${fd}`) === wanted) return Number(entry);
      }
    } catch {
      // exited, or not ours to read
    }
  }
  return undefined;
}

/** The function a worker process serves (FUNCTION_TARGET, else K_SERVICE), or undefined. */
export function functionOfProcess(pid) {
  const environ = environOf(pid);
  const value = (name) => environ.find((line) => line.startsWith(`${name}=`))?.slice(name.length + 1);
  return value('FUNCTION_TARGET') || value('K_SERVICE') || undefined;
}

/** { pid, name } of the function worker on the other end of `peer`, connected to `serverPort`. */
export function functionOfPeer(peer, serverPort) {
  const port = peerPort(peer);
  if (port === undefined) return { pid: undefined, name: '(unknown peer)' };
  const inode = socketInode(port, serverPort);
  if (!inode) return { pid: undefined, name: '(socket not found)' };
  const pid = ownerOf(inode, 'functionsEmulatorRuntime');
  if (pid === undefined) return { pid: undefined, name: '(not a function worker)' };
  return { pid, name: functionOfProcess(pid) ?? '(worker without FUNCTION_TARGET)' };
}
