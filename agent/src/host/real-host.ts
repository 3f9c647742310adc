// The Host of a real machine. Commands run without a shell (no injection through arguments), each in
// a process group of its own (process-groups.ts), with a timeout that kills the whole group, and with
// bounded output.
import { spawn } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import { mkdtemp, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CommandResult, FileStat, Host, RunOptions, TempFile } from './host.js';
import { ownRecord } from './own-data.js';
import { killGroup, trackGroup } from './process-groups.js';

const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * A timed-out command gets SIGTERM first and SIGKILL this much later. The tools the plugins run
 * clean up on SIGTERM (certbot's dry run releases its lock and removes its work files, clamscan and
 * suricata -T their temporary files), which SIGKILL would leave behind; a command that ignores
 * SIGTERM holds its plugin only this much longer.
 */
const KILL_GRACE_MS = 2_000;
const MAX_OUTPUT_BYTES = 1024 * 1024;
const DEFAULT_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const SEARCH_PATH_RECHECK_MS = 60_000;

/**
 * A child's whole environment. Not the agent's own: only PATH and the C locale (parsable output),
 * and what the caller adds (it wins, as the file of a service's EnvironmentFile= wins for that
 * service). spawn() passes on every key a for-in loop finds, inherited ones included: so the object
 * has no prototype and holds the caller's own keys only, and a key that reached Object.prototype
 * (LD_PRELOAD, say) never reaches a child of root.
 */
export function childEnvironment(searchPath: readonly string[], extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env = ownRecord([
    ['PATH', searchPath.join(':')],
    ['LANG', 'C'],
    ['LC_ALL', 'C'],
  ]);
  for (const key of Object.keys(extra)) {
    const value = extra[key];
    if (typeof value === 'string' && !LOADER_VARIABLE.test(key)) env[key] = value;
  }
  return env;
}

/**
 * Variables that make the dynamic loader or libc load code or data from elsewhere (glibc drops the
 * same ones for setuid programs), or make a shell or an interpreter run code at start-up (BASH_ENV,
 * ENV, NODE_OPTIONS, PYTHONPATH, PERL5LIB...): never handed to a command run as root, whatever file asked for
 * them (a service's EnvironmentFile= is written for that service, not for root).
 */
const LOADER_VARIABLE =
  /^(?:LD_\w*|BASH_ENV|ENV|NODE_OPTIONS|PYTHONPATH|PYTHONSTARTUP|PERL5LIB|PERL5OPT|RUBYOPT|GCONV_PATH|GETCONF_DIR|HOSTALIASES|LOCALDOMAIN|LOCPATH|MALLOC_\w*|NIS_PATH|NLSPATH|RESOLV_HOST_CONF|RES_OPTIONS|TMPDIR|TZDIR)$/;

/**
 * Whether only root, or the agent's own user, can change what a directory of the command search
 * holds: by its real path, it and every directory above it are owned by root or that user, and
 * none is writable by group or others, except that a directory above it may be a sticky one (as
 * /tmp is): others cannot rename what is not theirs in it. The agent runs commands as root by
 * name (`systemctl`, `dpkg-query`…), so a directory anyone else can write is a way to root.
 */
export function trustedSearchDir(dir: string, uid: number): boolean {
  let at: string;
  try {
    at = realpathSync(dir);
  } catch {
    return false;
  }
  for (let first = true; ; first = false) {
    let info;
    try {
      info = statSync(at);
    } catch {
      return false;
    }
    if (first && !info.isDirectory()) return false;
    if (info.uid !== 0 && info.uid !== uid) return false;
    if ((info.mode & 0o022) !== 0 && (first || (info.mode & 0o1000) === 0)) return false;
    if (at === '/') return true;
    at = path.dirname(at);
  }
}

export interface RealHostOptions {
  /** The uid the agent runs as (process.getuid()): its own directories are trusted as root's are. */
  uid?: number;
}

export class RealHost implements Host {
  private readonly uid: number;
  private searched: { at: number; dirs: string[] } | undefined;

  constructor(
    private readonly defaultTimeoutMs = DEFAULT_TIMEOUT_MS,
    options: RealHostOptions = {},
  ) {
    this.uid = options.uid ?? process.getuid?.() ?? 0;
  }

  run(command: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
    return new Promise((resolve) => {
      const child = spawn(command, args, {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: childEnvironment(this.searchPath(), options.env),
        // Its own process group (its pid is the group id), so everything it starts can be killed with it.
        detached: true,
      });
      const pgid = child.pid;
      const untrack = pgid === undefined ? () => undefined : trackGroup(pgid);
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      let exited = false;
      let graceTimer: NodeJS.Timeout | undefined;
      // A process that left the group (a daemon's setsid) and still holds the pipes would keep them
      // open after everything of ours is dead: stop reading, so the result comes anyway.
      const stopReading = () => {
        child.stdout.destroy();
        child.stderr.destroy();
      };
      const timer = setTimeout(() => {
        if (exited || pgid === undefined) return stopReading();
        timedOut = true;
        killGroup(pgid, 'SIGTERM');
        graceTimer = setTimeout(() => {
          killGroup(pgid, 'SIGKILL');
          stopReading();
          untrack();
        }, KILL_GRACE_MS);
      }, options.timeoutMs ?? this.defaultTimeoutMs);
      child.stdout.on('data', (chunk: Buffer) => {
        if (stdout.length < MAX_OUTPUT_BYTES) stdout += chunk.toString('utf8');
      });
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < MAX_OUTPUT_BYTES) stderr += chunk.toString('utf8');
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input ?? '');
      child.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        untrack();
        resolve({ exitCode: null, stdout, stderr: error.message, timedOut: false, notFound: error.code === 'ENOENT' });
      });
      child.on('exit', () => {
        exited = true;
        // The command is done; what it left running in its group (a background child) goes with it.
        // Checks start no services, and a real daemon leaves the group (setsid), so it is not touched.
        // Output already written stays in the pipes and is read to the end.
        if (pgid !== undefined && !timedOut) killGroup(pgid, 'SIGKILL');
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        // After a timeout, a process that ignores SIGTERM but closed its output may still be in the
        // group: the SIGKILL then still comes at the end of the grace, without holding the result.
        if (pgid !== undefined && timedOut && killGroup(pgid, 0)) graceTimer?.unref();
        else {
          clearTimeout(graceTimer);
          untrack();
        }
        resolve({ exitCode: timedOut ? null : code, stdout, stderr, timedOut, notFound: false });
      });
    });
  }

  async readFile(file: string, options?: { maxBytes?: number }): Promise<string | undefined> {
    const maxBytes = options?.maxBytes ?? MAX_OUTPUT_BYTES;
    try {
      const handle = await open(file, 'r');
      try {
        const buffer = Buffer.alloc(maxBytes);
        const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
        return buffer.subarray(0, bytesRead).toString('utf8');
      } finally {
        await handle.close();
      }
    } catch {
      return undefined;
    }
  }

  async stat(file: string): Promise<FileStat | undefined> {
    try {
      const info = await stat(file);
      return {
        isFile: info.isFile(),
        isDirectory: info.isDirectory(),
        mode: info.mode & 0o7777,
        uid: info.uid,
        size: info.size,
        mtimeMs: info.mtimeMs,
      };
    } catch {
      return undefined;
    }
  }

  async listDir(dir: string): Promise<string[] | undefined> {
    try {
      return (await readdir(dir)).sort();
    } catch {
      return undefined;
    }
  }

  async writeTempFile(content: string): Promise<TempFile> {
    const dir = await mkdtemp(path.join(tmpdir(), 'vigil-'));
    const file = path.join(dir, 'probe');
    await writeFile(file, content, { mode: 0o644 });
    return { path: file, remove: () => rm(dir, { recursive: true, force: true }) };
  }

  /**
   * PATH's absolute directories, then systemd's default ones, each by its real path and only when
   * trustedSearchDir: which() looks there, and every command gets it as its PATH. Checked again at
   * most once a minute, so a directory fixed (or broken) while the agent runs counts soon.
   */
  searchPath(): string[] {
    const now = Date.now();
    if (this.searched && now - this.searched.at < SEARCH_PATH_RECHECK_MS) return this.searched.dirs;
    const fromEnv = (process.env.PATH ?? '').split(':').filter((dir) => dir.startsWith('/'));
    const dirs = [...new Set([...fromEnv, ...DEFAULT_PATH])].filter((dir) => trustedSearchDir(dir, this.uid)).map((dir) => realpathSync(dir));
    this.searched = { at: now, dirs: [...new Set(dirs)] };
    return this.searched.dirs;
  }

  now(): Date {
    return new Date();
  }
}
